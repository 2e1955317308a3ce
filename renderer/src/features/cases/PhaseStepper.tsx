import { useTranslation } from 'react-i18next';
import { PHASES, type Phase } from '@shared/domain';
import './PhaseStepper.css';

/** The five phases of R1.1 with the case's place among them. */
export function PhaseStepper({ phase }: { phase: Phase }) {
  const { t } = useTranslation();
  const current = PHASES.indexOf(phase);
  return (
    <ol className="stepper" aria-label={t('detail.phaseProgress')}>
      {PHASES.map((p, i) => {
        const state = i < current ? 'done' : i === current ? 'current' : 'todo';
        return (
          <li
            key={p}
            className={`stepper__step stepper__step--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="stepper__marker" aria-hidden="true">
              {state === 'done' ? '✓' : i + 1}
            </span>
            <span className="stepper__label">{t(`enums.phase.${p}`)}</span>
            {state !== 'todo' ? (
              <span className="visually-hidden">
                （{state === 'done' ? t('detail.done') : t('detail.current')}）
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

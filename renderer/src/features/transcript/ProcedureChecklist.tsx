/**
 * The procedure of the session as a checklist: the steps of its kind in order (R1.3, R2.5,
 * R3.4; the hearing order for hearings), each done with its session time or shown as not
 * done, and the interruptions with their stated reasons (R3.5). Marking a step puts a marker
 * on the transcript's timeline at this moment.
 */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionKind } from '@shared/domain';
import {
  ANSWERED_STEPS,
  PROCEDURE_STEPS,
  type MarkerKind,
  type NoticeAnswers,
} from '@shared/rules/transcript';
import type { PhraseDto } from '@shared/api/signing';
import { useEnumLabel } from '../../ui/enumLabels';
import { formatSessionTime } from '../sessions/sessionTime';
import { NoticeAnswerFields } from './NoticeAnswers';
import { shortcutOfMarker } from './shortcuts';
import type { TranscriptStore } from './store';

export function ProcedureChecklist({
  store,
  kind,
  canMark,
  onMark,
  phrases = [],
  onInsert,
  onAnswer,
}: {
  store: TranscriptStore;
  kind: SessionKind;
  canMark: boolean;
  onMark: (kind: MarkerKind) => void;
  /** The phrase guide's wording of the notices, offered for insertion. */
  phrases?: readonly PhraseDto[];
  onInsert?: (phrase: PhraseDto) => void;
  /** Takes down the party's answers to a notice (on its marker). */
  onAnswer?: (markerId: string, answers: NoticeAnswers) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  // The markers array keeps its identity while only turns change: typing does not re-render this.
  const markers = useSyncExternalStore(store.subscribe, () => store.getState().markers);
  const steps = PROCEDURE_STEPS[kind];
  const doneAt = new Map<MarkerKind, number>();
  for (const m of markers) if (!doneAt.has(m.kind)) doneAt.set(m.kind, m.at);
  const missing = steps.filter((s) => !doneAt.has(s));
  const next = missing[0];
  const events = markers.filter((m) => m.kind === 'interruption' || m.kind === 'resumed');

  return (
    <section className="panel procedure" aria-labelledby="procedure-title">
      <div className="panel__bar">
        <h2 id="procedure-title" className="panel__title">
          {t('procedure.title')}
        </h2>
        <span
          className={`tag ${missing.length ? 'tag--missing' : 'tag--agree'}`}
          data-testid="procedure-summary"
        >
          {missing.length
            ? t('procedure.missingCount', { count: missing.length })
            : t('procedure.allDone')}
        </span>
      </div>
      <p className="muted procedure__hint">{t('procedure.hint')}</p>
      <ol className="procedure__steps">
        {steps.map((step) => {
          const at = doneAt.get(step);
          const name = label('markerKind', step);
          const state = at !== undefined ? 'done' : step === next ? 'next' : 'missing';
          return (
            <li key={step} className={`step step--${state}`} data-step={step}>
              <kbd className="step__key">{shortcutOfMarker(kind, step)}</kbd>
              <span className="step__name">{name}</span>
              {at !== undefined ? (
                <span className="step__status step__status--done">
                  {t('procedure.done')} <time>{formatSessionTime(at)}</time>
                </span>
              ) : (
                <span className="step__status step__status--missing">
                  {step === next ? `${t('procedure.next')} · ` : ''}
                  {t('procedure.missing')}
                </span>
              )}
              {at === undefined && canMark ? (
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('procedure.markNamed', { step: name })}
                  onClick={() => onMark(step)}
                >
                  {t('procedure.mark')}
                </button>
              ) : null}
              {at === undefined && canMark && onInsert
                ? phrases
                    .filter((p) => p.step === step)
                    .map((p, i) => (
                      <button
                        key={i}
                        type="button"
                        className="button button--small"
                        title={p.statement}
                        aria-label={t('procedure.insertNamed', { step: name })}
                        onClick={() => onInsert(p)}
                      >
                        {t('procedure.insert')}
                      </button>
                    ))
                : null}
              {at !== undefined && ANSWERED_STEPS.includes(step)
                ? markers
                    .filter((m) => m.kind === step)
                    .slice(0, 1)
                    .map((m) => (
                      <NoticeAnswerFields
                        // A new answer read back starts the fields from it.
                        key={`${m.id}:${JSON.stringify(m.answers ?? {})}`}
                        marker={m}
                        editable={canMark && Boolean(onAnswer)}
                        onSave={(answers) => onAnswer?.(m.id, answers)}
                      />
                    ))
                : null}
            </li>
          );
        })}
      </ol>
      <h3 className="procedure__sub">{t('procedure.events')}</h3>
      {events.length ? (
        <ul className="procedure__events">
          {events.map((m) => (
            <li key={m.id}>
              <time>{formatSessionTime(m.at)}</time> {label('markerKind', m.kind)}
              {m.note ? <span className="muted">：{m.note}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canMark ? (
        <div className="toolbar">
          {(['interruption', 'resumed'] as const).map((k) => (
            <button
              key={k}
              type="button"
              className="button button--small"
              onClick={() => onMark(k)}
            >
              {label('markerKind', k)}
              <kbd className="button__kbd">{shortcutOfMarker(kind, k)}</kbd>
            </button>
          ))}
        </div>
      ) : null}
    </section>
  );
}

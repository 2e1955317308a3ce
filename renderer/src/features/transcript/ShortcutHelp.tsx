/** The keyboard shortcuts of the transcript and the procedure markers, for a kind of session. */
import { useTranslation } from 'react-i18next';
import type { SessionKind } from '@shared/domain';
import { shortcutHelp } from './shortcuts';

export function ShortcutHelp({ kind }: { kind: SessionKind }) {
  const { t } = useTranslation();
  return (
    <details className="panel shortcuts" open>
      <summary className="panel__title">{t('transcript.shortcuts.title')}</summary>
      <dl className="shortcuts__list">
        {shortcutHelp(kind).map((s) => (
          <div key={s.does} className="shortcuts__item">
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{t(`transcript.shortcuts.${s.does}`)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

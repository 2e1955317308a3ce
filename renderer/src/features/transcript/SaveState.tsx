/**
 * What became of the transcript's edits, beside the pane: the save state, and the text of
 * edits that could not be saved.
 */
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { lostText } from './queue';
import type { TranscriptStore } from './store';

/** Whether the transcript's edits have reached the core: saving, saved, retrying. */
export function SaveIndicator({ store }: { store: TranscriptStore }) {
  const { t } = useTranslation();
  const save = useSyncExternalStore(store.subscribe, store.getSave);
  const text = t(`transcript.save.${save.status}`);
  return (
    <>
      <span
        className={`save save--${save.status}`}
        data-testid="save-state"
        title={save.error ?? undefined}
      >
        <span className="visually-hidden">{t('transcript.saveState')}：</span>
        {text}
      </span>
      {/* Only trouble is announced; "saving… saved" on every keystroke would drown the reader. */}
      <span className="visually-hidden" role="status">
        {save.status === 'retrying' ? text : ''}
      </span>
    </>
  );
}

/** Edits the core refused for good, shown so their text can be typed in again. */
export function LostEdits({ store }: { store: TranscriptStore }) {
  const { t } = useTranslation();
  const save = useSyncExternalStore(store.subscribe, store.getSave);
  if (save.lost.length === 0) return null;
  const texts = save.lost.map(lostText).filter(Boolean);
  return (
    <div className="banner banner--error" role="alert">
      <strong>{t('transcript.lost', { count: save.lost.length })}</strong>
      {texts.length ? (
        <ul className="lost">
          {texts.map((text, i) => (
            <li key={i} className="prewrap">
              {text}
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button--small" onClick={() => store.dismissLost()}>
        {t('transcript.lostDismiss')}
      </button>
    </div>
  );
}

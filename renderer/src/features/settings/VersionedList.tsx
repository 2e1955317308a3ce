/**
 * One of the agency's lists kept in versions (the A/V matters list, the phrase guide): its
 * panel with the version line, and the save of a new version with its note and its outcome.
 */
import { useState, type ReactNode } from 'react';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { useCall } from '../../ui/useCall';
import { formatDateTime } from '../../ui/time';

export interface Versioned {
  version: number;
  setBy: string | null;
  setAt: number | null;
}

/** The panel: title, intro, the list once loaded (its editor remounts on a new version). */
export function VersionedPanel<T extends Versioned>({
  id,
  title,
  intro,
  data,
  error,
  onRetry,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  data: T | undefined;
  error: unknown;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={id} data-testid={id}>
      <h2 id={id} className="panel__title">
        {title}
      </h2>
      <p className="muted">{intro}</p>
      {data ? children(data) : <LoadState error={error} onRetry={onRetry} />}
    </section>
  );
}

/** Which version is in force, by whom and when; or that the default applies. */
export function useVersionLine(section: 'guide' | 'avList') {
  const t = useSectionT('settings');
  return (v: Versioned) =>
    v.version
      ? t(`${section}.version`, {
          version: v.version,
          by: v.setBy ?? '—',
          at: v.setAt ? formatDateTime(v.setAt, false) : '',
        })
      : t(`${section}.defaults`);
}

/** The note and the button that save a new version, with what came of it. */
export function SaveVersion({
  section,
  save,
}: {
  section: 'guide' | 'avList';
  save: (note: string | undefined) => Promise<{ version: number }>;
}) {
  const t = useSectionT('settings');
  const [note, setNote] = useState('');
  const { banner, run } = useCall();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      <TextField label={t(`${section}.note`)} value={note} onChange={setNote} />
      <button
        type="button"
        className="button button--primary"
        onClick={() =>
          void run(
            () => save(note || undefined),
            (v) => setNotice(t(`${section}.saved`, { version: v.version })),
          )
        }
      >
        {t(`${section}.save`)}
      </button>
    </>
  );
}

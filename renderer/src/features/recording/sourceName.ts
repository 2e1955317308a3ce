/**
 * A recording source as every view names it: by its registered device number and what it
 * shows (`CAM-02 · 被询问人近景`), never by the browser's device label or an internal id.
 */
import type { TFunction } from 'i18next';
import type { NamedSourceDto } from '@shared/api/recording';

export function sourceTitle(t: TFunction, s: Pick<NamedSourceDto, 'deviceNo' | 'role'>): string {
  return `${s.deviceNo} · ${t(`enums.sourceRole.${s.role}`)}`;
}

/** The title of `sourceId` among the named sources; the program and the unnamed by kind. */
export function titleOf(
  t: TFunction,
  named: readonly Pick<NamedSourceDto, 'sourceId' | 'deviceNo' | 'role' | 'remote'>[],
  sourceId: string,
  kind: string,
  fallback: string,
): string {
  if (kind === 'program') return t('recording.program');
  // A remote participant's source: whose, taking part as what, picture or sound.
  const remote = named.find((n) => n.sourceId === sourceId)?.remote;
  if (remote)
    return t(kind === 'microphone' ? 'recording.remoteMicrophone' : 'recording.remoteCamera', {
      name: remote.name,
      role: t(`enums.participantRole.${remote.role}`),
    });
  const s = named.find((n) => n.sourceId === sourceId && n.deviceNo);
  return s ? sourceTitle(t, s) : fallback;
}

/** A worker's encoded frame as the live frame the desk sends to the core's live room. */
import type { SegmentKind } from '@shared/api/recording';
import { encodeLiveFrame } from '@shared/media';
import type { FromWorker } from './protocol';

export function liveFrame(
  kind: SegmentKind,
  sourceId: string,
  m: Extract<FromWorker, { type: 'live' }>,
): Uint8Array | null {
  // The program's sound is the main microphone's: only its picture goes live.
  if (kind === 'program' && m.kind === 'audio') return null;
  return encodeLiveFrame(
    {
      live: m.kind,
      sourceId,
      ts: m.ts,
      ...(m.key ? { key: true } : {}),
      ...(m.avcc ? { avcc: m.avcc } : {}),
    },
    new Uint8Array(m.data),
  );
}

/**
 * The running 问/答 transcript of a session. Its actions and the reducer that applies them
 * are pure rules shared by the core and the UI (../rules/transcript.ts).
 */
import { z } from 'zod';
import { idSchema } from '../domain';
import { transcriptActionSchema, type TranscriptState } from '../rules/transcript';
import { CASE_WRITERS, events, method } from './define';

export const transcriptMethods = {
  /**
   * A session's written record as it stands: for the case team, or under a grant that covers
   * the session (features/access); a viewing is audited.
   */
  'transcripts.get': method<{ seq: number; state: TranscriptState }>()(
    z.object({ sessionId: idSchema }).strict(),
    'user',
  ),
  /**
   * Appends edits to a session's transcript. `baseSeq` is the last sequence the client saw;
   * the reply is the new one. Refused (CONFLICT) if another writer moved it on meanwhile.
   */
  'transcripts.apply': method<{ seq: number }>()(
    z
      .object({
        sessionId: idSchema,
        baseSeq: z.number().int().min(0),
        actions: z.array(transcriptActionSchema).min(1).max(200),
      })
      .strict(),
    CASE_WRITERS,
  ),
} as const;

export interface TranscriptEvents {
  /** A session's transcript has a new sequence number. */
  'transcript.changed': { sessionId: number; seq: number };
}
export const TRANSCRIPT_EVENTS = events<TranscriptEvents>()(['transcript.changed']);

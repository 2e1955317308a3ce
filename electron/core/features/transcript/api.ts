/** The handlers of the transcript methods (electron/shared/api/transcript.ts). */
import type { transcriptMethods } from '../../../shared/api/transcript';
import type { HandlersOf } from '../handler';

export const transcriptHandlers: HandlersOf<typeof transcriptMethods> = {
  'transcripts.get': (s, c, input) => s.transcripts.read(c, input.sessionId),
  'transcripts.apply': (s, conn, input) =>
    s.transcripts.apply(conn, input.sessionId, input.baseSeq, input.actions),
};

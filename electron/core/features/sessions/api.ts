/** The handlers of the sessions methods (electron/shared/api/sessions.ts). */
import type { sessionsMethods } from '../../../shared/api/sessions';
import type { HandlersOf } from '../handler';

export const sessionsHandlers: HandlersOf<typeof sessionsMethods> = {
  'sessions.create': (s, conn, input) => s.sessions.create(conn, input),
  'sessions.get': (s, _c, input) => s.sessions.get(input.id),
  'sessions.start': (s, conn, input) => s.sessions.start(conn, input.id),
  'sessions.end': (s, conn, input) => s.sessions.end(conn, input.id, input.stoppedAtSessionMs),
  'sessions.resume': (s, conn, input) => s.recording.resume(conn, input.id, input.reason),
  'sessions.abandon': (s, conn, input) =>
    s.recording.abandon(
      conn,
      input.id,
      input.statement,
      input.officerIds,
      input.confirmations ?? [],
    ),
};

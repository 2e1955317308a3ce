/** The handlers of the recording methods (electron/shared/api/recording.ts). */
import type { recordingMethods } from '../../../shared/api/recording';
import type { HandlersOf } from '../handler';

export const recordingHandlers: HandlersOf<typeof recordingMethods> = {
  'system.disk': (s) => s.recording.disk(),
  'recording.settings': (s) => s.recording.settings(),
  'recording.savePreflight': (s, conn, input) =>
    s.recording.savePreflight(conn, input.sessionId, input.preflight),
  'recording.openSegment': (s, conn, input) => s.recording.openSegment(conn, conn.id, input),
  'recording.closeSegment': (s, conn, input) => s.recording.closeSegment(conn, conn.id, input),
  'recording.fault': (s, conn, input) => s.recording.fault(conn, input),
  'recording.captureStep': (s, conn, input) => s.recording.captureStep(conn, input),
  'recording.status': (s, _c, input) => s.recording.status(input.sessionId),
  'recording.offsets': (s, _c, input) => s.recording.offsets(input.sessionId),
  'recording.fragments': (s, _c, input) => s.recording.fragments(input),
  'recording.read': (s, c, input) =>
    s.recording.read(
      c,
      { sessionId: input.sessionId, sourceId: input.sourceId, segment: input.segment },
      input.offset,
      input.length,
      input.grantId,
    ),
  'recording.timeline': (s, _c, input) => s.recording.timeline(input.sessionId),
  'recording.recover': (s, conn) => s.recording.recover(conn),
};

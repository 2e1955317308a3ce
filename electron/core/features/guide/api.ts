/** The handlers of the phrase guide's methods (electron/shared/api/guide.ts). */
import type { guideMethods } from '../../../shared/api/guide';
import type { HandlersOf } from '../handler';

export const guideHandlers: HandlersOf<typeof guideMethods> = {
  'guide.get': (s) => s.guide.current(),
  'guide.save': (s, conn, i) => s.guide.save(conn, i.entries, i.note),
  // Filled in with the session's agency, officers and party, as the signing's notices are.
  'guide.forSession': (s, _c, i) => s.signing.guidePhrases(i.sessionId),
  'avList.get': (s) => s.guide.avList(),
  'avList.save': (s, conn, i) => s.guide.saveAvList(conn, i.entries, i.note),
};

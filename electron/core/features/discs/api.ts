/** The handlers of the disc and case-file methods (electron/shared/api/discs.ts). */
import type { discMethods } from '../../../shared/api/discs';
import type { HandlersOf } from '../handler';

export const discsHandlers: HandlersOf<typeof discMethods> = {
  'discs.bundles': (s, c, i) => s.discs.bundles(c, i.caseId),
  'discs.plan': (s, _c, i) => s.discs.plan(i),
  'discs.image': (s, conn, i) => s.discs.image(conn, i),
  'discs.burn': (s, conn, i) => s.discs.burn(conn, i),
  'discs.verify': (s, conn, i) => s.discs.verify(conn, i.discId),
  'discs.list': (s, _c, i) => s.discs.list(i.caseId),
  'discs.labels': (s, _c, i) => s.discs.labels(i.setId),
  'drives.list': (s) => s.discs.drives(),
  'caseFile.index': (s, _c, i) => s.discs.caseFileIndex(i.caseId),
  'caseFile.pdf': (s, _c, i) => s.discs.caseFilePdf(i.caseId),
  'caseFile.setPolicy': (s, conn, i) => s.discs.setPolicy(conn, i),
};

/**
 * Handlers of the evidence-disc and case-file methods (electron/shared/discs.ts), spread
 * into the core's handler table.
 */
import type { MethodName, MethodOutput, MethodParsed } from '../../../shared/contract';
import type { discMethods } from '../../../shared/discs';
import type { ConnectionState } from '../handlers';
import type { Services } from '../services';

type DiscMethod = keyof typeof discMethods & MethodName;

type Handler<M extends MethodName> = (
  s: Services,
  conn: ConnectionState,
  input: MethodParsed<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export const discHandlers: { [M in DiscMethod]: Handler<M> } = {
  'discs.bundles': (s, _c, i) => s.discs.bundles(i.caseId),
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

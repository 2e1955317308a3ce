/**
 * Handlers of the sealing, bundle, replication and storage-target methods
 * (electron/shared/sealing.ts), spread into the core's handler table.
 */
import type { MethodName, MethodOutput, MethodParsed } from '../../../shared/contract';
import type { sealingMethods } from '../../../shared/sealing';
import type { ConnectionState } from '../handlers';
import type { Services } from '../services';

type SealingMethod = keyof typeof sealingMethods & MethodName;

type Handler<M extends MethodName> = (
  s: Services,
  conn: ConnectionState,
  input: MethodParsed<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export const sealingHandlers: { [M in SealingMethod]: Handler<M> } = {
  'sessions.sealCheck': (s, _c, i) => s.sealing.check(i.id),
  'sessions.seal': (s, conn, i) => s.sealing.seal(conn, i),
  'bundles.list': (s, _c, i) => s.sealing.list(i),
  'bundles.verify': (s, conn, i) => s.sealing.verify(conn, i.bundleId),
  'bundles.verification': (s, _c, i) => s.sealing.verification(i.bundleId),
  'replication.status': (s, _c, i) => s.storage.status(i),
  'replication.retryNow': (s, conn, i) => s.storage.retryNow(conn, i.jobId),
  'storage.targets.list': (s, conn) => s.storage.list(conn),
  'storage.targets.create': (s, conn, i) => s.storage.create(conn, i),
  'storage.targets.update': (s, conn, i) => s.storage.update(conn, i),
  'storage.targets.setEnabled': (s, conn, i) => s.storage.setEnabled(conn, i.id, i.enabled),
  'storage.test': (s, conn, i) => s.storage.test(conn, i.targetId),
};

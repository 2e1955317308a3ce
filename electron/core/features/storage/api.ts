/** The handlers of the replication and storage-target methods (electron/shared/api/storage.ts). */
import type { storageMethods } from '../../../shared/api/storage';
import type { HandlersOf } from '../handler';

export const storageHandlers: HandlersOf<typeof storageMethods> = {
  'replication.status': (s, _c, i) => s.storage.status(i),
  'replication.retryNow': (s, conn, i) => s.storage.retryNow(conn, i.jobId),
  'storage.targets.list': (s, conn) => s.storage.list(conn),
  'storage.targets.create': (s, conn, i) => s.storage.create(conn, i),
  'storage.targets.update': (s, conn, i) => s.storage.update(conn, i),
  'storage.targets.setEnabled': (s, conn, i) => s.storage.setEnabled(conn, i.id, i.enabled),
  'storage.test': (s, conn, i) => s.storage.test(conn, i.targetId),
};

/** The handlers of the access methods (electron/shared/api/access.ts). */
import type { accessMethods } from '../../../shared/api/access';
import type { HandlersOf } from '../handler';

export const accessHandlers: HandlersOf<typeof accessMethods> = {
  'access.team': (s, c, i) => s.access.team(c, i.caseId),
  'access.assignClerk': (s, c, i) => s.access.assignClerk(c, i.caseId, i.userId),
  'access.removeClerk': (s, c, i) => s.access.removeClerk(c, i.caseId, i.userId),
  'access.request': (s, c, i) => s.access.request(c, i),
  'access.decide': (s, c, i) => s.access.decide(c, i),
  'access.revoke': (s, c, i) => s.access.revoke(c, i.requestId, i.opinion),
  'access.list': (s, c, i) => s.access.list(c, i.scope, i.caseId),
  'bundles.files': (s, c, i) => s.bundleFiles.list(c, i.bundleId),
  'bundles.readFile': (s, c, i) => s.bundleFiles.read(c, i),
  'bundles.classify': (s, c, i) => s.bundleFiles.classify(c, i),
  'copies.request': (s, c, i) => s.copies.request(c, i),
  'copies.decide': (s, c, i) => s.copies.decide(c, i),
  'copies.make': (s, c, i) => s.copies.make(c, i.requestId),
  'copies.list': (s, c, i) => s.copies.list(c, i.caseId),
  'copies.register': (s, c, i) => s.copies.register(c, i.caseId),
};

/** The handlers of the live room's methods (electron/shared/api/live.ts). */
import type { liveMethods } from '../../../shared/api/live';
import type { HandlersOf } from '../handler';

export const liveHandlers: HandlersOf<typeof liveMethods> = {
  'live.open': (s, c, i) => s.live.open(c, c.id, i.sessionId, i.sources),
  'live.close': (s, c, i) => s.live.close(c, i.sessionId, c.id),
  'live.status': (s, c, i) => s.live.status(c, c.id, i.sessionId),
  'live.watch': (s, c, i) => s.live.watch(c, c.id, i.sessionId, i.grantId),
  'live.connect': (s, c, i) => s.live.connect(c, i.viewingId, i.dtlsParameters),
  'live.consume': (s, c, i) => s.live.consume(c, i.viewingId, i.producerId, i.rtpCapabilities),
  'live.resume': (s, c, i) => s.live.resume(c, i.viewingId, i.consumerId),
  'live.producers': (s, c, i) => s.live.producers(c, i.viewingId),
  'live.note': (s, c, i) => s.live.note(c, i.viewingId, i.text),
  'live.leave': (s, c, i) => s.live.leave(c, i.viewingId),
  'live.invite': (s, c, i) => s.live.invite(c, c.id, i.sessionId, i.name, i.role),
  'live.join': (s, c, i) => s.live.remotes.join(c.id, c.address ?? null, i.token),
  'live.remote.connect': (s, c, i) =>
    s.live.remotes.connect(c.id, i.remoteId, i.direction, i.dtlsParameters),
  'live.remote.produce': (s, c, i) =>
    s.live.remotes.produce(c.id, i.remoteId, i.kind, i.rtpParameters),
  'live.remote.consume': (s, c, i) =>
    s.live.remotes.consume(c.id, i.remoteId, i.producerId, i.rtpCapabilities),
  'live.remote.resume': (s, c, i) => s.live.remotes.resume(c.id, i.remoteId, i.consumerId),
  'live.remote.leave': (s, c, i) => s.live.remotes.leave(c.id, i.remoteId),
  'live.checkIdentity': (s, c, i) =>
    s.live.checkIdentity(c, c.id, i.sessionId, i.remoteId, i.credential),
  'live.desk.receive': (s, c, i) => s.live.desk.receive(c, c.id, i.sessionId),
  'live.desk.connect': (s, c, i) => s.live.desk.connect(c, c.id, i.sessionId, i.dtlsParameters),
  'live.desk.consume': (s, c, i) =>
    s.live.desk.consume(c, c.id, i.sessionId, i.producerId, i.rtpCapabilities),
  'live.desk.resume': (s, c, i) => s.live.desk.resume(c, c.id, i.sessionId, i.consumerId),
};

/**
 * The recording desk's receiving side of its live room: the remote participants' cameras and
 * microphones come to the desk through the SFU, and the desk records them as sources of the
 * session like its own (R2.3: every participant's own words). One transport per room, the
 * recording desk's; a desk that comes back (a reload) gets a new one and the old one closes.
 */
import { isRemoteSource, type LiveConsumerDto, type LiveDeskDto } from '../../../shared/api/live';
import { AppError } from '../../../shared/errors';
import { transportParamsOf, type DtlsParameters } from '../../platform/sfu/sfu';
import type { Caller } from '../context';
import { consumeOn, resumeOn, sfuInput, type LiveRoom, type RoomViewer } from './room';

/** What the desk's receiving side needs of the live room's service. */
export interface DeskPort {
  room(sessionId: number): LiveRoom | null;
  /** Refuses anyone but the recording desk or the case team. */
  requireDesk(caller: Caller, connectionId: number, sessionId: number, what: string): void;
}

interface Receiver {
  connectionId: number;
  viewer: RoomViewer;
}

export class LiveDesk {
  private readonly receivers = new Map<number, Receiver>();

  constructor(private readonly port: DeskPort) {}

  private roomOf(sessionId: number): LiveRoom {
    const room = this.port.room(sessionId);
    if (!room) throw new AppError('CONFLICT', '这场询问、听证现在没有实时转发');
    return room;
  }

  private mine(caller: Caller, connectionId: number, sessionId: number): Receiver {
    this.port.requireDesk(caller, connectionId, sessionId, '接收远程参加人员的音视频');
    const r = this.receivers.get(sessionId);
    // Another connection's transport is as unknown as none.
    if (!r || r.connectionId !== connectionId)
      throw new AppError('NOT_FOUND', 'no receiving transport of this desk: receive first');
    return r;
  }

  async receive(caller: Caller, connectionId: number, sessionId: number): Promise<LiveDeskDto> {
    this.port.requireDesk(caller, connectionId, sessionId, '接收远程参加人员的音视频');
    const room = this.roomOf(sessionId);
    const { router, viewer } = await room.viewer();
    this.drop(sessionId);
    this.receivers.set(sessionId, { connectionId, viewer });
    return {
      routerRtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown>,
      transport: transportParamsOf(viewer.transport),
    };
  }

  async connect(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    dtlsParameters: Record<string, unknown>,
  ): Promise<null> {
    const r = this.mine(caller, connectionId, sessionId);
    await sfuInput(() =>
      r.viewer.transport.connect({ dtlsParameters: dtlsParameters as unknown as DtlsParameters }),
    );
    return null;
  }

  /** Only a remote participant's source: the desk has its own cameras already. */
  async consume(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    producerId: string,
    rtpCapabilities: Record<string, unknown>,
  ): Promise<LiveConsumerDto> {
    const r = this.mine(caller, connectionId, sessionId);
    const remote = this.roomOf(sessionId)
      .producers()
      .some((p) => p.producerId === producerId && isRemoteSource(p.source.sourceId));
    if (!remote) throw new AppError('NOT_FOUND', `no remote participant's source ${producerId}`);
    return consumeOn(r.viewer, producerId, rtpCapabilities);
  }

  resume(caller: Caller, connectionId: number, sessionId: number, consumerId: string) {
    return resumeOn(this.mine(caller, connectionId, sessionId).viewer, consumerId);
  }

  /** The room closed or the desk's connection went away: its transport closes. */
  drop(sessionId: number): void {
    const r = this.receivers.get(sessionId);
    if (!r) return;
    this.receivers.delete(sessionId);
    if (!r.viewer.transport.closed) r.viewer.transport.close();
  }

  connectionClosed(connectionId: number): void {
    for (const [sessionId, r] of [...this.receivers])
      if (r.connectionId === connectionId) this.drop(sessionId);
  }

  /** The SFU lost its worker: every transport is gone with it. */
  sfuLost(): void {
    this.receivers.clear();
  }
}

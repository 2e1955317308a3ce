/**
 * The live room (R6.1, ARCHITECTURE §10): the desk forwards a recording session's sources;
 * observers watch through the SFU. Watching live is viewing the evidence, so it passes the
 * same access check as playback (the case team, or a viewing grant covering the session; a
 * refusal is audited) and each viewing is an audit entry when it starts and when it ends
 * (left, connection closed, forwarding stopped or the SFU restarted).
 */
import type { ParticipantRole } from '../../../shared/domain';
import type {
  LiveConsumerDto,
  LiveInviteDto,
  LiveNoteDto,
  LiveObserverDto,
  LiveProducerDto,
  LiveRemoteDto,
  LiveSource,
  LiveStatusDto,
  LiveWatchDto,
} from '../../../shared/api/live';
import type { AccessBasisDto } from '../../../shared/api/access';
import { AppError } from '../../../shared/errors';
import type { LiveFrameHeader } from '../../../shared/media';
import {
  transportParamsOf,
  type Sfu,
  type RtpCapabilities,
  type DtlsParameters,
} from '../../platform/sfu/sfu';
import { requireUser, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import { appendSessionEvent, sessionEvents, sessionHead } from '../sessions';
import { consumeOn, LiveRoom, resumeOn, sfuInput, type RoomViewer } from './room';
import { LiveRemotes } from './remotes';
import { LiveDesk } from './desk';
import { LanLiveServer, type LanCoreLink, type LanLiveConfig } from './lan';
import { RelayUplink, relayRoomKey, type RelayConfig } from '../../platform/sfu/relay-uplink';
import { relayOrigin } from '../../../shared/relay';
import { isRemoteSource } from '../../../shared/api/live';

export type ViewingEnd = 'left' | 'disconnected' | 'closed' | 'sfu_restarted';

interface Viewing extends LiveObserverDto {
  sessionId: number;
  caseId: number;
  connectionId: number;
  viewer: RoomViewer;
  /** The ticket of this viewing at the relay, when it watches there. */
  relayTicket: string | null;
}

/** How long a relay ticket admits its observer to connect. */
const RELAY_TICKET_MS = 60_000;

interface Room {
  sessionId: number;
  caseId: number;
  deskConnection: number;
  room: LiveRoom;
}

const LIVE_STATUSES = new Set(['recording', 'interrupted']);

export class LiveService {
  private readonly rooms = new Map<number, Room>();
  private readonly viewings = new Map<number, Viewing>();
  private nextViewing = 1;
  /** Remote participants and their invitations. */
  readonly remotes: LiveRemotes;
  /** The desk's receiving side: the remote participants' sources, to be recorded. */
  readonly desk: LiveDesk;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly guard: EvidenceGuard,
    private readonly sfu: Sfu,
    /** Whether a connection writes the session's files now (the recording desk). */
    private readonly recordsOn: (connectionId: number, sessionId: number) => boolean,
    private readonly log: (line: string) => void = () => undefined,
    /** The room's pages on the LAN, when this workstation offers them. */
    private readonly lanOptions?: { config: LanLiveConfig; tlsDir: string },
    relay?: RelayConfig,
  ) {
    this.relay = relay
      ? new RelayUplink(relay, sfu, (ticket) => this.relayViewerEnded(ticket), log)
      : null;
    this.relayUrl = relay?.url;
    this.relayKey = (sessionId) => relayRoomKey(relay?.name ?? '', sessionId);
    this.remotes = new LiveRemotes(deps, sfu, {
      room: (sessionId) => this.rooms.get(sessionId)?.room ?? null,
      roomProducers: (sessionId) =>
        (this.rooms.get(sessionId)?.room.producers() ?? [])
          .filter(({ source }) => source.sourceId === 'program' || source.kind === 'audio')
          .filter(({ source }) => !isRemoteSource(source.sourceId))
          .map(({ producerId, source }) => ({ producerId, ...source })),
    });
    this.desk = new LiveDesk({
      room: (sessionId) => this.rooms.get(sessionId)?.room ?? null,
      requireDesk: (caller, connectionId, sessionId, what) =>
        this.requireDesk(caller, connectionId, sessionId, this.caseOf(sessionId), what),
    });
    sfu.onLost(() => {
      this.remotes.sfuLost();
      this.desk.sfuLost();
      for (const v of [...this.viewings.values()]) this.end(v, 'sfu_restarted');
      for (const r of this.rooms.values()) r.room.lost();
    });
  }

  /** The relay this workstation's rooms pipe to, when it has one. */
  private readonly relay: RelayUplink | null;
  private readonly relayUrl: string | undefined;
  private readonly relayKey: (sessionId: number) => string;
  private lanServer: LanLiveServer | null = null;
  private lanAt: { origin: string; fingerprint: string } | null = null;

  /** The core's own connections, handed in once the core exists (for the LAN pages). */
  attachLan(connect: (send: (text: string) => void, address: string | null) => LanCoreLink): void {
    if (!this.lanOptions) return;
    const { config, tlsDir } = this.lanOptions;
    const relay = relayOrigin(this.relayUrl);
    this.lanServer = new LanLiveServer(
      relay ? { ...config, connectTo: [relay] } : config,
      tlsDir,
      connect,
      this.deps.now,
      this.log,
    );
  }

  /** The LAN pages start with the first room; a failure to listen leaves the room open here. */
  private async startLan(): Promise<void> {
    if (!this.lanServer || this.lanAt) return;
    try {
      this.lanAt = await this.lanServer.start();
    } catch (e) {
      this.log(`live room on the LAN did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private caseOf(sessionId: number): number {
    const head = sessionHead(this.deps.db, sessionId);
    if (!head) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    return head.caseId;
  }

  private audit(
    caller: Caller | null,
    action:
      'live.opened' | 'live.closed' | 'live.viewing_started' | 'live.viewing_ended' | 'live.noted',
    sessionId: number,
    caseId: number,
    data: Record<string, unknown>,
    actor?: { id: number; name: string },
  ): void {
    const user = caller?.user;
    this.deps.db.transaction(() =>
      this.deps.audit.append({
        at: this.deps.now(),
        actorUserId: user?.id ?? actor?.id ?? null,
        actor: user?.displayName ?? actor?.name ?? null,
        action,
        entity: 'session',
        entityId: sessionId,
        caseId,
        data,
      }),
    )();
  }

  async open(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    sources: LiveSource[],
  ): Promise<LiveStatusDto> {
    const head = sessionHead(this.deps.db, sessionId);
    if (!head) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    this.requireDesk(caller, connectionId, sessionId, head.caseId, '实时转发询问、听证');
    if (!LIVE_STATUSES.has(head.status)) {
      throw new AppError('CONFLICT', '只有正在录制的询问、听证可以实时转发');
    }
    if (new Set(sources.map((s) => s.sourceId)).size !== sources.length) {
      throw new AppError('INVALID_INPUT', 'a source is named twice');
    }
    const existing = this.rooms.get(sessionId);
    if (existing) {
      // The desk came back (a reload, a new connection): the same room, its new sources.
      existing.deskConnection = connectionId;
      existing.room.sources = sources;
    } else {
      const room = new LiveRoom(this.sfu, sources, this.log);
      this.rooms.set(sessionId, {
        sessionId,
        caseId: head.caseId,
        deskConnection: connectionId,
        room,
      });
      this.relay?.attach(this.relayKey(sessionId), room);
      this.audit(caller, 'live.opened', sessionId, head.caseId, {
        sources: sources.map((s) => s.label),
      });
    }
    await this.startLan();
    return this.statusOf(sessionId);
  }

  close(caller: Caller | null, sessionId: number, connectionId?: number): { ended: number } {
    const r = this.rooms.get(sessionId);
    if (!r) return { ended: 0 };
    if (caller) this.requireDesk(caller, connectionId ?? -1, sessionId, r.caseId, '停止实时转发');
    let ended = 0;
    for (const v of [...this.viewings.values()]) {
      if (v.sessionId === sessionId) {
        this.end(v, 'closed');
        ended++;
      }
    }
    this.remotes.roomClosed(sessionId);
    this.desk.drop(sessionId);
    this.relay?.detach(this.relayKey(sessionId));
    r.room.close();
    this.rooms.delete(sessionId);
    this.audit(caller, 'live.closed', sessionId, r.caseId, { viewingsEnded: ended });
    return { ended };
  }

  status(caller: Caller, connectionId: number, sessionId: number): LiveStatusDto {
    this.requireDesk(caller, connectionId, sessionId, this.caseOf(sessionId), '查看实时观看情况');
    return this.statusOf(sessionId);
  }

  /**
   * The room is run from the desk that records the session, or by the case team: the
   * recording desk's account may record without being on the team, as recording allows.
   */
  private requireDesk(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    caseId: number,
    what: string,
  ): void {
    if (this.recordsOn(connectionId, sessionId)) return;
    this.guard.requireTeam(caller, { caseId, what, entity: 'session', entityId: sessionId });
  }

  private statusOf(sessionId: number): LiveStatusDto {
    const r = this.rooms.get(sessionId);
    return {
      sessionId,
      open: r !== undefined,
      sources: (r?.room.sources ?? []).map((s) => ({
        ...s,
        forwarding: r!.room.forwarding(s.sourceId),
      })),
      observers: [...this.viewings.values()]
        .filter((v) => v.sessionId === sessionId)
        .map(({ viewingId, userId, name, basis, since, address }) => ({
          viewingId,
          userId,
          name,
          basis,
          since,
          address,
        })),
      notes: this.notesOf(sessionId),
      remotes: this.remotes.list(sessionId),
      lan: this.lanAt
        ? {
            ...this.lanAt,
            watchUrl: `${this.lanAt.origin}/#/live/${r?.caseId ?? this.caseOf(sessionId)}/${sessionId}`,
          }
        : null,
    };
  }

  /** The desk invites a remote participant into the room it forwards. */
  invite(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    name: string,
    role: ParticipantRole,
  ): LiveInviteDto {
    const caseId = this.caseOf(sessionId);
    this.requireDesk(caller, connectionId, sessionId, caseId, '邀请远程参加人员');
    if (!this.rooms.has(sessionId)) {
      throw new AppError('CONFLICT', '先开始实时转发，远程参加人员才能加入');
    }
    const invite = this.remotes.invite(caller, sessionId, caseId, name, role);
    return { ...invite, lanUrl: this.lanAt ? `${this.lanAt.origin}/${invite.path}` : null };
  }

  /** An officer at the desk checks a remote participant's identity on video. */
  checkIdentity(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    remoteId: number,
    credential: string,
  ): LiveRemoteDto {
    this.requireDesk(
      caller,
      connectionId,
      sessionId,
      this.caseOf(sessionId),
      '核验远程参加人员身份',
    );
    return this.remotes.checkIdentity(caller, sessionId, remoteId, credential);
  }

  /** A live frame from a connection: forwarded when that connection is a room's desk. */
  receive(connectionId: number, header: LiveFrameHeader, payload: Uint8Array): void {
    for (const r of this.rooms.values()) {
      if (r.deskConnection === connectionId) {
        r.room.feed(header, payload);
        return;
      }
    }
  }

  async watch(
    caller: Caller,
    connectionId: number,
    sessionId: number,
    grantId?: number,
  ): Promise<LiveWatchDto> {
    const user = requireUser(caller);
    const caseId = this.caseOf(sessionId);
    const basis = this.guard.require(caller, {
      caseId,
      mode: 'view',
      sessionIds: [sessionId],
      what: '实时观看询问、听证',
      grantId,
      entity: 'session',
      entityId: sessionId,
    });
    const r = this.rooms.get(sessionId);
    if (!r) throw new AppError('CONFLICT', '这场询问、听证现在没有实时转发');
    const { router, viewer } = await r.room.viewer();
    const viewingId = this.nextViewing++;
    const viewing: Viewing = {
      viewingId,
      userId: user.id,
      name: user.displayName,
      basis: basisText(basis),
      since: this.deps.now(),
      address: caller.address ?? null,
      sessionId,
      caseId,
      connectionId,
      viewer,
      relayTicket: null,
    };
    // Piped to a relay: the observer receives there, with a ticket for this viewing alone.
    let relay: LiveWatchDto['relay'] = null;
    if (this.relay?.piping(this.relayKey(sessionId))) {
      try {
        relay = await this.relay.ticket(
          this.relayKey(sessionId),
          this.deps.now() + RELAY_TICKET_MS,
        );
        viewing.relayTicket = relay.ticket;
      } catch (e) {
        this.log(`relay ticket: ${e instanceof Error ? e.message : String(e)}; watching here`);
      }
    }
    this.viewings.set(viewingId, viewing);
    this.audit(caller, 'live.viewing_started', sessionId, caseId, {
      viewingId,
      basis: viewing.basis,
      ...(basis.kind === 'grant' ? { grantId: basis.grantId } : {}),
      address: viewing.address,
    });
    return {
      viewingId,
      sessionId,
      relay,
      routerRtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown>,
      transport: transportParamsOf(viewer.transport),
      producers: this.producersOf(r),
    };
  }

  private viewingOf(caller: Caller, viewingId: number): Viewing {
    const user = requireUser(caller);
    const v = this.viewings.get(viewingId);
    // Another account's viewing is as unknown as one that ended.
    if (!v || v.userId !== user.id) throw new AppError('NOT_FOUND', `no viewing ${viewingId}`);
    return v;
  }

  private producersOf(r: Room): LiveProducerDto[] {
    return r.room.producers().map(({ producerId, source }) => ({
      producerId,
      sourceId: source.sourceId,
      kind: source.kind,
      label: source.label,
    }));
  }

  producers(caller: Caller, viewingId: number): LiveProducerDto[] {
    const v = this.viewingOf(caller, viewingId);
    const r = this.rooms.get(v.sessionId);
    return r ? this.producersOf(r) : [];
  }

  async connect(
    caller: Caller,
    viewingId: number,
    dtlsParameters: Record<string, unknown>,
  ): Promise<null> {
    const v = this.viewingOf(caller, viewingId);
    await sfuInput(() =>
      v.viewer.transport.connect({ dtlsParameters: dtlsParameters as unknown as DtlsParameters }),
    );
    return null;
  }

  async consume(
    caller: Caller,
    viewingId: number,
    producerId: string,
    rtpCapabilities: Record<string, unknown>,
  ): Promise<LiveConsumerDto> {
    const v = this.viewingOf(caller, viewingId);
    const r = this.rooms.get(v.sessionId);
    if (!r || !r.room.producers().some((p) => p.producerId === producerId)) {
      throw new AppError('NOT_FOUND', `no source ${producerId} in this live room`);
    }
    const router = await r.room.routerNow();
    if (
      !router.canConsume({
        producerId,
        rtpCapabilities: rtpCapabilities as unknown as RtpCapabilities,
      })
    ) {
      throw new AppError('CONFLICT', '观看端无法解码这一路音视频（需要 H.264 与 Opus）');
    }
    return consumeOn(v.viewer, producerId, rtpCapabilities);
  }

  resume(caller: Caller, viewingId: number, consumerId: string): Promise<null> {
    return resumeOn(this.viewingOf(caller, viewingId).viewer, consumerId);
  }

  note(caller: Caller, viewingId: number, text: string): LiveNoteDto {
    const v = this.viewingOf(caller, viewingId);
    const head = sessionHead(this.deps.db, v.sessionId)!;
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      appendSessionEvent(this.deps.db, {
        sessionId: v.sessionId,
        startedAt: head.startedAt,
        at,
        kind: 'observer.note',
        userId: v.userId,
        data: { viewingId, name: v.name, basis: v.basis, text },
      });
      this.deps.audit.append({
        at,
        actorUserId: v.userId,
        actor: v.name,
        action: 'live.noted',
        entity: 'session',
        entityId: v.sessionId,
        caseId: v.caseId,
        data: { viewingId, text },
      });
    })();
    return {
      at,
      atUs: head.startedAt === null ? null : (at - head.startedAt) * 1000,
      name: v.name,
      text,
    };
  }

  private notesOf(sessionId: number): LiveNoteDto[] {
    return sessionEvents(this.deps.db, sessionId, 'observer.note').map((e) => {
      const d = e.data as { name: string; text: string };
      return { at: e.at, atUs: e.atUs, name: d.name, text: d.text };
    });
  }

  leave(caller: Caller, viewingId: number): null {
    this.end(this.viewingOf(caller, viewingId), 'left');
    return null;
  }

  private end(v: Viewing, why: ViewingEnd): void {
    if (!this.viewings.delete(v.viewingId)) return;
    if (!v.viewer.transport.closed) v.viewer.transport.close();
    if (v.relayTicket) this.relay?.revoke(this.relayKey(v.sessionId), v.relayTicket);
    const at = this.deps.now();
    this.audit(
      null,
      'live.viewing_ended',
      v.sessionId,
      v.caseId,
      { viewingId: v.viewingId, why, since: v.since, seconds: Math.round((at - v.since) / 1000) },
      { id: v.userId, name: v.name },
    );
  }

  /** The relay says the observer of this ticket went away there. */
  private relayViewerEnded(ticket: string): void {
    for (const v of [...this.viewings.values()])
      if (v.relayTicket === ticket) this.end(v, 'disconnected');
  }

  /** A connection went away: its viewings end; a desk's room ends with the session's recording, not here. */
  connectionClosed(connectionId: number): void {
    this.remotes.connectionClosed(connectionId);
    this.desk.connectionClosed(connectionId);
    for (const v of [...this.viewings.values()]) {
      if (v.connectionId === connectionId) this.end(v, 'disconnected');
    }
  }

  /** The session's recording ended: forwarding stops and its viewings end. */
  sessionEnded(sessionId: number): void {
    if (this.rooms.has(sessionId)) this.close(null, sessionId);
  }

  stop(): void {
    for (const sessionId of [...this.rooms.keys()]) this.close(null, sessionId);
    this.relay?.close();
    this.sfu.close();
    void this.lanServer?.close();
  }
}

function basisText(basis: AccessBasisDto): string {
  return basis.kind === 'team' ? '办案人员' : `查阅授权第 ${basis.grantId} 号`;
}

/**
 * Remote participants of the live room (R2.3): an interpreter, a lawyer, a witness or the
 * party in a remote hearing joins by a one-time invitation the desk creates. The token is
 * the right: it admits one connection at a time to this session only, for as long as the
 * session records (four hours at most); only its hash is kept, and nothing with it is
 * written down. Their camera and microphone go into the room (the desk records them like its
 * own sources; observers see them); the room's program and sound come back to them. Joining
 * and leaving (left, connection lost, the room closed, the SFU restarted) are audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  remoteSourceId,
  type LiveConsumerDto,
  type LiveInviteDto,
  type LiveJoinDto,
  type LiveRemoteDto,
} from '../../../shared/api/live';
import type { ParticipantRole } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { ZH_ENUMS } from '../../../shared/names-zh';
import {
  transportParamsOf,
  type DtlsParameters,
  type Producer,
  type RtpParameters,
  type Sfu,
  type WebRtcTransport,
} from '../../platform/sfu/sfu';
import type { Caller, ServiceDeps } from '../context';
import { appendSessionEvent, sessionHead } from '../sessions';
import { consumeOn, resumeOn, sfuInput, type LiveRoom, type RoomViewer } from './room';
import { remoteParticipationOf } from './participation';

/** The timeline entry of each act that goes on the session's timeline. */
const TIMELINE_KIND_OF = {
  'live.remote_joined': 'remote.joined',
  'live.remote_left': 'remote.left',
  'live.remote_identity_checked': 'remote.identity_checked',
} as const;

/** How long an invitation admits its holder at most. */
export const INVITE_MS = 4 * 3_600_000;

export type RemoteEnd = 'left' | 'disconnected' | 'closed' | 'sfu_restarted';

interface Invite {
  inviteId: number;
  sessionId: number;
  caseId: number;
  name: string;
  role: ParticipantRole;
  expiresAt: number;
}

interface Remote {
  remoteId: number;
  invite: Invite;
  connectionId: number;
  address: string | null;
  since: number;
  send: WebRtcTransport;
  /** What they see and hear of the room: the program and the sound. */
  receiver: RoomViewer;
  producers: Producer[];
  identity: LiveRemoteDto['identity'];
}

/** What the remote participants need of the live room's service. */
export interface RemotesPort {
  room(sessionId: number): LiveRoom | null;
  /** The room's own producers a remote participant sees and hears: the program and the sound. */
  roomProducers(
    sessionId: number,
  ): { producerId: string; kind: 'video' | 'audio'; label: string; sourceId: string }[];
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class LiveRemotes {
  private readonly invites = new Map<string, Invite>();
  private readonly remotes = new Map<number, Remote>();
  private nextInvite = 1;
  private nextRemote = 1;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly sfu: Sfu,
    private readonly port: RemotesPort,
  ) {}

  private audit(
    action:
      'live.invited' | 'live.remote_joined' | 'live.remote_left' | 'live.remote_identity_checked',
    invite: Invite,
    data: Record<string, unknown>,
    caller?: Caller,
  ): void {
    const user = caller?.user;
    const at = this.deps.now();
    this.deps.db.transaction(() => {
      // Joining and leaving are on the session's timeline too: the written record and the
      // sealed record name who took part remotely, from when to when.
      if (action !== 'live.invited') {
        appendSessionEvent(this.deps.db, {
          sessionId: invite.sessionId,
          startedAt: sessionHead(this.deps.db, invite.sessionId)?.startedAt ?? null,
          at,
          kind: TIMELINE_KIND_OF[action],
          userId: user?.id ?? null,
          data: { inviteId: invite.inviteId, name: invite.name, role: invite.role, ...data },
        });
      }
      this.deps.audit.append({
        at,
        actorUserId: user?.id ?? null,
        // A remote participant has no account: the entry names them as invited.
        actor:
          user?.displayName ?? `${invite.name}（${ZH_ENUMS.participantRole[invite.role]}，远程）`,
        action,
        entity: 'session',
        entityId: invite.sessionId,
        caseId: invite.caseId,
        data: { inviteId: invite.inviteId, name: invite.name, role: invite.role, ...data },
      });
    })();
  }

  invite(
    caller: Caller,
    sessionId: number,
    caseId: number,
    name: string,
    role: ParticipantRole,
  ): Omit<LiveInviteDto, 'lanUrl'> {
    const token = randomBytes(24).toString('base64url');
    // An invitation's number names its participant's sources (remote-<n>-cam) for the whole
    // session, so it continues after the numbers on the session's timeline: after the core
    // restarts mid-session, a new invitee never takes an earlier participant's sources.
    const used = remoteParticipationOf(this.deps.db, sessionId).map((p) => p.inviteId);
    const inviteId = Math.max(this.nextInvite, 1 + Math.max(0, ...used));
    this.nextInvite = inviteId + 1;
    const invite: Invite = {
      inviteId,
      sessionId,
      caseId,
      name,
      role,
      expiresAt: this.deps.now() + INVITE_MS,
    };
    this.invites.set(hashOf(token), invite);
    this.audit('live.invited', invite, { expiresAt: invite.expiresAt }, caller);
    return {
      inviteId: invite.inviteId,
      name,
      role,
      token,
      path: `#/join/${token}`,
      expiresAt: invite.expiresAt,
    };
  }

  async join(connectionId: number, address: string | null, token: string): Promise<LiveJoinDto> {
    const invite = this.invites.get(hashOf(token));
    // One answer for a wrong, used-up or expired token: nothing about which it was.
    if (!invite || invite.expiresAt <= this.deps.now()) {
      throw new AppError('ACCESS_NOT_GRANTED', '邀请无效或已过期，请向执法人员索取新的邀请');
    }
    const room = this.port.room(invite.sessionId);
    if (!room) throw new AppError('CONFLICT', '这场询问、听证现在没有进行，请稍后再试');
    if ([...this.remotes.values()].some((r) => r.invite === invite)) {
      throw new AppError('CONFLICT', '这份邀请已有人在使用，同一时间只能一人加入');
    }
    const router = await room.routerNow();
    const send = await this.sfu.webRtcTransport(router);
    const recv = await this.sfu.webRtcTransport(router);
    const remote: Remote = {
      remoteId: this.nextRemote++,
      invite,
      connectionId,
      address,
      since: this.deps.now(),
      send,
      receiver: { transport: recv, consumers: new Map() },
      producers: [],
      identity: null,
    };
    this.remotes.set(remote.remoteId, remote);
    this.audit('live.remote_joined', invite, { remoteId: remote.remoteId, address });
    return {
      remoteId: remote.remoteId,
      sessionId: invite.sessionId,
      name: invite.name,
      role: invite.role,
      routerRtpCapabilities: router.rtpCapabilities as unknown as Record<string, unknown>,
      send: transportParamsOf(send),
      recv: transportParamsOf(recv),
      producers: this.port.roomProducers(invite.sessionId),
    };
  }

  /** The remote participant of this connection (any other is as unknown as none). */
  private mine(connectionId: number, remoteId: number): Remote {
    const r = this.remotes.get(remoteId);
    if (!r || r.connectionId !== connectionId)
      throw new AppError('NOT_FOUND', `no remote participant ${remoteId}`);
    return r;
  }

  async connect(
    connectionId: number,
    remoteId: number,
    direction: 'send' | 'recv',
    dtlsParameters: Record<string, unknown>,
  ): Promise<null> {
    const r = this.mine(connectionId, remoteId);
    const transport = direction === 'send' ? r.send : r.receiver.transport;
    await sfuInput(() =>
      transport.connect({ dtlsParameters: dtlsParameters as unknown as DtlsParameters }),
    );
    return null;
  }

  async produce(
    connectionId: number,
    remoteId: number,
    kind: 'video' | 'audio',
    rtpParameters: Record<string, unknown>,
  ): Promise<{ producerId: string }> {
    const r = this.mine(connectionId, remoteId);
    if (r.producers.some((p) => p.kind === kind && !p.closed)) {
      throw new AppError('CONFLICT', `a ${kind} source is already sent`);
    }
    const room = this.port.room(r.invite.sessionId);
    if (!room) throw new AppError('CONFLICT', '这场询问、听证现在没有进行');
    const sourceId = remoteSourceId(r.invite.inviteId, kind);
    const producer = await sfuInput(() =>
      r.send.produce({
        kind,
        rtpParameters: rtpParameters as unknown as RtpParameters,
        appData: { sourceId },
      }),
    );
    r.producers.push(producer);
    const role = ZH_ENUMS.participantRole[r.invite.role];
    room.addRemote(producer, {
      sourceId,
      kind,
      label: `${r.invite.name}（${role}，远程${kind === 'video' ? '画面' : '声音'}）`.slice(0, 80),
    });
    return { producerId: producer.id };
  }

  async consume(
    connectionId: number,
    remoteId: number,
    producerId: string,
    rtpCapabilities: Record<string, unknown>,
  ): Promise<LiveConsumerDto> {
    const r = this.mine(connectionId, remoteId);
    // Only the room's own program and sound, not other remote participants nor the cameras.
    if (!this.port.roomProducers(r.invite.sessionId).some((p) => p.producerId === producerId)) {
      throw new AppError('NOT_FOUND', `no source ${producerId} for a remote participant`);
    }
    return consumeOn(r.receiver, producerId, rtpCapabilities);
  }

  resume(connectionId: number, remoteId: number, consumerId: string): Promise<null> {
    return resumeOn(this.mine(connectionId, remoteId).receiver, consumerId);
  }

  leave(connectionId: number, remoteId: number): null {
    this.end(this.mine(connectionId, remoteId), 'left');
    return null;
  }

  private end(r: Remote, why: RemoteEnd): void {
    if (!this.remotes.delete(r.remoteId)) return;
    for (const t of [r.send, r.receiver.transport]) if (!t.closed) t.close();
    this.audit('live.remote_left', r.invite, {
      remoteId: r.remoteId,
      why,
      seconds: Math.round((this.deps.now() - r.since) / 1000),
    });
  }

  /**
   * A remote participant's source that is in the session's room now, as the recording takes
   * it: its kind of segment and who it is. Null for any other.
   */
  source(
    sessionId: number,
    sourceId: string,
  ): { kind: 'camera' | 'microphone'; name: string; role: ParticipantRole } | null {
    for (const r of this.remotes.values()) {
      if (r.invite.sessionId !== sessionId) continue;
      for (const p of r.producers) {
        if (p.closed || (p.appData as { sourceId: string }).sourceId !== sourceId) continue;
        return {
          kind: p.kind === 'video' ? 'camera' : 'microphone',
          name: r.invite.name,
          role: r.invite.role,
        };
      }
    }
    return null;
  }

  /** The identity of a remote participant in the session's room, checked on video by an officer. */
  checkIdentity(
    caller: Caller,
    sessionId: number,
    remoteId: number,
    credential: string,
  ): LiveRemoteDto {
    const r = this.remotes.get(remoteId);
    if (!r || r.invite.sessionId !== sessionId)
      throw new AppError('NOT_FOUND', '这位远程参加人员已不在会场');
    const by = caller.user?.displayName ?? '';
    r.identity = { checkedAt: this.deps.now(), checkedBy: by, credential };
    this.audit(
      'live.remote_identity_checked',
      r.invite,
      { remoteId, credential, checkedBy: by },
      caller,
    );
    return this.list(sessionId).find((x) => x.remoteId === remoteId)!;
  }

  list(sessionId: number): LiveRemoteDto[] {
    return [...this.remotes.values()]
      .filter((r) => r.invite.sessionId === sessionId)
      .map((r) => ({
        remoteId: r.remoteId,
        inviteId: r.invite.inviteId,
        name: r.invite.name,
        role: r.invite.role,
        since: r.since,
        address: r.address,
        identity: r.identity,
        producers: r.producers
          .filter((p) => !p.closed)
          .map((p) => ({
            producerId: p.id,
            sourceId: (p.appData as { sourceId: string }).sourceId,
            kind: p.kind,
            label:
              p.kind === 'video' ? `${r.invite.name}（远程画面）` : `${r.invite.name}（远程声音）`,
          })),
      }));
  }

  connectionClosed(connectionId: number): void {
    for (const r of [...this.remotes.values()])
      if (r.connectionId === connectionId) this.end(r, 'disconnected');
  }

  /** The room closed (recording ended, forwarding stopped): everyone leaves; invitations lapse. */
  roomClosed(sessionId: number): void {
    for (const r of [...this.remotes.values()])
      if (r.invite.sessionId === sessionId) this.end(r, 'closed');
    for (const [hash, invite] of this.invites)
      if (invite.sessionId === sessionId) this.invites.delete(hash);
  }

  sfuLost(): void {
    for (const r of [...this.remotes.values()]) this.end(r, 'sfu_restarted');
  }
}

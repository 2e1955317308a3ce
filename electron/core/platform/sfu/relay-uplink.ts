/**
 * A room's link to `attest relay` (a case-handling centre's server): every producer of the
 * room is piped there once (mediasoup pipe transports, RTP as it is), and observers the
 * workstation admitted (its access check, its audit) receive it there with a one-time
 * ticket, so the room's workstation forwards each source once however many watch. The link
 * is kept up: a relay that was away, or an SFU that restarted, gets the room again.
 */
import { randomBytes } from 'node:crypto';
import type { RelayEvent } from '../../../shared/relay';
import { RelayConnection } from './relay-client';
import type { Consumer, PipeTransport, Router, Sfu } from './sfu';

/** What is piped: a room's router and its producers now (a workstation's room, or a relay's). */
export interface PipedRoom {
  routerNow(): Promise<Router>;
  producers(): { producerId: string; source: { sourceId: string; label: string } }[];
}

/** The relay this workstation's rooms pipe to. */
export interface RelayConfig {
  /** wss://host:port/relay */
  url: string;
  /** SHA-256 of the relay's certificate (AB:CD:…), as `attest relay` prints it. */
  fingerprint: string;
  /** The relay's shared secret. */
  secret: string;
  /** This workstation's name among the relay's rooms. */
  name: string;
}

/** A room's name at the relay: the workstation's name and the session. */
export const relayRoomKey = (name: string, sessionId: number) => `${name}/${sessionId}`;

interface Piped {
  room: PipedRoom;
  key: string;
  pipe: PipeTransport | null;
  consumers: Map<string, Consumer>;
  attaching: boolean;
}

/** How often the rooms are checked against the relay (new producers, a lost link). */
const SYNC_MS = 500;

export class RelayUplink {
  private conn: RelayConnection | null = null;
  private connecting: Promise<RelayConnection> | null = null;
  /** By their name at the relay. */
  private readonly rooms = new Map<string, Piped>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly config: Omit<RelayConfig, 'name'>,
    private readonly sfu: Sfu,
    /** The relay says an observer with this ticket left. */
    private readonly viewerEnded: (ticket: string, key: string) => void,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.sync(), SYNC_MS);
    this.timer.unref();
    sfu.onLost(() => {
      for (const p of this.rooms.values()) this.reset(p);
    });
  }

  private connection(): Promise<RelayConnection> {
    if (this.conn?.open) return Promise.resolve(this.conn);
    this.connecting ??= RelayConnection.open(
      this.config.url,
      this.config.fingerprint,
      { role: 'room', secret: this.config.secret },
      (e: RelayEvent) => {
        if (e.event === 'viewer.ended') this.viewerEnded(e.params.ticket, e.params.room);
      },
    )
      .then((conn) => {
        this.conn = conn;
        conn.onClose((why) => {
          this.log(`relay link closed (${why})`);
          for (const p of this.rooms.values()) this.reset(p);
        });
        return conn;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  /** The room is piped to the relay under `key` from now on (and again after any loss). */
  attach(key: string, room: PipedRoom): void {
    this.rooms.set(key, { room, key, pipe: null, consumers: new Map(), attaching: false });
    void this.sync();
  }

  /** Whether observers of this room can be sent to the relay now. */
  piping(key: string): boolean {
    const p = this.rooms.get(key);
    return p?.pipe !== null && p?.pipe !== undefined && this.conn?.open === true;
  }

  /**
   * A one-time ticket for one observer of the room (`ticket` passes one on from a relay
   * below), and where to use it: this relay, or the one it pipes to in turn.
   */
  async ticket(
    key: string,
    expiresAt: number,
    ticket = randomBytes(24).toString('base64url'),
  ): Promise<{ url: string; ticket: string }> {
    const p = this.rooms.get(key);
    if (!p?.pipe) throw new Error('the room is not at the relay');
    const there = await (
      await this.connection()
    ).call<{ url?: string } | null>('room.ticket', { room: p.key, ticket, expiresAt });
    return { url: there?.url ?? this.config.url, ticket };
  }

  revoke(key: string, ticket: string): void {
    const p = this.rooms.get(key);
    if (!p || !this.conn?.open) return;
    this.conn.call('room.revoke', { room: p.key, ticket }).catch(() => undefined);
  }

  detach(key: string): void {
    const p = this.rooms.get(key);
    if (!p) return;
    this.rooms.delete(key);
    if (this.conn?.open) this.conn.call('room.close', { room: p.key }).catch(() => undefined);
    this.reset(p);
  }

  close(): void {
    clearInterval(this.timer);
    for (const key of [...this.rooms.keys()]) this.detach(key);
    this.conn?.close();
  }

  private reset(p: Piped): void {
    if (p.pipe && !p.pipe.closed) p.pipe.close();
    p.pipe = null;
    p.consumers.clear();
  }

  private async sync(): Promise<void> {
    for (const p of this.rooms.values()) {
      if (p.attaching) continue;
      p.attaching = true;
      try {
        await this.syncRoom(p);
      } catch (e) {
        this.log(`relay: room ${p.key}: ${e instanceof Error ? e.message : String(e)}`);
        this.reset(p);
      } finally {
        p.attaching = false;
      }
    }
  }

  private async syncRoom(p: Piped): Promise<void> {
    const conn = await this.connection();
    if (!p.pipe || p.pipe.closed) {
      const router = await p.room.routerNow();
      const there = await conn.call<{ ip: string; port: number }>('room.open', { room: p.key });
      const pipe = await this.sfu.pipeTransport(router);
      await pipe.connect({ ip: there.ip, port: there.port });
      await conn.call('room.connect', {
        room: p.key,
        ip: pipe.tuple.localAddress,
        port: pipe.tuple.localPort,
      });
      p.pipe = pipe;
      p.consumers.clear();
    }
    const now = new Map(p.room.producers().map((x) => [x.producerId, x.source]));
    for (const [producerId, consumer] of [...p.consumers]) {
      if (now.has(producerId) && !consumer.closed) continue;
      p.consumers.delete(producerId);
      if (!consumer.closed) consumer.close();
      await conn.call('room.unproduce', { room: p.key, producerId });
    }
    for (const [producerId, source] of now) {
      if (p.consumers.has(producerId)) continue;
      const consumer = await p.pipe.consume({ producerId });
      p.consumers.set(producerId, consumer);
      await conn.call('room.produce', {
        room: p.key,
        producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
        paused: consumer.producerPaused,
        sourceId: source.sourceId,
        label: source.label,
      });
    }
  }
}

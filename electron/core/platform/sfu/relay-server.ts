/**
 * `attest relay`: the live room's router on a server. Rooms pipe their producers to it and
 * observers receive them here (see electron/shared/relay.ts for the wire). It keeps nothing
 * on disk but its TLS identity: no recording passes through it, no account lives here; a
 * room's workstation admits observers one ticket at a time after its own access check, and
 * is told when each leaves so the viewing's end is on its record.
 */
import { createHash } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import {
  relayHello,
  relayRoomMethods,
  relayViewerMethods,
  type RelayAnswer,
  type RelayConsumerDto,
  type RelayEvent,
  type RelayProducerDto,
  type RelayWatchDto,
} from '../../../shared/relay';
import { listenLanHttps, type LanHttps } from '../lan-tls';
import { sameSecret } from '../secrets';
import { RelayUplink, type RelayConfig } from './relay-uplink';
import {
  transportParamsOf,
  type Consumer,
  type DtlsParameters,
  type PipeTransport,
  type Producer,
  type Router,
  type RtpCapabilities,
  type RtpParameters,
  type Sfu,
  type WebRtcTransport,
} from './sfu';

export interface RelayOptions {
  sfu: Sfu;
  /** What rooms' workstations present in `hello`. */
  secret: string;
  /** Where the TLS key and certificate are kept. */
  tlsDir: string;
  bindHost?: string;
  /** Port (default 8445; 0 picks a free one). */
  port?: number;
  /** The address rooms and observers are told (default the first LAN IPv4). */
  advertiseHost?: string;
  /**
   * A relay further up (a building's relay piping to a centre's): every room here is piped
   * on to it under the same name, and its observers are sent there.
   */
  upstream?: Omit<RelayConfig, 'name'>;
  log?: (line: string) => void;
}

interface Room {
  key: string;
  uplink: WebSocket;
  router: Router;
  pipe: PipeTransport;
  producers: Map<string, { producer: Producer; dto: RelayProducerDto }>;
  /** Tickets by their hash, until when each admits. */
  tickets: Map<string, number>;
  viewers: Set<Viewer>;
}

interface Viewer {
  ws: WebSocket;
  room: Room;
  ticket: string;
  transport: WebRtcTransport | null;
  consumers: Map<string, Consumer>;
}

const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');
const MAX_FRAME = 256 * 1024;

export class RelayServer {
  private https: LanHttps | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  private readonly rooms = new Map<string, Room>();
  private readonly log: (line: string) => void;
  private url = '';
  private readonly upstream: RelayUplink | null;

  constructor(private readonly opts: RelayOptions) {
    this.log = opts.log ?? (() => undefined);
    this.upstream = opts.upstream
      ? new RelayUplink(
          opts.upstream,
          opts.sfu,
          // An observer left up there: the room's workstation is told, through here.
          (ticket, key) => {
            const r = this.rooms.get(key);
            if (r) this.tell(r, ticket);
          },
          this.log,
        )
      : null;
    opts.sfu.onLost(() => {
      // Every router went with the worker: rooms and viewers end; rooms open again.
      for (const r of [...this.rooms.values()]) this.closeRoom(r, 'sfu_restarted');
    });
  }

  /** Listens: the wss address and the certificate's fingerprint (for rooms to pin). */
  async start(): Promise<{ url: string; fingerprint: string }> {
    const https = await listenLanHttps({
      tlsDir: this.opts.tlsDir,
      advertiseHost: this.opts.advertiseHost,
      bindHost: this.opts.bindHost,
      port: this.opts.port ?? 8445,
      now: Date.now(),
      handle: (_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('attest relay');
      },
      upgrade: (req, socket, head) => {
        if ((req.url ?? '').split('?')[0] !== '/relay' || !this.https?.hostAllowed(req)) {
          socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
      },
    });
    this.https = https;
    this.url = `wss://${https.address}:${https.port}/relay`;
    this.log(`relay listening at ${this.url} (certificate ${https.fingerprint})`);
    return { url: this.url, fingerprint: https.fingerprint };
  }

  async close(): Promise<void> {
    for (const r of [...this.rooms.values()]) this.closeRoom(r, 'closed');
    this.upstream?.close();
    for (const ws of this.wss.clients) ws.terminate();
    const https = this.https;
    this.https = null;
    await https?.close();
  }

  /** Rooms and their viewers now (the `attest relay` status line, tests). */
  stats(): { rooms: number; producers: number; viewers: number } {
    const rooms = [...this.rooms.values()];
    return {
      rooms: rooms.length,
      producers: rooms.reduce((n, r) => n + r.producers.size, 0),
      viewers: rooms.reduce((n, r) => n + r.viewers.size, 0),
    };
  }

  private serve(ws: WebSocket): void {
    let role: { room: true } | { viewer: Viewer } | null = null;
    const answer = (a: RelayAnswer) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(a));
    };
    let queue = Promise.resolve();
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'the relay takes JSON only');
      let id = -1;
      queue = queue.then(async () => {
        try {
          const frame = JSON.parse(String(data)) as {
            id?: unknown;
            method?: unknown;
            params?: unknown;
          };
          id = Number.isSafeInteger(frame.id) ? (frame.id as number) : -1;
          if (typeof frame.method !== 'string') throw new Error('a request names its method');
          if (role === null) {
            if (frame.method !== 'hello') throw new Error('say hello first');
            role = this.hello(ws, relayHello.parse(frame.params));
            return answer({ id, ok: true, result: null });
          }
          const result =
            'viewer' in role
              ? await this.viewerCall(role.viewer, frame.method, frame.params)
              : await this.roomCall(ws, frame.method, frame.params);
          answer({ id, ok: true, result: result ?? null });
        } catch (e) {
          const message =
            e instanceof z.ZodError ? 'bad parameters' : e instanceof Error ? e.message : String(e);
          answer({ id, ok: false, error: message.slice(0, 300) });
          if (role === null) ws.close(4001, 'refused');
        }
      });
    });
    ws.on('close', () => {
      const r = role;
      if (!r) return;
      if ('viewer' in r) this.endViewer(r.viewer, true);
      else
        for (const room of [...this.rooms.values()])
          if (room.uplink === ws) this.closeRoom(room, 'uplink_lost');
    });
    ws.on('error', () => undefined);
  }

  private hello(ws: WebSocket, h: z.infer<typeof relayHello>): { room: true } | { viewer: Viewer } {
    if (h.role === 'room') {
      if (!sameSecret(this.opts.secret, h.secret)) throw new Error('not this relay’s secret');
      return { room: true };
    }
    const key = hashOf(h.ticket);
    for (const room of this.rooms.values()) {
      const until = room.tickets.get(key);
      if (until === undefined || until <= Date.now()) continue;
      // A ticket admits one viewer once.
      room.tickets.delete(key);
      const viewer: Viewer = { ws, room, ticket: h.ticket, transport: null, consumers: new Map() };
      room.viewers.add(viewer);
      return { viewer };
    }
    throw new Error('no such ticket, or it has been used or has expired');
  }

  private roomOf(uplink: WebSocket, key: string): Room {
    const r = this.rooms.get(key);
    if (!r || r.uplink !== uplink) throw new Error(`no room ${key} of this workstation`);
    return r;
  }

  private async roomCall(uplink: WebSocket, method: string, raw: unknown): Promise<unknown> {
    switch (method) {
      case 'room.open': {
        const p = relayRoomMethods['room.open'].parse(raw);
        const old = this.rooms.get(p.room);
        if (old) this.closeRoom(old, 'reopened');
        const router = await this.opts.sfu.router();
        const pipe = await this.opts.sfu.pipeTransport(router);
        const room: Room = {
          key: p.room,
          uplink,
          router,
          pipe,
          producers: new Map(),
          tickets: new Map(),
          viewers: new Set(),
        };
        this.rooms.set(p.room, room);
        this.upstream?.attach(p.room, {
          routerNow: () => Promise.resolve(router),
          producers: () =>
            [...room.producers.values()].map(({ dto }) => ({
              producerId: dto.producerId,
              source: { sourceId: dto.sourceId, label: dto.label },
            })),
        });
        this.log(`room ${p.room} opened`);
        return {
          ip: pipe.tuple.localAddress,
          port: pipe.tuple.localPort,
        };
      }
      case 'room.connect': {
        const p = relayRoomMethods['room.connect'].parse(raw);
        await this.roomOf(uplink, p.room).pipe.connect({ ip: p.ip, port: p.port });
        return null;
      }
      case 'room.produce': {
        const p = relayRoomMethods['room.produce'].parse(raw);
        const r = this.roomOf(uplink, p.room);
        const producer = await r.pipe.produce({
          id: p.producerId,
          kind: p.kind,
          rtpParameters: p.rtpParameters as unknown as RtpParameters,
          paused: p.paused,
        });
        r.producers.set(producer.id, {
          producer,
          dto: { producerId: producer.id, kind: p.kind, sourceId: p.sourceId, label: p.label },
        });
        return null;
      }
      case 'room.unproduce': {
        const p = relayRoomMethods['room.unproduce'].parse(raw);
        const r = this.roomOf(uplink, p.room);
        r.producers.get(p.producerId)?.producer.close();
        r.producers.delete(p.producerId);
        return null;
      }
      case 'room.ticket': {
        const p = relayRoomMethods['room.ticket'].parse(raw);
        const r = this.roomOf(uplink, p.room);
        // Piped further up: the observer goes there, with the same ticket.
        if (this.upstream?.piping(p.room)) {
          const there = await this.upstream.ticket(p.room, p.expiresAt, p.ticket);
          return { url: there.url };
        }
        r.tickets.set(hashOf(p.ticket), p.expiresAt);
        return { url: this.url };
      }
      case 'room.revoke': {
        const p = relayRoomMethods['room.revoke'].parse(raw);
        const r = this.roomOf(uplink, p.room);
        r.tickets.delete(hashOf(p.ticket));
        for (const v of [...r.viewers]) if (v.ticket === p.ticket) this.endViewer(v, false);
        this.upstream?.revoke(p.room, p.ticket);
        return null;
      }
      case 'room.close': {
        const p = relayRoomMethods['room.close'].parse(raw);
        this.closeRoom(this.roomOf(uplink, p.room), 'closed');
        return null;
      }
      default:
        throw new Error(`no method ${method} for a room`);
    }
  }

  private async viewerCall(v: Viewer, method: string, raw: unknown): Promise<unknown> {
    if (!this.rooms.has(v.room.key)) throw new Error('the room has closed');
    switch (method) {
      case 'watch': {
        relayViewerMethods.watch.parse(raw ?? {});
        v.transport ??= await this.opts.sfu.webRtcTransport(v.room.router);
        const dto: RelayWatchDto = {
          routerRtpCapabilities: v.room.router.rtpCapabilities as unknown as Record<
            string,
            unknown
          >,
          transport: transportParamsOf(v.transport),
          producers: [...v.room.producers.values()].map((p) => p.dto),
        };
        return dto;
      }
      case 'connect': {
        const p = relayViewerMethods.connect.parse(raw);
        await this.transportOf(v).connect({
          dtlsParameters: p.dtlsParameters as unknown as DtlsParameters,
        });
        return null;
      }
      case 'consume': {
        const p = relayViewerMethods.consume.parse(raw);
        if (!v.room.producers.has(p.producerId)) throw new Error(`no source ${p.producerId}`);
        const consumer = await this.transportOf(v).consume({
          producerId: p.producerId,
          rtpCapabilities: p.rtpCapabilities as unknown as RtpCapabilities,
          paused: true,
        });
        v.consumers.set(consumer.id, consumer);
        const dto: RelayConsumerDto = {
          consumerId: consumer.id,
          producerId: p.producerId,
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters as unknown as Record<string, unknown>,
        };
        return dto;
      }
      case 'resume': {
        const p = relayViewerMethods.resume.parse(raw);
        const c = v.consumers.get(p.consumerId);
        if (!c) throw new Error(`no consumer ${p.consumerId}`);
        await c.resume();
        return null;
      }
      case 'producers':
        relayViewerMethods.producers.parse(raw ?? {});
        return [...v.room.producers.values()].map((p) => p.dto);
      default:
        throw new Error(`no method ${method} for an observer`);
    }
  }

  private transportOf(v: Viewer): WebRtcTransport {
    if (!v.transport) throw new Error('watch first');
    return v.transport;
  }

  /** A viewer leaves: its transport closes and its room's workstation is told. */
  private endViewer(v: Viewer, tell: boolean): void {
    if (!v.room.viewers.delete(v)) return;
    if (v.transport && !v.transport.closed) v.transport.close();
    if (v.ws.readyState === v.ws.OPEN) v.ws.close(4002, 'the viewing ended');
    if (tell) this.tell(v.room, v.ticket);
  }

  /** Tells a room's workstation (or the relay below) that the observer of `ticket` left. */
  private tell(r: Room, ticket: string): void {
    if (r.uplink.readyState !== r.uplink.OPEN) return;
    const event: RelayEvent = { event: 'viewer.ended', params: { room: r.key, ticket } };
    r.uplink.send(JSON.stringify(event));
  }

  private closeRoom(r: Room, why: string): void {
    if (this.rooms.get(r.key) !== r) return;
    this.rooms.delete(r.key);
    this.upstream?.detach(r.key);
    for (const v of [...r.viewers]) this.endViewer(v, true);
    if (!r.router.closed) r.router.close();
    this.log(`room ${r.key} closed (${why})`);
  }
}

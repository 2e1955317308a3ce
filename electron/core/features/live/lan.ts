/**
 * The live room on the LAN: an observer in another office (a leader, a legal reviewer) and a
 * remote participant open its pages over HTTPS from this workstation, and nothing else.
 *
 * - TLS with the workstation's LAN certificate (platform/lan-tls.ts); the desk shows its
 *   SHA-256 fingerprint with the address, so the page can be checked before a password is
 *   typed into it.
 * - The built renderer is served with `attest-transport=lan-live`: it shows only the sign-in,
 *   the observer page and the remote participant's page.
 * - Its WebSocket passes only those pages' methods; the core checks each as it does for any
 *   connection (the access check and the audit of every viewing, the invitation's token).
 *   Binary frames (media) are refused: nothing is recorded from here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenLanHttps, type LanHttps } from '../../platform/lan-tls';
import {
  contentSecurityPolicy,
  serveRenderer,
  setSecurityHeaders,
} from '../../platform/web-static';

/** The methods the LAN pages call: sign-in, watching, a note, the transcript, joining. */
export const LAN_LIVE_METHODS: ReadonlySet<string> = new Set([
  'app.info',
  'auth.me',
  'auth.signIn',
  'auth.signOut',
  'live.watch',
  'live.connect',
  'live.consume',
  'live.resume',
  'live.producers',
  'live.note',
  'live.leave',
  'transcripts.get',
  'live.join',
  'live.remote.connect',
  'live.remote.produce',
  'live.remote.consume',
  'live.remote.resume',
  'live.remote.leave',
]);
/** The events the LAN pages follow. */
const LAN_LIVE_EVENTS: ReadonlySet<string> = new Set(['auth.changed', 'transcript.changed']);
const MAX_FRAME = 256 * 1024;

/** How this workstation offers the live room on the LAN (absent: not offered). */
export interface LanLiveConfig {
  /** The built renderer the pages are served from. */
  rendererDir: string;
  /** Interface to listen on (default 0.0.0.0). */
  bindHost?: string | undefined;
  /** Port (default 8444; 0 picks a free one). */
  port?: number | undefined;
  /** The address observers are told to open (default the first LAN IPv4). */
  advertiseHost?: string | undefined;
  /** Origins the pages may open sockets to besides this server (the relay). */
  connectTo?: readonly string[] | undefined;
}

/** One connection to the core, as the core hands it out. */
export interface LanCoreLink {
  receive(text: string): Promise<void>;
  close(): void;
}

export class LanLiveServer {
  private https: LanHttps | null = null;
  private starting: Promise<{ origin: string; fingerprint: string }> | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly config: LanLiveConfig,
    private readonly tlsDir: string,
    private readonly connect: (send: (text: string) => void, address: string | null) => LanCoreLink,
    private readonly now: () => number = Date.now,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Starts listening (once): the address to open and the certificate's fingerprint. */
  start(): Promise<{ origin: string; fingerprint: string }> {
    this.starting ??= (async () => {
      const https = await listenLanHttps({
        tlsDir: this.tlsDir,
        advertiseHost: this.config.advertiseHost,
        bindHost: this.config.bindHost,
        port: this.config.port ?? 8444,
        now: this.now(),
        handle: (req, res) => this.handle(req, res),
        upgrade: (req, socket, head) => this.upgrade(req, socket, head),
      });
      this.https = https;
      const origin = `https://${https.address}:${https.port}`;
      this.log(`live room on the LAN at ${origin}/`);
      return { origin, fingerprint: https.fingerprint };
    })();
    this.starting.catch(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.close(1001, 'closing');
    const https = this.https;
    this.https = null;
    this.starting = null;
    await https?.close();
  }

  private hostAllowed(req: IncomingMessage): boolean {
    return this.https?.hostAllowed(req) ?? false;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    setSecurityHeaders(res, { csp: contentSecurityPolicy(this.config.connectTo) });
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('Cache-Control', 'no-store');
    if (!this.hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    serveRenderer(
      req,
      res,
      this.config.rendererDir,
      '<meta name="attest-transport" content="lan-live">',
      (line) => this.log(`live room on the LAN: ${line}`),
    );
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.hostAllowed(req)) return reject(421, 'Misdirected Request');
    if ((req.url ?? '').split('?')[0] !== '/rpc') return reject(404, 'Not Found');
    // Only this server's own pages open its socket (no other site, through the browser).
    if (req.headers.origin !== `https://${req.headers.host}`) return reject(403, 'Forbidden');
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.serve(ws, req.socket.remoteAddress ?? null),
    );
  }

  /** One page's socket: its methods pass to the core, the rest is refused here. */
  private serve(ws: WebSocket, address: string | null): void {
    this.sockets.add(ws);
    const send = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (text.startsWith('{"t":"evt"')) {
        let event: unknown;
        try {
          event = (JSON.parse(text) as { event?: unknown }).event;
        } catch {
          return;
        }
        if (typeof event !== 'string' || !LAN_LIVE_EVENTS.has(event)) return;
      }
      ws.send(text);
    };
    const link = this.connect(send, address);
    const refuse = (id: number, message: string) =>
      ws.send(JSON.stringify({ t: 'res', id, ok: false, error: { code: 'FORBIDDEN', message } }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'the live room on the LAN takes no media');
        return;
      }
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      let frame: { t?: unknown; id?: unknown; method?: unknown };
      try {
        frame = JSON.parse(text) as typeof frame;
      } catch {
        refuse(-1, 'the frame is not JSON');
        return;
      }
      const id = Number.isSafeInteger(frame.id) ? (frame.id as number) : -1;
      if (
        frame.t !== 'req' ||
        typeof frame.method !== 'string' ||
        !LAN_LIVE_METHODS.has(frame.method)
      ) {
        refuse(id, 'this address serves only watching live and joining remotely');
        return;
      }
      link.receive(text).catch((e: unknown) => {
        this.log(
          `live room on the LAN: receive failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    });
    ws.on('error', (e) => this.log(`live room on the LAN: socket error: ${e.message}`));
    ws.on('close', () => {
      this.sockets.delete(ws);
      link.close();
    });
  }
}

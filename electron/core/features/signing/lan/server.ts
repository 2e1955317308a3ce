/**
 * The LAN signing tablet (R2.2): a tablet on the interview room's network opens the party's
 * signing page over HTTPS, and nothing else.
 *
 * - TLS with a self-issued server certificate kept in the data directory; its SHA-256
 *   fingerprint is shown on the officer's screen, so the tablet's user can check that the
 *   page really comes from this workstation before trusting it.
 * - Pairing: the desk asks for a six-digit code (valid {@link PAIRING_CODE_MS}, used once).
 *   The tablet types it into the one page an unpaired browser can get; five wrong codes from
 *   one address shut that address out for the code's lifetime (a noisy device cannot void
 *   everyone's pairing). A right one gives the browser an HttpOnly, Secure, SameSite=Strict
 *   cookie bound to that one signing, and ends the signing's earlier tablet: one tablet per
 *   signing. A pairing ends when its signing is no longer open.
 * - A paired browser gets the renderer (the party page only: the address carries the
 *   signing) and a WebSocket on which only the party page's methods pass, and only for its
 *   own signing and token; events other than that signing's are not sent to it.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenLanHttps, type LanHttps } from '../../../platform/lan-tls';
import { sameSecret } from '../../../platform/secrets';
import { MIME, serveRenderer, setSecurityHeaders } from '../../../platform/web-static';

/** How long a pairing code may be typed in. */
export const PAIRING_CODE_MS = 5 * 60 * 1000;
/** Wrong codes from one address after which it may not pair for {@link PAIRING_CODE_MS}. */
export const PAIRING_ATTEMPTS = 5;
/** How long a paired tablet stays paired (a long hearing's review and signing). */
export const TABLET_SESSION_MS = 12 * 3600 * 1000;
/** What a paired tablet may call: the party page's methods, for its own signing. */
export const TABLET_METHODS: ReadonlySet<string> = new Set([
  'signing.status',
  'signing.preview',
  'signing.viewPage',
  'signing.confirmCorrection',
  'signing.signPage',
  'signing.seam',
  'signing.closingStatement',
  'signing.officer',
]);
const COOKIE = 'attest_tablet';
const MAX_FRAME = 1024 * 1024;

export interface LanTabletOptions {
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Where the TLS key and certificate are kept. */
  tlsDir: string;
  /** Interface to listen on (default every interface, 0.0.0.0). */
  bindHost?: string;
  /** Port (default 8443; 0 picks a free one). */
  port?: number;
  /** The address the tablet is told to open (default the first LAN IPv4 of this machine). */
  advertiseHost?: string;
  now?: () => number;
  log?: (line: string) => void;
  /** Whether a signing is still open: a pairing ends with its signing. */
  isOpen?: (signingId: number) => boolean;
}

export interface LanTarget {
  signingId: number;
  sessionId: number;
  token: string;
}

export interface LanPairing {
  url: string;
  code: string;
  /** SHA-256 of the server certificate, as browsers show it (AB:CD:…). */
  fingerprint: string;
  expiresAt: number;
}

/** One connection to the core, as the core hands it out. */
export interface CoreLink {
  receive(text: string): Promise<void>;
  close(): void;
}

interface Pairing extends LanTarget {
  code: string;
  expiresAt: number;
}

interface Paired extends LanTarget {
  expiresAt: number;
  sockets: Set<WebSocket>;
}

function cookieOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export class LanTabletServer {
  /** Listening, with the address the tablet is told to open (its certificate names it). */
  private https: LanHttps | null = null;
  private starting: Promise<LanHttps> | null = null;
  private readonly pairings = new Map<number, Pairing>();
  private readonly paired = new Map<string, Paired>();
  /** Wrong codes per client address, and until when an address that had too many is shut out. */
  private readonly failures = new Map<string, { count: number; until: number }>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly opts: LanTabletOptions,
    private readonly connect: (send: (text: string) => void) => CoreLink,
  ) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
  }

  /** Starts listening (once). */
  private start(): Promise<LanHttps> {
    this.starting ??= listenLanHttps({
      tlsDir: this.opts.tlsDir,
      advertiseHost: this.opts.advertiseHost,
      bindHost: this.opts.bindHost,
      port: this.opts.port ?? 8443,
      now: this.now(),
      handle: (req, res) => this.handle(req, res),
      upgrade: (req, socket, head) => this.upgrade(req, socket, head),
    }).then((https) => {
      this.https = https;
      this.log(`LAN signing tablet listening on ${this.opts.bindHost ?? '0.0.0.0'}:${https.port}`);
      return https;
    });
    this.starting.catch(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** A new six-digit code for one signing (any older code of that signing is void). */
  async pair(target: LanTarget): Promise<LanPairing> {
    const https = await this.start();
    const taken = new Set([...this.pairings.values()].map((p) => p.code));
    let code: string;
    do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (taken.has(code));
    const expiresAt = this.now() + PAIRING_CODE_MS;
    this.pairings.set(target.signingId, { ...target, code, expiresAt });
    return {
      url: `https://${https.address}:${https.port}/`,
      code,
      fingerprint: https.fingerprint,
      expiresAt,
    };
  }

  /** Ends the pairing code and every paired tablet of a signing; the number of tablets. */
  unpair(signingId: number): number {
    this.pairings.delete(signingId);
    let n = 0;
    for (const [sid, p] of this.paired) {
      if (p.signingId !== signingId) continue;
      for (const ws of p.sockets) ws.close(4001, 'unpaired');
      this.paired.delete(sid);
      n++;
    }
    return n;
  }

  /** The address and port while listening (tests, diagnostics). */
  listening(): { port: number; fingerprint: string } | null {
    return this.https ? { port: this.https.port, fingerprint: this.https.fingerprint } : null;
  }

  async close(): Promise<void> {
    const https = this.https;
    this.https = null;
    for (const p of this.paired.values()) for (const ws of p.sockets) ws.close(1001, 'stopping');
    this.paired.clear();
    this.pairings.clear();
    this.wss.close();
    await https?.close();
  }

  // -------------------------------------------------------------------------------------

  private session(req: IncomingMessage): Paired | null {
    const sid = cookieOf(req);
    if (!sid) return null;
    const p = this.paired.get(sid);
    if (!p) return null;
    if (p.expiresAt <= this.now() || !(this.opts.isOpen?.(p.signingId) ?? true)) {
      for (const ws of p.sockets) ws.close(4001, 'unpaired');
      this.paired.delete(sid);
      return null;
    }
    return p;
  }

  private hostAllowed(req: IncomingMessage): boolean {
    return this.https?.hostAllowed(req) ?? false;
  }

  /** Our usual headers, and for HTTPS: stay on HTTPS, keep nothing in a cache. */
  private headers(res: ServerResponse, opts?: Parameters<typeof setSecurityHeaders>[1]): void {
    setSecurityHeaders(res, opts);
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('Cache-Control', 'no-store');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.headers(res);
    if (!this.hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/pair') {
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      this.pairRequest(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/pairing.css') {
      res.writeHead(200, { 'Content-Type': MIME['.css']! }).end(PAIRING_CSS);
      return;
    }
    const paired = this.session(req);
    if (!paired) {
      // An unpaired browser gets the pairing page at / and nothing else.
      if (path === '/' || !extname(path)) this.pairingPage(res, 200, null);
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    serveRenderer(
      req,
      res,
      this.opts.rendererDir,
      '<meta name="attest-transport" content="lan-tablet">',
      (line) => this.log(`LAN tablet: ${line}`),
    );
  }

  private pairingPage(res: ServerResponse, status: number, error: string | null): void {
    this.headers(res, {
      csp: "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      // With no-referrer, a browser posts the form with `Origin: null`; same-origin keeps
      // the real origin on the post, which /pair checks.
      referrerPolicy: 'same-origin',
    });
    res.writeHead(status, { 'Content-Type': MIME['.html']! });
    res.end(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Attest 签名平板配对</title><link rel="stylesheet" href="/pairing.css"></head>
<body><main>
<h1>签名平板配对 · Pair this tablet</h1>
<p>请核对浏览器显示的证书指纹（SHA-256）与执法人员屏幕上显示的一致，然后输入屏幕上的 6 位配对码。</p>
<p lang="en">Check that the certificate fingerprint (SHA-256) your browser shows matches the one on the officer's screen, then type the 6-digit code shown there.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/pair">
<label for="code">配对码 Pairing code</label>
<input id="code" name="code" inputmode="numeric" autocomplete="off" pattern="[0-9]{6}" maxlength="6" required autofocus>
<button type="submit">配对 Pair</button>
</form></main></body></html>`);
  }

  private pairRequest(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `https://${req.headers.host}`) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden');
      return;
    }
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 1024) {
        tooBig = true;
        req.destroy();
      }
    });
    req.on('end', () => {
      if (tooBig) return;
      const code = (new URLSearchParams(body).get('code') ?? '').trim();
      const at = this.now();
      const from = req.socket.remoteAddress ?? 'unknown';
      for (const [id, p] of this.pairings) if (p.expiresAt <= at) this.pairings.delete(id);
      for (const [a, f] of this.failures) if (f.until <= at) this.failures.delete(a);
      const shut = this.failures.get(from);
      if (shut && shut.count >= PAIRING_ATTEMPTS) {
        this.pairingPage(
          res,
          429,
          '此设备配对码错误次数过多，请稍后再试。Too many wrong codes from this device; try again later.',
        );
        return;
      }
      const match = /^\d{6}$/.test(code)
        ? [...this.pairings.values()].find((p) => sameSecret(p.code, code))
        : undefined;
      if (!match) {
        const f = shut ?? { count: 0, until: 0 };
        f.count++;
        f.until = at + PAIRING_CODE_MS;
        this.failures.set(from, f);
        if (f.count >= PAIRING_ATTEMPTS) {
          this.log(
            `LAN tablet: too many wrong pairing codes from ${from}; it is shut out for a while`,
          );
          this.pairingPage(
            res,
            429,
            '此设备配对码错误次数过多，请稍后再试。Too many wrong codes from this device; try again later.',
          );
          return;
        }
        this.pairingPage(res, 401, '配对码不正确或已过期。Wrong or expired code.');
        return;
      }
      this.pairings.delete(match.signingId);
      this.failures.delete(from);
      // One tablet per signing: a newly paired one ends the one before it.
      for (const [old, p] of this.paired) {
        if (p.signingId !== match.signingId) continue;
        for (const ws of p.sockets) ws.close(4001, 'unpaired');
        this.paired.delete(old);
      }
      const sid = randomBytes(32).toString('base64url');
      const expiresAt = at + TABLET_SESSION_MS;
      this.paired.set(sid, {
        signingId: match.signingId,
        sessionId: match.sessionId,
        token: match.token,
        expiresAt,
        sockets: new Set(),
      });
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${sid}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${TABLET_SESSION_MS / 1000}`,
        Location: `/#/sign/${match.signingId}/${match.token}`,
      });
      res.end();
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.hostAllowed(req)) return reject(421, 'Misdirected Request');
    if ((req.url ?? '').split('?')[0] !== '/rpc') return reject(404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `https://${req.headers.host}`) {
      return reject(403, 'Forbidden');
    }
    const paired = this.session(req);
    if (!paired) return reject(401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, paired));
  }

  /** One paired tablet's socket: only its own signing passes, either way. */
  private serve(ws: WebSocket, p: Paired): void {
    p.sockets.add(ws);
    const send = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      let frame: { t?: string; event?: string; payload?: Record<string, unknown> };
      try {
        frame = JSON.parse(text) as typeof frame;
      } catch {
        return;
      }
      if (frame.t === 'evt') {
        const ok =
          (frame.event === 'signing.changed' && frame.payload?.['signingId'] === p.signingId) ||
          (frame.event === 'transcript.changed' && frame.payload?.['sessionId'] === p.sessionId);
        if (!ok) return;
      }
      ws.send(text);
    };
    const link = this.connect(send);
    const refuse = (id: number, message: string) =>
      ws.send(JSON.stringify({ t: 'res', id, ok: false, error: { code: 'FORBIDDEN', message } }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'the signing tablet sends no media');
        return;
      }
      // A pairing that was ended (another tablet, the desk) or ran out takes nothing more.
      if (![...this.paired.values()].includes(p) || p.expiresAt <= this.now()) {
        ws.close(4001, 'unpaired');
        return;
      }
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      let frame: { t?: unknown; id?: unknown; method?: unknown; input?: unknown };
      try {
        frame = JSON.parse(text) as typeof frame;
      } catch {
        refuse(-1, 'the frame is not JSON');
        return;
      }
      const id = Number.isSafeInteger(frame.id) ? (frame.id as number) : -1;
      const input = (frame.input ?? {}) as Record<string, unknown>;
      if (
        frame.t !== 'req' ||
        typeof frame.method !== 'string' ||
        !TABLET_METHODS.has(frame.method) ||
        typeof input !== 'object' ||
        input['signingId'] !== p.signingId ||
        typeof input['token'] !== 'string' ||
        !sameSecret(p.token, input['token'])
      ) {
        refuse(id, 'the signing tablet reaches only its own signing');
        return;
      }
      // A finished signing: the tablet may still show the end, and nothing else; the
      // pairing is over (a reload or a new socket is refused).
      if (!(this.opts.isOpen?.(p.signingId) ?? true) && frame.method !== 'signing.status') {
        for (const [sid, q] of this.paired) if (q === p) this.paired.delete(sid);
        ws.close(4001, 'unpaired');
        return;
      }
      link.receive(text).catch((e: unknown) => {
        this.log(`LAN tablet: receive failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
    ws.on('error', (e) => this.log(`LAN tablet socket error: ${e.message}`));
    ws.on('close', () => {
      p.sockets.delete(ws);
      link.close();
    });
  }
}

const PAIRING_CSS = `body{margin:0;font:18px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;background:#f1f3f5;color:#1b1f24}
main{max-width:34em;margin:8vh auto;padding:24px;background:#fff;border:1px solid #d6dbe0;border-radius:8px}
h1{font-size:1.3em;margin:0 0 12px}label{display:block;font-weight:600;margin:16px 0 6px}
input{font-size:2em;letter-spacing:.3em;width:8em;padding:6px 10px;border:1px solid #98a2ad;border-radius:6px}
button{display:block;margin-top:16px;font-size:1.1em;padding:10px 24px;border:0;border-radius:6px;background:#1f4e8c;color:#fff}
.error{color:#a4261d;background:#fbeceb;padding:8px 12px;border-left:4px solid #a4261d}`;

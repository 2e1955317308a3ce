import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core';
import { sameSecret } from '../core/platform/secrets';
import {
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  MIME,
  resolveStatic,
  setSecurityHeaders,
} from '../core/platform/web-static';

export { CONTENT_SECURITY_POLICY, resolveStatic };
import { MAX_MEDIA_FRAME_BYTES } from '../shared/media';

/**
 * The web host: the contract over a WebSocket on 127.0.0.1, plus the built renderer over
 * HTTP, so the real UI runs in a browser against the real core (tests, development, and
 * machines where Electron cannot run). Never packaged into the app.
 *
 * Who can talk to it: only this machine (it binds 127.0.0.1), only through a Host header
 * naming that address (so DNS rebinding cannot reach it), only from its own origin, and
 * only with the per-run token that it writes into the index page it serves. A web page on
 * another origin can neither read that page nor open the socket.
 */
export interface HostOptions {
  core: Core;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of the built renderer (index.html and assets). */
  rendererDir: string;
  /** Fixed token for tests; by default 32 random bytes per run. */
  token?: string;
  /** Origins the pages may open sockets to besides this host (the relay). */
  connectTo?: readonly string[];
  log?: (line: string) => void;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const log = options.log ?? ((line: string) => process.stderr.write(`[attest host] ${line}\n`));
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  async function serveIndex(res: ServerResponse) {
    const html = await readFile(join(options.rendererDir, 'index.html'), 'utf8');
    const meta = `<meta name="attest-host-token" content="${token}">`;
    res.writeHead(200, { 'Content-Type': MIME['.html']!, 'Cache-Control': 'no-store' });
    res.end(html.includes('</head>') ? html.replace('</head>', `${meta}</head>`) : meta + html);
  }

  const csp = contentSecurityPolicy(options.connectTo);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res, { csp });
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const file = resolveStatic(options.rendererDir, path);
    if (!file) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad path');
      return;
    }
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      isFile = false;
    }
    // The app is a single page: unknown paths without an extension get the index.
    if (!isFile || file === join(options.rendererDir, 'index.html')) {
      if (extname(path) && !isFile) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      serveIndex(res).catch((e: unknown) => {
        log(`cannot serve index.html: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('the renderer is not built; run npm run build');
      });
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });

  // Big enough for a binary media frame (a fragment of video); JSON text frames are still held
  // to MAX_FRAME_BYTES by the core, which answers a larger one with FRAME_TOO_LARGE.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MEDIA_FRAME_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().includes(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (url.pathname !== '/rpc') return reject(404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) return reject(403, 'Forbidden');
    if (!sameSecret(token, url.searchParams.get('token'))) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const connection = options.core.connect(
        (text) => {
          if (ws.readyState === ws.OPEN) ws.send(text);
        },
        { address: req.socket.remoteAddress ?? 'unknown' },
      );
      ws.on('message', (data, isBinary) => {
        const bytes = Array.isArray(data)
          ? Buffer.concat(data)
          : data instanceof ArrayBuffer
            ? new Uint8Array(data)
            : data;
        if (isBinary) {
          // A media frame (electron/shared/media.ts); the core answers only a refusal.
          connection.receiveBinary(bytes).catch((e: unknown) => {
            log(`receiveBinary failed: ${e instanceof Error ? e.message : String(e)}`);
          });
          return;
        }
        const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
        connection.receive(text).catch((e: unknown) => {
          log(`receive failed: ${e instanceof Error ? e.message : String(e)}`);
        });
      });
      // ws closes the connection of a frame over MAX_MEDIA_FRAME_BYTES with 1009; the core and
      // other clients carry on.
      ws.on('error', (e) => log(`socket error: ${e.message}`));
      ws.on('close', () => {
        sockets.delete(ws);
        connection.close();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.close(1001, 'host stopping');
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

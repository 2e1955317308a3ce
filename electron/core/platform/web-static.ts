/**
 * What every HTTP server of Attest shares (the web host on 127.0.0.1 and the LAN signing
 * tablet's HTTPS server): the renderer's Content-Security-Policy, the types of its files,
 * and the one mapping of a request path to a file that cannot leave the renderer's folder.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The renderer's policy; `connectTo` adds origins its pages may open sockets to besides their
 * own (the relay the rooms are piped to, where observers receive).
 */
export function contentSecurityPolicy(connectTo: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectTo].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Maps a request path to a file inside `root`, or null for anything that escapes it. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Any `..` segment is refused outright, before normalising could quietly absorb it.
  if (decoded.split('/').includes('..')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(root, rel);
  const base = root.endsWith(sep) ? root : root + sep;
  return full === root || full.startsWith(base) ? full : null;
}

/**
 * The headers every response of ours carries: the page's CSP, no sniffing, no framing, no
 * referrer (unless a page needs its origin on a form post), and isolation from other origins.
 */
export function setSecurityHeaders(
  res: ServerResponse,
  opts: { csp?: string; referrerPolicy?: 'no-referrer' | 'same-origin' } = {},
): void {
  res.setHeader('Content-Security-Policy', opts.csp ?? CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', opts.referrerPolicy ?? 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * Serves the built renderer to a GET or HEAD the caller has admitted: a file of the folder as
 * it is; index.html, or a path without an extension (a route of the app), as the index page
 * with `meta` added to its head (it tells the page how to reach the core); source maps and
 * anything outside the folder are not found.
 */
export function serveRenderer(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string,
  meta: string,
  log: (line: string) => void,
): void {
  const path = (req.url ?? '/').split('?')[0]!;
  const file = resolveStatic(rendererDir, path);
  let isFile: boolean;
  try {
    isFile = file !== null && statSync(file).isFile();
  } catch {
    isFile = false;
  }
  if (!file || (!isFile && extname(path)) || path.endsWith('.map')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  if (!isFile || file === join(rendererDir, 'index.html')) {
    readFile(join(rendererDir, 'index.html'), 'utf8').then(
      (html) => {
        res.writeHead(200, { 'Content-Type': MIME['.html']! });
        res.end(html.includes('</head>') ? html.replace('</head>', `${meta}</head>`) : meta + html);
      },
      (e: unknown) => {
        log(`cannot serve index.html: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('the renderer is not built');
      },
    );
    return;
  }
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

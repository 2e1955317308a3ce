/**
 * The security decisions of the Electron shell, as small pure functions (ARCHITECTURE §1,
 * practice 6). Nothing here touches Electron at run time: electron/main/index.ts binds these
 * decisions to Electron's hooks in one place, and tests/unit/shell/security.test.ts pins them.
 *
 * The model: the renderer is served from our own privileged scheme `app://attest/`, never
 * from file:// (every file:// page shares one origin with the whole disk) and never from the
 * network. Only that origin may be navigated to, may talk to the core over IPC, and may use
 * the camera and microphone. Everything else is denied, not prompted.
 */
import { relayOrigin } from '../shared/relay';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { WebPreferences } from 'electron';

/** The custom scheme the renderer is served over. */
export const APP_SCHEME = 'app';
/** The one host of {@link APP_SCHEME}; any other host is unknown and refused. */
export const APP_HOST = 'attest';
/** The renderer's origin, as Chromium reports it for a registered standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Parses `url` and returns its origin as `scheme://host[:port]`, or `null` when it is not an
 * absolute URL with a host. WHATWG `URL.origin` is `"null"` for non-special schemes such as
 * `app:` (Node does not know we registered it as standard), so the origin is built by hand.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null;
  // Credentials in a URL are never ours and are a classic spoofing trick (app://attest@evil).
  if (parsed.username !== '' || parsed.password !== '') return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/**
 * True when `url` belongs to one of the trusted origins (by default only `app://attest`).
 * The dev server origin is added by the caller only in an unpackaged build
 * (see {@link devServerOrigin}).
 */
export function isAppUrl(url: string, trusted: readonly string[] = [APP_ORIGIN]): boolean {
  if (typeof url !== 'string') return false;
  const origin = originOf(url);
  return origin !== null && trusted.includes(origin);
}

/**
 * Whether a frame may navigate from `from` to `to`. Only our own pages are ever shown in a
 * window: a link to a web site, a `file://` URL or a `javascript:` URL is blocked, and so is
 * a redirect to one. `from` does not widen anything; it is taken so that the policy can be
 * read (and logged) as a pair.
 */
export function shouldAllowNavigation(
  from: string,
  to: string,
  trusted: readonly string[] = [APP_ORIGIN],
): boolean {
  void from;
  return isAppUrl(to, trusted);
}

/**
 * The decision for `window.open`, `target=_blank` and friends: always deny. The workstation
 * records evidence; it has no reason to open a browser, and an external open is a way out of
 * the sandbox that an injected link could use.
 */
export function windowOpenDecision(url: string): { action: 'deny' } {
  void url;
  return { action: 'deny' };
}

/**
 * The party's signing page (`#/sign/<signingId>/<token>`) on our own origin, or null. It is
 * the one page the shell opens in a window of its own, on the pen display at the desk; the
 * renderer's own `window.open` stays denied ({@link windowOpenDecision}).
 */
export function signingPageUrl(
  url: string,
  trusted: readonly string[] = [APP_ORIGIN],
): string | null {
  if (!isAppUrl(url, trusted)) return null;
  let hash: string;
  try {
    hash = new URL(url).hash;
  } catch {
    return null;
  }
  return /^#\/sign\/\d{1,12}\/[A-Za-z0-9_-]{16,128}$/.test(hash) ? url : null;
}

export interface DisplayLike {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/**
 * Where the signing window goes: the first display that is not the primary one (the pen
 * display facing the party), or the primary display when there is no other.
 */
export function signingDisplay(
  displays: readonly DisplayLike[],
  primaryId: number,
): DisplayLike | undefined {
  return displays.find((d) => d.id !== primaryId) ?? displays.find((d) => d.id === primaryId);
}

/** The permission-check details Electron hands to the handlers (the fields we look at). */
export interface PermissionDetails {
  /** Whether the requesting frame is the top frame; subframes get nothing. */
  isMainFrame?: boolean;
  /** The last URL the requesting frame loaded. */
  requestingUrl?: string;
  /** The origin of the requesting frame (media checks). */
  securityOrigin?: string;
  /** Set only for cross-origin subframes. */
  embeddingOrigin?: string;
  /** Permission request: `video` is the camera, `audio` the microphone. */
  mediaTypes?: readonly string[];
  /** Permission check: `video`, `audio` or `unknown`. */
  mediaType?: string;
}

/**
 * Grants `media` (camera and microphone through getUserMedia) to our own origin's main frame
 * and denies every other permission to everyone. Screen capture is a different permission
 * (`display-capture`) and is denied too: the recording norms ask for cameras, and a screen
 * grab could leak other cases. Notifications, geolocation, USB, HID, serial, clipboard reads
 * and so on are denied because nothing in the app needs them.
 *
 * @param permission Electron's permission name.
 * @param requestingOrigin The origin (or URL) Electron reports for the request; `'null'` and
 *   `file://` are never trusted.
 * @param details The request or check details; every URL and origin in them must be ours.
 * @param trusted The trusted origins (default `app://attest` only).
 */
export function permissionDecision(
  permission: string,
  requestingOrigin: string,
  details: PermissionDetails = {},
  trusted: readonly string[] = [APP_ORIGIN],
): boolean {
  if (permission !== 'media') return false;
  if (!isAppUrl(requestingOrigin, trusted)) return false;
  if (details.isMainFrame === false) return false;
  if (details.embeddingOrigin !== undefined) return false;
  for (const url of [details.requestingUrl, details.securityOrigin]) {
    if (url !== undefined && !isAppUrl(url, trusted)) return false;
  }
  if (details.mediaTypes !== undefined) {
    if (!details.mediaTypes.every((t) => t === 'video' || t === 'audio')) return false;
  }
  if (details.mediaType !== undefined) {
    // 'unknown' is what Chromium reports when it checks media in general (device labels in
    // enumerateDevices); it is still camera/microphone, never the screen.
    if (!['video', 'audio', 'unknown'].includes(details.mediaType)) return false;
  }
  return true;
}

/**
 * The decision for WebHID, Web Serial and WebUSB device access: always deny. Burners and
 * signature tablets are driven by the core (native/), not by web pages.
 */
export function devicePermissionDecision(deviceType: string, origin: string): boolean {
  void deviceType;
  void origin;
  return false;
}

/**
 * Whether the session may load `url` at all (a webRequest filter in front of everything). The
 * renderer needs nothing from the network: only our own origins, `data:`/`blob:` URLs it made
 * itself and DevTools' internal scheme pass. A loopback dev server origin (unpackaged builds
 * only) also allows its HMR WebSocket on the same host and port.
 */
export function shouldAllowRequest(
  url: string,
  trusted: readonly string[] = [APP_ORIGIN],
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'devtools:'].includes(parsed.protocol)) return true;
  if (isAppUrl(url, trusted)) return true;
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
    const http = `${parsed.protocol === 'ws:' ? 'http:' : 'https:'}//${parsed.host}`.toLowerCase();
    return trusted.includes(http) && isLoopbackHost(parsed.hostname);
  }
  return false;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * The origin of the electron-vite dev server when, and only when, this is an unpackaged
 * build and the server is on a loopback address; otherwise `null`. A packaged app never
 * trusts anything but `app://attest`, whatever its environment says.
 */
export function devServerOrigin(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): string | null {
  if (isPackaged) return null;
  const url = env['ELECTRON_RENDERER_URL'];
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.hostname)) return null;
  return originOf(url);
}

/**
 * The Content-Security-Policy of every renderer response. No remote source anywhere; scripts
 * only from our origin (no inline script, no eval); media from our origin, blobs and live
 * camera streams; no plugins, no frames, no form posts, no `<base>` tricks.
 * `style-src` has no `'unsafe-inline'`: Vite emits CSS as files, and React's `style={...}`
 * sets CSSOM properties, which CSP does not restrict.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  // The relay the rooms are piped to, where observers receive (ATTEST_RELAY_URL), if any.
  ["connect-src 'self'", relayOrigin(process.env.ATTEST_RELAY_URL) ?? ''].join(' ').trim(),
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Content types of the files a Vite build of the renderer contains. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.ttc': 'font/collection',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/**
 * The Content-Type for a file of the renderer build; unknown extensions are served as opaque
 * bytes (with `nosniff`, so the browser never guesses them into script).
 */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The headers of every `app://` response: the CSP, no MIME sniffing, no referrer, and an
 * isolated browsing context group so no other window can hold a reference to ours.
 */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

/** A path segment we refuse even before URL normalisation could hide it. */
const RAW_DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
/** Encoded separators, NUL and backslashes: never in a file name we serve. */
const RAW_FORBIDDEN = /\\|%5c|%2f|%00|%25/i;

/**
 * Maps an `app://attest/...` request to a file inside `rendererRoot`, or returns `null` when
 * the request must be refused: another scheme or host, credentials or a port, a dot segment
 * (`..`, `.`, `%2e%2e`, also when the URL parser would have normalised it away), a backslash,
 * an encoded slash or NUL, a drive letter, a hidden file, or anything that would resolve
 * outside the root. `/` serves `index.html`. Query and fragment are ignored.
 *
 * Refusing instead of normalising is deliberate: a traversal attempt is never a legitimate
 * request from our own renderer, so there is no need to guess what it meant.
 */
export function resolveAppPath(rendererRoot: string, requestUrl: string): string | null {
  if (typeof requestUrl !== 'string') return null;
  const prefix = `${APP_ORIGIN}/`;
  if (!requestUrl.toLowerCase().startsWith(prefix)) return null;
  const rawPath = requestUrl.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  if (RAW_DOT_SEGMENT.test(rawPath) || RAW_FORBIDDEN.test(rawPath)) return null;

  let parsed: URL;
  try {
    parsed = new URL(requestUrl);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST) return null;
  if (parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return null;

  const segments: string[] = [];
  for (const encoded of parsed.pathname.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null; // malformed percent-encoding
    }
    if (segment.startsWith('.') || /[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');

  const root = resolve(rendererRoot);
  const file = resolve(root, ...segments);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

/** What the window needs to know to build its webPreferences. */
export interface WindowSecurityOptions {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preload: string;
  /** DevTools only in unpackaged builds. */
  devTools: boolean;
}

/**
 * The webPreferences of every window: a sandboxed renderer with context isolation and no
 * Node, same-origin policy on, no insecure content, no `<webview>`, and no spell checker
 * (it would download dictionaries from Google and it underlines legal Chinese text).
 * Background throttling is off because capture runs in the renderer and must keep its pace
 * when the window is covered or minimised during an interview.
 */
export function webPreferencesFor(options: WindowSecurityOptions): WebPreferences {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: options.devTools,
    backgroundThrottling: false,
  };
}

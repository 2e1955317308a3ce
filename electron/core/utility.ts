/**
 * The entry of the core's Electron `utilityProcess` (built to out/main/core.js). Plain Node:
 * it never imports `electron`; Electron hands it `process.parentPort`, typed locally below.
 *
 * The main process multiplexes every window's connection over the one parent port with a
 * tiny protocol ({@link MainToCore}, {@link CoreToMain}); this module maps each `conn` to a
 * {@link CoreConnection}. Running the core here keeps synchronous SQLite and hashing off the
 * main process, so a long write never freezes the window.
 */
import { openCore } from './core';
import type { Core, CoreConnection } from './core';
import { fileURLToPath } from 'node:url';
import { relayFromEnv, sfuFromEnv } from './platform/sfu/sfu';
import { defaultDataDir } from './paths';
import type { Keystore } from './platform/keystore';
import type { LanTabletConfig } from './features/signing/lan/tablet-service';
import type { LanLiveConfig } from './features/live/lan';

/** Messages from the main process (electron/main/core-process.ts). */
export type MainToCore =
  | { type: 'open'; conn: number }
  | { type: 'frame'; conn: number; text: string }
  /** A binary media frame (structured clone carries the Uint8Array as it is). */
  | { type: 'media'; conn: number; bytes: Uint8Array }
  | { type: 'close'; conn: number }
  /** Close every connection and the core (case store), then exit 0. */
  | { type: 'shutdown' }
  | KeystoreReply;

/** The core asks the main process's OS keystore (electron/main/keystore.ts) to protect or unprotect bytes. */
export interface KeystoreRequest {
  type: 'keystore';
  id: number;
  op: 'protect' | 'unprotect';
  data: Uint8Array;
}

/** The keystore's answer to one {@link KeystoreRequest}. */
export type KeystoreReply =
  | { type: 'keystore-reply'; id: number; ok: true; data: Uint8Array }
  | { type: 'keystore-reply'; id: number; ok: false; error: string };

/** Messages to the main process. */
export type CoreToMain =
  { type: 'ready' } | { type: 'frame'; conn: number; text: string } | KeystoreRequest;

/** The part of Electron's `ParentPort` this module uses. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: CoreToMain): void;
}

export interface ServeOptions {
  log?: (line: string) => void;
  /** The keystore's answers go here (see {@link ipcKeystore}). */
  onKeystoreReply?: (reply: KeystoreReply) => void;
  /** Called after a `shutdown` message has closed everything; the entry exits there. */
  onShutdown?: () => void;
}

export interface Served {
  /** The number of open connections (for tests and diagnostics). */
  readonly size: number;
  /** Closes every connection (not the core itself). */
  closeAll(): void;
}

function isConn(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Validates a message from the port; anything malformed is `null`. */
export function parseMainMessage(data: unknown): MainToCore | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  switch (m['type']) {
    case 'open':
    case 'close':
      return isConn(m['conn']) ? { type: m['type'], conn: m['conn'] } : null;
    case 'frame':
      return isConn(m['conn']) && typeof m['text'] === 'string'
        ? { type: 'frame', conn: m['conn'], text: m['text'] }
        : null;
    case 'media':
      return isConn(m['conn']) && m['bytes'] instanceof Uint8Array
        ? { type: 'media', conn: m['conn'], bytes: m['bytes'] }
        : null;
    case 'shutdown':
      return { type: 'shutdown' };
    case 'keystore-reply':
      if (typeof m['id'] !== 'number') return null;
      if (m['ok'] === true && m['data'] instanceof Uint8Array)
        return { type: 'keystore-reply', id: m['id'], ok: true, data: m['data'] };
      if (m['ok'] === false && typeof m['error'] === 'string')
        return { type: 'keystore-reply', id: m['id'], ok: false, error: m['error'] };
      return null;
    default:
      return null;
  }
}

/**
 * Serves `core` over `port`: `open` connects, `frame` feeds the connection, `close`
 * disconnects, `shutdown` closes everything. Every reply of a connection goes back as
 * `{type:'frame', conn, text}`. Posts `{type:'ready'}` once listening (the parent port queues
 * messages until a listener is registered, so nothing sent earlier is lost).
 *
 * Frames of one connection are handed to the core in arrival order but not serialised: the
 * core answers by request id, so a slow request does not hold up a quick one.
 */
export function serveCore(
  core: Pick<Core, 'connect' | 'close'>,
  port: ParentPortLike,
  options: ServeOptions = {},
): Served {
  const log = options.log ?? ((line: string) => console.error(line));
  const connections = new Map<number, CoreConnection>();
  let shutDown = false;

  const open = (conn: number) => {
    // A reused number means main lost track of a close; the old client is gone either way.
    connections.get(conn)?.close();
    connections.set(
      conn,
      core.connect((text) => {
        // Replies of a connection closed meanwhile have nobody to go to.
        if (connections.has(conn)) port.postMessage({ type: 'frame', conn, text });
      }),
    );
  };

  const close = (conn: number) => {
    const connection = connections.get(conn);
    if (!connection) return;
    connections.delete(conn);
    connection.close();
  };

  const closeAll = () => {
    for (const conn of [...connections.keys()]) close(conn);
  };

  port.on('message', (event) => {
    if (shutDown) return;
    const message = parseMainMessage(event?.data);
    if (!message) {
      log('core: ignored a malformed message from the main process');
      return;
    }
    switch (message.type) {
      case 'open':
        open(message.conn);
        break;
      case 'close':
        close(message.conn);
        break;
      case 'frame': {
        const connection = connections.get(message.conn);
        if (!connection) {
          log(`core: frame for unknown connection ${message.conn} dropped`);
          return;
        }
        connection.receive(message.text).catch((error: unknown) => {
          // The core answers its own errors as frames; reaching here is a bug in it.
          log(`core: connection ${message.conn} failed: ${String(error)}`);
        });
        break;
      }
      case 'media': {
        const connection = connections.get(message.conn);
        if (!connection) {
          log(`core: media frame for unknown connection ${message.conn} dropped`);
          return;
        }
        connection.receiveBinary(message.bytes).catch((error: unknown) => {
          log(`core: connection ${message.conn} failed on a media frame: ${String(error)}`);
        });
        break;
      }
      case 'keystore-reply':
        options.onKeystoreReply?.(message);
        break;
      case 'shutdown':
        shutDown = true;
        closeAll();
        core.close();
        options.onShutdown?.();
        break;
    }
  });
  port.postMessage({ type: 'ready' });

  return {
    get size() {
      return connections.size;
    },
    closeAll,
  };
}

/**
 * The LAN signing tablet, offered when the workstation sets `ATTEST_LAN_TABLET_PORT` (and
 * optionally `ATTEST_LAN_TABLET_HOST`, the address to listen on and advertise); the tablet
 * is served the app's own built renderer.
 */
export function lanTabletFromEnv(
  env: NodeJS.ProcessEnv,
  rendererDir: string,
): { lanTablet?: LanTabletConfig } {
  const raw = env.ATTEST_LAN_TABLET_PORT;
  if (raw === undefined || raw === '') return {};
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return {};
  const host = env.ATTEST_LAN_TABLET_HOST || undefined;
  return {
    lanTablet: { rendererDir, port, ...(host ? { bindHost: host, advertiseHost: host } : {}) },
  };
}

/**
 * The live room's pages on the LAN, offered when the workstation sets
 * `ATTEST_LAN_LIVE_PORT` (and optionally `ATTEST_LAN_LIVE_HOST`, the address to listen on and
 * advertise): observers elsewhere and remote participants open them over HTTPS.
 */
export function lanLiveFromEnv(
  env: NodeJS.ProcessEnv,
  rendererDir: string,
): { lanLive?: LanLiveConfig } {
  const raw = env.ATTEST_LAN_LIVE_PORT;
  if (raw === undefined || raw === '') return {};
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return {};
  const host = env.ATTEST_LAN_LIVE_HOST || undefined;
  return {
    lanLive: { rendererDir, port, ...(host ? { bindHost: host, advertiseHost: host } : {}) },
  };
}

/**
 * The OS keystore of the main process, reached over the parent port: each request is
 * answered by id; `deliver` takes the answers (wired to {@link ServeOptions.onKeystoreReply}).
 */
export function ipcKeystore(
  post: (request: KeystoreRequest) => void,
  backend: string,
): Keystore & { deliver(reply: KeystoreReply): void } {
  let next = 1;
  const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  const ask = (op: KeystoreRequest['op'], data: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      post({ type: 'keystore', id, op, data: new Uint8Array(data) });
    });
  return {
    protection: 'safe-storage',
    backend,
    protect: (plain) => ask('protect', plain),
    unprotect: (stored) => ask('unprotect', stored),
    deliver(reply) {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      if (reply.ok) w.resolve(Buffer.from(reply.data));
      else w.reject(new Error(`the OS keystore refused: ${reply.error}`));
    },
  };
}

/** Electron sets `process.parentPort` only inside a utilityProcess. */
function parentPortOf(proc: NodeJS.Process): ParentPortLike | undefined {
  return (proc as unknown as { parentPort?: ParentPortLike }).parentPort ?? undefined;
}

/** The entry's one side effect, guarded so importing this module elsewhere does nothing. */
const parentPort = parentPortOf(process);
if (parentPort) {
  const log = (line: string) => console.error(line);
  const port = parentPort;
  // The main process names the OS keystore it found; none: secrets need the admin's consent.
  const keystore = process.env.ATTEST_KEYSTORE
    ? ipcKeystore((request) => port.postMessage(request), process.env.ATTEST_KEYSTORE)
    : null;
  const core = openCore({
    dataDir: process.env.ATTEST_DATA_DIR ?? defaultDataDir(),
    log,
    ...(keystore ? { keystore } : {}),
    ...lanTabletFromEnv(process.env, fileURLToPath(new URL('../renderer/', import.meta.url))),
    ...lanLiveFromEnv(process.env, fileURLToPath(new URL('../renderer/', import.meta.url))),
    ...sfuFromEnv(process.env, (process as { resourcesPath?: string }).resourcesPath),
    ...relayFromEnv(process.env),
  });
  const served = serveCore(core, parentPort, {
    log,
    onShutdown: () => process.exit(0),
    ...(keystore ? { onKeystoreReply: (reply: KeystoreReply) => keystore.deliver(reply) } : {}),
  });
  // utilityProcess.kill() sends SIGTERM: close the case store cleanly before going.
  process.once('SIGTERM', () => {
    served.closeAll();
    core.close();
    process.exit(0);
  });
}

import type { Keystore } from './platform/keystore';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { methods, isMethodName, type EventName, type Events } from '../shared/api/index';
import { AppError, type ErrorInfo } from '../shared/errors';
import { MAX_FRAME_BYTES, requestFrameSchema, type ResponseFrame } from '../shared/rpc';
import type { UserDto } from '../shared/domain';
import { AuditLog } from './platform/audit';
import { openDatabase, type Db } from './platform/db/database';
import { handlers, type ConnectionState } from './features/handlers';
import { createServices, type Services } from './features/services';
import { AgencySettings } from './features/app/settings';
import type { MediaOptions } from './features/recording';
import type { LanTabletConfig } from './features/signing/lan/tablet-service';
import type { LanLiveConfig } from './features/live/lan';
import type { RelayConfig } from './platform/sfu/relay-uplink';
import { VERSION } from './version';
import { decodeFrame } from '../shared/media';
import type { SfuOptions } from './platform/sfu/sfu';

export interface CoreOptions {
  /** Directory that holds the case store (attest.db) and, later, media and bundles. */
  dataDir: string;
  /** Clock in UTC milliseconds; tests pass a fake one. */
  now?: () => number;
  /** Operational log sink; never receives secrets or request inputs. */
  log?: (line: string) => void;
  /** Media sink tunables (disk floor and warnings, fsync interval, a simulated disk for tests). */
  media?: Partial<MediaOptions>;
  /** Sealing and replication tunables (verify tools, queue polling; tests pass fakes). */
  sealing?: Parameters<typeof createServices>[1]['sealing'];
  /** Offer the LAN signing tablet (HTTPS on the LAN; off unless given). */
  lanTablet?: LanTabletConfig;
  /** The live room's pages on the LAN, when this workstation offers them. */
  lanLive?: LanLiveConfig;
  /** The relay the rooms pipe to, when there is one. */
  relay?: RelayConfig;
  /** The OS keystore (the app's, through its main process); none in the web host and CLI. */
  keystore?: Keystore;
  /** The live room's SFU: where its transports listen (default loopback only), which worker. */
  sfu?: SfuOptions;
}

export interface CoreConnection {
  /** Feeds one JSON text frame from the client; the reply goes out through `send`. */
  receive(text: string): Promise<void>;
  /**
   * Feeds one binary media frame (electron/shared/media.ts). Nothing is sent back when it is
   * accepted; a refusal goes out as `{t:'res', id:-1, ok:false, error}` (and a
   * `recording.fault` event). Never rejects. The frame is taken before this returns, so
   * frames are handled in the order they are fed.
   */
  receiveBinary(bytes: Uint8Array): Promise<void>;
  close(): void;
}

export interface Core {
  readonly dataDir: string;
  /**
   * A client connection. `from.address` is where it comes from (a network address, or
   * `local` for the app's own windows): failed sign-ins are counted per username and address.
   */
  connect(send: (text: string) => void, from?: { address: string }): CoreConnection;
  close(): void;
  /**
   * Settles once the work the core began in the background so far has finished: loading the
   * workstation identity, cleaning away half-built seals, and after close() stopping uploads
   * and the tablet's server. Whoever removes the data directory after close() waits for it,
   * or that work may still write there.
   */
  settled(): Promise<void>;
}

function fail(id: number, error: ErrorInfo): ResponseFrame {
  return { t: 'res', id, ok: false, error };
}

/** Dotted paths for zod issues, as the forms use them. */
function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Opens the core on a data directory: creates it if needed, opens and migrates the case
 * store, and returns an object that serves any number of client connections.
 */
export function openCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stderr.write(`[attest core] ${line}\n`));
  // The evidence, the case store, the keys and the seals are this account's alone: the data
  // directory is closed to everyone else (made so, if an older Attest left it open).
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(options.dataDir, 0o700);
  const dbFile = join(options.dataDir, 'attest.db');
  const db: Db = openDatabase(dbFile);
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`])
    if (existsSync(f)) chmodSync(f, 0o600);
  const audit = new AuditLog(db);
  const connections = new Set<{ send: (text: string) => void; signedIn: () => boolean }>();

  const broadcast = <E extends EventName>(event: E, payload: Events[E]) => {
    const text = JSON.stringify({ t: 'evt', event, payload });
    // Recording events carry paths, hashes and fault details: signed-in clients only.
    const private_ = event.startsWith('recording.');
    for (const c of connections) {
      if (private_ && !c.signedIn()) continue;
      try {
        c.send(text);
      } catch {
        // a client that went away mid-broadcast is cleaned up by its transport
      }
    }
  };
  const settings = new AgencySettings(db, audit, now, () => broadcast('app.settingsChanged', {}));
  const services: Services = createServices(
    { db, audit, now, timeZone: () => settings.timeZone(), emit: broadcast },
    {
      dataDir: options.dataDir,
      version: VERSION,
      settings,
      media: options.media,
      log,
      ...(options.sealing ? { sealing: options.sealing } : {}),
      // The RFC 3161 time-stamping authority when the trust settings name none (R4.3:
      // moving toward electronic authentication).
      environmentTsaUrl: process.env.ATTEST_TSA_URL,
      ...(options.keystore ? { keystore: options.keystore } : {}),
      ...(options.lanTablet ? { lanTablet: options.lanTablet } : {}),
      ...(options.lanLive ? { lanLive: options.lanLive } : {}),
      ...(options.relay ? { relay: options.relay } : {}),
      ...(options.sfu ? { sfu: options.sfu } : {}),
    },
  );
  // Whatever a previous core left open is cut back to whole fragments before anyone connects.
  try {
    const recovered = services.recording.recover(null, true);
    if (recovered.segments.length || recovered.sessions.length) {
      log(
        `recovered ${recovered.segments.length} segment(s); interrupted session(s): ${recovered.sessions.join(', ')}`,
      );
    }
  } catch (e) {
    log(`crash recovery failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  // Half-built seals are cleaned away and the replication queue resumes.
  const background: Promise<unknown>[] = [services.sealing.start()];
  // The audit trail's head, signed outside the database: now, hourly and at the close.
  background.push(services.anchors.start());
  let closed = false;
  let nextConnection = 1;

  async function dispatch(state: ConnectionState, text: string): Promise<ResponseFrame> {
    if (text.length > MAX_FRAME_BYTES || Buffer.byteLength(text, 'utf8') > MAX_FRAME_BYTES) {
      return fail(-1, {
        code: 'FRAME_TOO_LARGE',
        message: `frames are limited to ${MAX_FRAME_BYTES} bytes`,
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return fail(-1, { code: 'BAD_FRAME', message: 'the frame is not JSON' });
    }
    const frame = requestFrameSchema.safeParse(raw);
    if (!frame.success) {
      const id =
        typeof raw === 'object' &&
        raw !== null &&
        Number.isSafeInteger((raw as { id?: unknown }).id)
          ? (raw as { id: number }).id
          : -1;
      return fail(id, {
        code: 'BAD_FRAME',
        message: 'the frame is not a request',
        issues: issuesOf(frame.error),
      });
    }
    const { id, method, input } = frame.data;
    if (!isMethodName(method)) {
      return fail(id, { code: 'UNKNOWN_METHOD', message: `no method ${method.slice(0, 64)}` });
    }
    const spec = methods[method];
    try {
      state.refresh();
      if (spec.auth !== 'public') {
        if (!state.user) throw new AppError('UNAUTHENTICATED', 'sign in first');
        if (
          spec.auth !== 'user' &&
          !state.user.roles.some((r) => (spec.auth as readonly string[]).includes(r))
        ) {
          throw new AppError(
            'FORBIDDEN',
            `${method} needs one of the roles: ${spec.auth.join(', ')}`,
          );
        }
      }
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', 'the input is not valid', issuesOf(parsed.error));
      }
      const handler = handlers[method] as (s: Services, c: ConnectionState, i: unknown) => unknown;
      const value = await handler(services, state, parsed.data);
      return { t: 'res', id, ok: true, value: value ?? null };
    } catch (e) {
      if (e instanceof AppError) return fail(id, e.toInfo());
      // Unexpected: log the method and the error, never the input (it may hold a password).
      log(
        `internal error in ${method}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return fail(id, { code: 'INTERNAL', message: 'internal error; see the core log' });
    }
  }

  const core: Core = {
    dataDir: options.dataDir,
    connect(send, from = { address: 'local' }) {
      if (closed) throw new Error('the core is closed');
      let userId: number | null = null;
      const endpoint = { send, signedIn: () => userId !== null };
      connections.add(endpoint);
      const state: ConnectionState & { refresh(): void } = {
        id: nextConnection++,
        address: from.address,
        user: null as UserDto | null,
        refresh() {
          if (userId === null) {
            this.user = null;
            return;
          }
          const user = services.users.get(userId);
          // A disabled account loses its open sessions at once.
          if (user.disabled) {
            userId = null;
            this.user = null;
          } else this.user = user;
        },
        signIn(id) {
          userId = id;
          this.refresh();
          send(JSON.stringify({ t: 'evt', event: 'auth.changed', payload: { userId: id } }));
        },
        signOut() {
          userId = null;
          this.user = null;
          send(JSON.stringify({ t: 'evt', event: 'auth.changed', payload: { userId: null } }));
        },
      };
      let open = true;
      return {
        async receive(text) {
          if (!open || closed) return;
          const response = await dispatch(state, text);
          if (open) send(JSON.stringify(response));
        },
        // Synchronous inside, though typed async like receive: the order of frames is the order of bytes.
        receiveBinary(bytes) {
          if (!open || closed) return Promise.resolve();
          let refusal;
          try {
            state.refresh();
            // Decoded once: a live frame goes to the live room only (never written, never
            // refused to the sender); anything else is the recording's, bad frames included.
            const frame = decodeFrame(bytes);
            if (frame.ok && frame.kind === 'live') {
              if (state.user) services.live.receive(state.id, frame.header, frame.payload);
              return Promise.resolve();
            }
            refusal = services.recording.receiveMedia(state.user, state.id, frame);
          } catch (e) {
            log(`media frame failed: ${e instanceof Error ? e.message : String(e)}`);
            refusal = {
              error: { code: 'INTERNAL' as const, message: 'internal error; see the core log' },
              fault: null,
            };
          }
          if (refusal && open) {
            send(JSON.stringify(fail(-1, refusal.error)));
            if (refusal.fault) {
              send(JSON.stringify({ t: 'evt', event: 'recording.fault', payload: refusal.fault }));
            }
          }
          return Promise.resolve();
        },
        close() {
          if (!open) return;
          open = false;
          connections.delete(endpoint);
          if (!closed) {
            services.recording.connectionClosed(state.id);
            services.live.connectionClosed(state.id);
          }
        },
      };
    },
    close() {
      if (closed) return;
      // Open segments end whole (fsynced, hashed) before the store closes.
      services.recording.close();
      // An upload in flight is aborted and retried at the next start.
      background.push(services.sealing.stop());
      // Paired tablets are dropped; they pair again with the next core.
      background.push(services.tablet.close());
      services.anchors.stop();
      // Viewings end (audited) and the SFU's worker stops; recording never went through it.
      services.live.stop();
      closed = true;
      connections.clear();
      db.close();
    },
    async settled() {
      await Promise.allSettled(background);
    },
  };
  // The LAN tablet's sockets are connections to this core like any other (filtered there).
  services.tablet.attach((send) => core.connect(send));
  services.live.attachLan((send, address) => core.connect(send, { address: address ?? 'lan' }));
  return core;
}

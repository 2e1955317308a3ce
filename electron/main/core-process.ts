/**
 * Runs the core (electron/core/utility.ts, built to out/main/core.js) in an Electron
 * `utilityProcess` and keeps it running: if it exits unexpectedly, every window's connection
 * is closed with a reason the UI can show, and a new core is started after a short backoff.
 * A core that keeps crashing (a corrupt store, a full disk) is not restarted forever: after
 * {@link CoreProcessOptions.maxRestarts} crashes inside the window it is marked failed.
 *
 * The protocol with the core is defined beside its entry ({@link MainToCore},
 * {@link CoreToMain}); only the types are imported, the shell never loads core code.
 */
import { utilityProcess } from 'electron';
import type { CoreToMain, KeystoreReply, KeystoreRequest, MainToCore } from '../core/utility';
import type { CoreLink } from './ipc';

/** The part of Electron's `UtilityProcess` this module uses (a fake one in tests). */
export interface ChildLike {
  postMessage(message: MainToCore): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** `utilityProcess.fork`, narrowed to what is used. */
export type ForkFn = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; env: Record<string, string | undefined> },
) => ChildLike;

export interface CoreProcessOptions {
  /** Absolute path of out/main/core.js. */
  modulePath: string;
  /** The data directory (app.getPath('userData')), passed as ATTEST_DATA_DIR. */
  dataDir: string;
  /** A frame from the core for connection `conn`. */
  onFrame(conn: number, text: string): void;
  /** Answers the core's OS keystore requests (electron/main/keystore.ts); none: not offered. */
  onKeystore?(request: KeystoreRequest): KeystoreReply;
  /** Every connection is gone (the core exited or failed); `reason` is for the user. */
  onLost(reason: string): void;
  fork?: ForkFn;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Crashes tolerated inside {@link restartWindowMs} before giving up (default 5). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** First restart delay, doubled for each recent crash up to 10 s (default 500 ms). */
  restartDelayMs?: number;
}

export type CoreState = 'idle' | 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface CoreProcess extends CoreLink {
  readonly state: CoreState;
  /** Forks the core; call once, after `app` is ready. */
  start(): void;
  /** Asks the core to close its store and exit; kills it after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

const MAX_DELAY_MS = 10_000;

function isCoreMessage(message: unknown): message is CoreToMain {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m['type'] === 'ready') return true;
  if (m['type'] === 'keystore')
    return (
      typeof m['id'] === 'number' &&
      (m['op'] === 'protect' || m['op'] === 'unprotect') &&
      m['data'] instanceof Uint8Array
    );
  return m['type'] === 'frame' && typeof m['conn'] === 'number' && typeof m['text'] === 'string';
}

/** Creates the supervisor of the core process; nothing is forked until {@link CoreProcess.start}. */
export function createCoreProcess(options: CoreProcessOptions): CoreProcess {
  const fork: ForkFn =
    options.fork ?? ((path, args, forkOptions) => utilityProcess.fork(path, args, forkOptions));
  const log = options.log ?? ((line: string) => console.error(line));
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.restartWindowMs ?? 60_000;
  const baseDelay = options.restartDelayMs ?? 500;

  let state: CoreState = 'idle';
  let child: ChildLike | null = null;
  /** Messages sent while the core is starting; flushed on `ready`. */
  let queue: MainToCore[] = [];
  let crashes: number[] = [];
  let restartTimer: unknown = null;
  let stopping: { resolve: () => void; timer: unknown } | null = null;
  let stopPromise: Promise<void> | null = null;
  let failedReason: string | null = null;

  const post = (message: MainToCore) => {
    if (state === 'ready' && child) child.postMessage(message);
    else if (state === 'starting' || state === 'restarting') queue.push(message);
    // A page that reconnects to a core that gave up is told again, not left waiting.
    else if (state === 'failed' && message.type === 'open' && failedReason)
      options.onLost(failedReason);
    // stopped / idle: there is no core to talk to (quitting, or not started yet).
  };

  const spawn = () => {
    restartTimer = null;
    state = 'starting';
    const env = { ...(options.env ?? process.env), ATTEST_DATA_DIR: options.dataDir };
    const proc = fork(options.modulePath, [], { serviceName: 'Attest core', env });
    child = proc;
    proc.on('message', (message) => {
      if (proc !== child) return; // a late message of a previous core
      if (!isCoreMessage(message)) {
        log('core-process: ignored a malformed message from the core');
        return;
      }
      if (message.type === 'ready') {
        if (state !== 'starting') return;
        state = 'ready';
        for (const m of queue.splice(0)) proc.postMessage(m);
      } else if (message.type === 'keystore') {
        // Answered at once, whatever the state: the core may need its keys while starting.
        if (options.onKeystore) proc.postMessage(options.onKeystore(message));
      } else {
        options.onFrame(message.conn, message.text);
      }
    });
    proc.on('exit', (code) => onExit(proc, code));
  };

  const onExit = (proc: ChildLike, code: number) => {
    if (proc !== child) return;
    child = null;
    queue = [];
    if (stopping) {
      const { resolve, timer } = stopping;
      stopping = null;
      clearTimer(timer);
      resolve();
      return;
    }
    if (state === 'stopped') return;

    const t = now();
    crashes = [...crashes.filter((c) => t - c < windowMs), t];
    if (crashes.length > maxRestarts) {
      state = 'failed';
      log(
        `core-process: the core exited with code ${code}, ${crashes.length} times within ` +
          `${Math.round(windowMs / 1000)} s; not restarting it`,
      );
      failedReason =
        `核心服务多次异常退出，已停止重启，请查看日志后重新启动程序 ` +
        `(the core keeps failing, exit code ${code}; restart Attest after checking the log)`;
      options.onLost(failedReason);
      return;
    }
    const delay = Math.min(baseDelay * 2 ** (crashes.length - 1), MAX_DELAY_MS);
    state = 'restarting';
    log(`core-process: the core exited unexpectedly with code ${code}; restarting in ${delay} ms`);
    options.onLost(
      `核心服务意外退出，正在重启 (the core stopped unexpectedly, exit code ${code}; restarting)`,
    );
    restartTimer = setTimer(spawn, delay);
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== 'idle') throw new Error(`the core process was already started (${state})`);
      spawn();
    },
    open(conn) {
      post({ type: 'open', conn });
    },
    frame(conn, text) {
      post({ type: 'frame', conn, text });
    },
    media(conn, bytes) {
      post({ type: 'media', conn, bytes });
    },
    close(conn) {
      post({ type: 'close', conn });
    },
    stop(timeoutMs = 5000) {
      if (stopPromise) return stopPromise;
      if (restartTimer !== null) clearTimer(restartTimer);
      restartTimer = null;
      const proc = child;
      // From here on nothing new is sent; the queue is for a core that will not serve.
      state = 'stopped';
      queue = [];
      if (!proc) return (stopPromise = Promise.resolve());
      stopPromise = new Promise<void>((resolve) => {
        const timer = setTimer(() => {
          if (!stopping) return;
          log('core-process: the core did not exit in time; killing it');
          stopping = null;
          child = null;
          proc.kill();
          // Do not hold the quit hostage to an exit event that may never come.
          resolve();
        }, timeoutMs);
        stopping = { resolve, timer };
        // A core still starting has no listener yet; the parent port queues the message.
        proc.postMessage({ type: 'shutdown' });
      });
      return stopPromise;
    },
  };
}

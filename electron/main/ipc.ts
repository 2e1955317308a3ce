/**
 * The one IPC entry of the main process (GitHub Desktop style): every frame from a renderer
 * comes through {@link createFrameIpc}, which checks who sent it before anything else sees
 * it. Raw `ipcMain` is banned everywhere else in electron/main by lint. Two channels come in,
 * both through the same sender check: JSON text frames, and binary media frames (the
 * encoded recording, electron/shared/media.ts), which are too large and too frequent to
 * wrap in JSON.
 *
 * A connection to the core belongs to one page load of one window: it is opened on the first
 * accepted frame and closed when the window closes, the page navigates or reloads, its
 * renderer dies, or the core goes away. A reloaded page therefore starts signed out, as a
 * fresh client should, and never inherits another page's session.
 */
import { ipcMain } from 'electron';
import type { IpcMainEvent, WebContents } from 'electron';
import { MAX_FRAME_BYTES, type ResponseFrame } from '../shared/rpc';
import { MAX_MEDIA_FRAME_BYTES } from '../shared/media';
import type { ErrorCode } from '../shared/errors';
import { APP_ORIGIN, isAppUrl } from './security';

/** Renderer → main (a request frame) and main → renderer (a server frame). */
export const FRAME_CHANNEL = 'attest:frame';
/** Main → renderer: the connection is gone, with a reason the UI can show. */
export const CLOSED_CHANNEL = 'attest:closed';
/** Renderer → main: one binary media frame (a Uint8Array), answered only if refused. */
export const MEDIA_CHANNEL = 'attest:media';

/** The core side of the entry; implemented by electron/main/core-process.ts. */
export interface CoreLink {
  open(conn: number): void;
  frame(conn: number, text: string): void;
  /** A binary media frame of connection `conn`. */
  media(conn: number, bytes: Uint8Array): void;
  close(conn: number): void;
}

export interface FrameIpcOptions {
  core: CoreLink;
  /** The trusted origins (default `app://attest` only). */
  trusted?: readonly string[];
  /** Largest accepted frame in UTF-8 bytes (default {@link MAX_FRAME_BYTES}). */
  maxFrameBytes?: number;
  /** Largest accepted media frame in bytes (default {@link MAX_MEDIA_FRAME_BYTES}). */
  maxMediaBytes?: number;
  log?: (line: string) => void;
}

export interface FrameIpc {
  /**
   * Makes a window's webContents one of ours: only attached webContents may send frames.
   * Detaches by itself when the webContents is destroyed.
   */
  attach(contents: WebContents): void;
  /** Routes a frame from the core to the window that owns `conn` (dropped if it is gone). */
  deliver(conn: number, text: string): void;
  /** Every open connection is gone (the core exited): tell each window why. */
  closeAll(reason: string): void;
  /** Removes the IPC listener and closes every connection. */
  dispose(): void;
}

interface Attached {
  contents: WebContents;
  /** The open connection of the current page load, if any. */
  conn: number | null;
  detach: () => void;
}

/**
 * Installs the `attest:frame` listener and returns the routing table between windows and
 * core connections. Frames from a webContents that is not attached, from a subframe, or from
 * a page that is not on a trusted origin are dropped without an answer (a hostile page
 * learns nothing). Frames that are not strings or exceed the size limit, from a trusted
 * page, are answered with an error frame (`id: -1`) and never forwarded.
 */
export function createFrameIpc(options: FrameIpcOptions): FrameIpc {
  const trusted = options.trusted ?? [APP_ORIGIN];
  const maxBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const maxMediaBytes = options.maxMediaBytes ?? MAX_MEDIA_FRAME_BYTES;
  const log = options.log ?? ((line: string) => console.warn(line));
  const { core } = options;
  /** By webContents id. */
  const attached = new Map<number, Attached>();
  /** By connection number. */
  const byConn = new Map<number, Attached>();
  let nextConn = 1;

  /**
   * Forgets the page's connection; `notify` is the reason sent to the page (null: the page
   * is going away anyway); `tellCore` is false when the core itself is gone.
   */
  const closeConn = (entry: Attached, notify: string | null, tellCore = true) => {
    if (entry.conn === null) return;
    const conn = entry.conn;
    entry.conn = null;
    byConn.delete(conn);
    if (tellCore) core.close(conn);
    if (notify !== null && !entry.contents.isDestroyed())
      entry.contents.send(CLOSED_CHANNEL, notify);
  };

  const reject = (contents: WebContents, code: ErrorCode, message: string) => {
    const frame: ResponseFrame = { t: 'res', id: -1, ok: false, error: { code, message } };
    if (!contents.isDestroyed()) contents.send(FRAME_CHANNEL, JSON.stringify(frame));
  };

  /** The sender check of both channels: our window's main frame, on a trusted page. */
  const trustedSender = (event: IpcMainEvent): Attached | null => {
    const entry = attached.get(event.sender.id);
    if (!entry || entry.contents !== event.sender) {
      log(`ipc: dropped a frame from an unknown webContents (${event.sender.id})`);
      return null;
    }
    // senderFrame is null when the frame navigated or was destroyed after sending.
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || frame !== event.sender.mainFrame) {
      log('ipc: dropped a frame from a subframe');
      return null;
    }
    if (!isAppUrl(frame.url, trusted)) {
      log(`ipc: dropped a frame from an untrusted page (${String(frame.url).slice(0, 80)})`);
      return null;
    }
    return entry;
  };

  /** The page's connection, opened on its first accepted frame of either kind. */
  const connOf = (entry: Attached): number => {
    let conn = entry.conn;
    if (conn === null) {
      conn = nextConn++;
      entry.conn = conn;
      byConn.set(conn, entry);
      core.open(conn);
    }
    return conn;
  };

  const onFrame = (event: IpcMainEvent, text: unknown) => {
    const entry = trustedSender(event);
    if (!entry) return;
    if (typeof text !== 'string') {
      reject(event.sender, 'BAD_FRAME', 'a frame must be JSON text');
      return;
    }
    // UTF-8 is never shorter than UTF-16 code units, so the cheap test goes first.
    if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
      reject(event.sender, 'FRAME_TOO_LARGE', `a frame may not exceed ${maxBytes} bytes`);
      return;
    }
    core.frame(connOf(entry), text);
  };
  ipcMain.on(FRAME_CHANNEL, onFrame);

  const onMedia = (event: IpcMainEvent, bytes: unknown) => {
    const entry = trustedSender(event);
    if (!entry) return;
    // IPC delivers a Uint8Array (or a Buffer, which is one); anything else is not media.
    if (!(bytes instanceof Uint8Array)) {
      reject(event.sender, 'BAD_FRAME', 'a media frame must be a Uint8Array');
      return;
    }
    if (bytes.byteLength > maxMediaBytes) {
      reject(
        event.sender,
        'FRAME_TOO_LARGE',
        `a media frame may not exceed ${maxMediaBytes} bytes`,
      );
      return;
    }
    core.media(connOf(entry), bytes);
  };
  ipcMain.on(MEDIA_CHANNEL, onMedia);

  return {
    attach(contents) {
      if (attached.has(contents.id)) return;
      const entry: Attached = { contents, conn: null, detach: () => undefined };
      // A new document (reload or navigation of the main frame) is a new client.
      const onNavigate = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
        if (details.isMainFrame && !details.isSameDocument) closeConn(entry, null);
      };
      const onGone = () => closeConn(entry, null);
      const onDestroyed = () => {
        closeConn(entry, null);
        attached.delete(contents.id);
      };
      contents.on('did-start-navigation', onNavigate);
      contents.on('render-process-gone', onGone);
      contents.once('destroyed', onDestroyed);
      entry.detach = () => {
        contents.off('did-start-navigation', onNavigate);
        contents.off('render-process-gone', onGone);
        contents.off('destroyed', onDestroyed);
      };
      attached.set(contents.id, entry);
    },
    deliver(conn, text) {
      const entry = byConn.get(conn);
      if (!entry || entry.contents.isDestroyed()) return;
      entry.contents.send(FRAME_CHANNEL, text);
    },
    closeAll(reason) {
      for (const entry of attached.values()) {
        // The core that held these connections is gone: nothing to tell it. The page's next
        // frame (after the UI reconnects or reloads) opens a fresh connection.
        closeConn(entry, reason, false);
      }
    },
    dispose() {
      ipcMain.off(FRAME_CHANNEL, onFrame);
      ipcMain.off(MEDIA_CHANNEL, onMedia);
      for (const entry of attached.values()) {
        closeConn(entry, null);
        entry.detach();
      }
      attached.clear();
    },
  };
}

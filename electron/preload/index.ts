/**
 * The sandboxed preload (built to out/preload/index.cjs). It exposes exactly one object,
 * `window.attest`, with three functions that move JSON text frames and one that sends binary
 * media frames; the renderer turns them into the typed client (renderer/src/api). Nothing
 * else crosses: no `ipcRenderer`, no
 * generic invoke, no event objects (an IpcRendererEvent carries `sender`, which is
 * `ipcRenderer` itself).
 *
 * A sandboxed preload may import only `electron`, so the channel names are repeated here;
 * tests/unit/shell/preload.test.ts checks that they match electron/main/ipc.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';

const FRAME_CHANNEL = 'attest:frame';
const CLOSED_CHANNEL = 'attest:closed';
const MEDIA_CHANNEL = 'attest:media';
/** MAX_MEDIA_FRAME_BYTES of electron/shared/media.ts (checked equal by the preload test). */
const MAX_MEDIA_FRAME_BYTES = 8 * 1024 * 1024;

const messageListeners = new Set<(text: string) => void>();
const closeListeners = new Set<(reason: string) => void>();

ipcRenderer.on(FRAME_CHANNEL, (_event, text: unknown) => {
  if (typeof text !== 'string') return;
  for (const listener of messageListeners) listener(text);
});

ipcRenderer.on(CLOSED_CHANNEL, (_event, reason: unknown) => {
  const why = typeof reason === 'string' ? reason : 'the connection to the core closed';
  for (const listener of closeListeners) listener(why);
});

function requireFunction(value: unknown, name: string): void {
  if (typeof value !== 'function') throw new TypeError(`attest.${name} needs a function`);
}

contextBridge.exposeInMainWorld('attest', {
  /** Sends one JSON text frame to the core. */
  send(text: unknown): void {
    // Only strings cross: structured clone would carry objects the main process then checks.
    if (typeof text !== 'string') throw new TypeError('attest.send takes a JSON string');
    ipcRenderer.send(FRAME_CHANNEL, text);
  },
  /**
   * Sends one binary media frame (electron/shared/media.ts) to the core. Only bytes cross:
   * a Uint8Array (or an ArrayBuffer), never an object with its own behaviour.
   */
  sendMedia(bytes: unknown): void {
    let view: Uint8Array;
    if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
    else if (ArrayBuffer.isView(bytes) && !(bytes instanceof DataView)) {
      view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } else throw new TypeError('attest.sendMedia takes a Uint8Array');
    if (view.byteLength > MAX_MEDIA_FRAME_BYTES) {
      throw new RangeError(`a media frame may not exceed ${MAX_MEDIA_FRAME_BYTES} bytes`);
    }
    ipcRenderer.send(MEDIA_CHANNEL, view);
  },
  /** Registers a receiver for every frame the core sends. */
  onMessage(receive: unknown): void {
    requireFunction(receive, 'onMessage');
    messageListeners.add(receive as (text: string) => void);
  },
  /** Registers a callback for when the connection closes (the core exited or gave up). */
  onClose(closed: unknown): void {
    requireFunction(closed, 'onClose');
    closeListeners.add(closed as (reason: string) => void);
  },
});

/**
 * The renderer's one way to reach the core. In the Electron app the preload exposes
 * `window.attest` (IPC); in a browser against the web host a WebSocket to /rpc carries the
 * same frames, authenticated by the per-run token the host writes into index.html; on a
 * paired LAN signing tablet, by the pairing's cookie; on the live room's LAN pages, by
 * signing in (observers) or the invitation's token (remote participants).
 */
import { createClient, type Channel, type Client } from '@shared/client';

export interface AttestBridge {
  send(text: string): void;
  /** Binary media frames (electron/shared/media.ts) over their own sender-checked IPC channel. */
  sendMedia(bytes: Uint8Array): void;
  onMessage(receive: (text: string) => void): void;
  onClose(closed: (reason: string) => void): void;
}

declare global {
  interface Window {
    attest?: AttestBridge;
  }
}

function webSocketChannel(url: string): Channel {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  // Frames sent before the socket opens wait here, in order (text and media alike).
  const queue: (string | Uint8Array)[] = [];
  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  return {
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(text);
      else throw new Error('the connection to the core is closed');
    },
    sendBinary(bytes) {
      if (socket.readyState === WebSocket.OPEN) socket.send(bytes);
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(bytes);
      else throw new Error('the connection to the core is closed');
    },
    onMessage(receive) {
      socket.addEventListener('message', (e) => {
        if (typeof e.data === 'string') receive(e.data);
      });
    },
    onClose(closed) {
      socket.addEventListener('close', (e) => closed(e.reason || `code ${e.code}`));
    },
  };
}

export function connect(): Client {
  const bridge = window.attest;
  if (bridge) {
    return createClient({
      send: (text) => bridge.send(text),
      sendBinary: (bytes) => bridge.sendMedia(bytes),
      onMessage: (receive) => bridge.onMessage(receive),
      onClose: (closed) => bridge.onClose(closed),
    });
  }
  // A LAN signing tablet, paired: its HttpOnly cookie authenticates the socket (the server
  // lets through only this signing's page).
  const transport = lanTransport();
  if (transport && location.protocol === 'https:') {
    return createClient(webSocketChannel(`wss://${location.host}/rpc`));
  }
  const token = document.querySelector<HTMLMetaElement>('meta[name="attest-host-token"]')?.content;
  if (!token) throw new Error('no bridge to the core: open Attest from the app or the web host');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createClient(
    webSocketChannel(`${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`),
  );
}

/** Which LAN page this is, as the server that served it says (null: the app or the web host). */
export function lanTransport(): 'lan-tablet' | 'lan-live' | null {
  const content = document.querySelector<HTMLMetaElement>('meta[name="attest-transport"]')?.content;
  return content === 'lan-tablet' || content === 'lan-live' ? content : null;
}

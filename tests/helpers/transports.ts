import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createClient, type Client } from '../../electron/shared/client';
import { connectInMemory } from '../../electron/core/transports/memory';
import { startHost, type Host } from '../../electron/host/server';
import type { Core } from '../../electron/core';

/** A way to reach a core: typed clients and raw text frames, over one transport. */
export interface TransportUnderTest {
  name: string;
  /** Opens a new client connection to the core. */
  client(): Promise<Client>;
  /** Sends one raw text frame on a fresh connection; resolves with the first reply or the close. */
  raw(text: string): Promise<{ reply?: unknown; closeCode?: number }>;
  dispose(): Promise<void>;
}

export function inMemoryTransport(core: Core): TransportUnderTest {
  const clients: Client[] = [];
  return {
    name: 'in-memory',
    async client() {
      const c = connectInMemory(core);
      clients.push(c);
      return c;
    },
    raw(text) {
      return new Promise((resolve) => {
        const conn = core.connect((reply) => {
          conn.close();
          resolve({ reply: JSON.parse(reply) as unknown });
        });
        void conn.receive(text);
      });
    },
    async dispose() {
      clients.forEach((c) => c.close());
    },
  };
}

/** A minimal renderer directory (checked in) so the host has an index page to serve. */
export function fakeRendererDir(): string {
  return fileURLToPath(new URL('../fixtures/fake-renderer/', import.meta.url));
}

export function openSocket(
  host: Host,
  opts: { token?: string; origin?: string; hostHeader?: string } = {},
): WebSocket {
  const token = opts.token ?? host.token;
  const headers: Record<string, string> = {
    Origin: opts.origin ?? `http://127.0.0.1:${host.port}`,
  };
  if (opts.hostHeader) headers.Host = opts.hostHeader;
  return new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${encodeURIComponent(token)}`, {
    headers,
  });
}

export function socketClient(ws: WebSocket): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      send: (text) => ws.send(text),
      onMessage: (receive) => ws.on('message', (d) => receive(d.toString())),
      onClose: (closed) =>
        ws.on('close', (code, reason) => closed(reason.toString() || `code ${code}`)),
    });
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

export async function webSocketTransport(core: Core): Promise<TransportUnderTest & { host: Host }> {
  const host = await startHost({ core, port: 0, rendererDir: fakeRendererDir(), log: () => {} });
  const sockets: WebSocket[] = [];
  return {
    name: 'websocket',
    host,
    async client() {
      const ws = openSocket(host);
      sockets.push(ws);
      return socketClient(ws);
    },
    raw(text) {
      return new Promise((resolve, reject) => {
        const ws = openSocket(host);
        sockets.push(ws);
        ws.once('open', () => ws.send(text));
        ws.once('message', (d) => {
          resolve({ reply: JSON.parse(d.toString()) as unknown });
          ws.close();
        });
        ws.once('close', (code) => resolve({ closeCode: code }));
        ws.once('error', reject);
      });
    },
    async dispose() {
      sockets.forEach((s) => s.terminate());
      await host.close();
    },
  };
}

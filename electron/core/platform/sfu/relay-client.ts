/**
 * A connection to `attest relay` from Node (a room's workstation, or a headless observer in
 * tests): wss with the relay's certificate pinned by its SHA-256 fingerprint, checked before
 * anything is sent; then `hello`, and requests answered in turn (electron/shared/relay.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { RelayAnswer, RelayEvent } from '../../../shared/relay';

const CALL_MS = 15_000;

export class RelayConnection {
  private next = 1;
  private readonly waiting = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private readonly closeListeners = new Set<(why: string) => void>();

  private constructor(
    private readonly ws: WebSocket,
    onEvent: (e: RelayEvent) => void,
  ) {
    ws.on('message', (data) => {
      let frame: RelayAnswer | RelayEvent;
      try {
        frame = JSON.parse(String(data)) as RelayAnswer | RelayEvent;
      } catch {
        return;
      }
      if ('event' in frame) return onEvent(frame);
      const w = this.waiting.get(frame.id);
      if (!w) return;
      this.waiting.delete(frame.id);
      if (frame.ok) w.resolve(frame.result);
      else w.reject(new Error(`relay: ${frame.error}`));
    });
    ws.on('close', (code, reason) => {
      const why = reason.toString() || `code ${code}`;
      for (const w of this.waiting.values()) w.reject(new Error(`relay closed: ${why}`));
      this.waiting.clear();
      for (const l of this.closeListeners) l(why);
    });
    ws.on('error', () => undefined);
  }

  /** Opens, checks the relay's certificate against `fingerprint`, and says hello. */
  static async open(
    url: string,
    fingerprint: string,
    hello: Record<string, unknown>,
    onEvent: (e: RelayEvent) => void = () => undefined,
  ): Promise<RelayConnection> {
    // The relay's certificate is its own (self-issued): it is trusted by its fingerprint alone.
    const ws = new WebSocket(url, { rejectUnauthorized: false, maxPayload: 256 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('upgrade', (res: IncomingMessage) => {
        const seen = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        if (seen !== fingerprint) {
          ws.terminate();
          reject(new Error(`the relay's certificate is ${seen}, not the one configured`));
        }
      });
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const conn = new RelayConnection(ws, onEvent);
    await conn.call('hello', hello);
    return conn;
  }

  call<T>(method: string, params: unknown = {}): Promise<T> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('relay closed'));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`relay: no answer to ${method}`));
      }, CALL_MS);
      timer.unref();
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  onClose(listener: (why: string) => void): void {
    this.closeListeners.add(listener);
  }

  close(): void {
    this.ws.close(1000, 'done');
  }
}

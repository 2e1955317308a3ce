import { createClient, type Channel, type Client } from '../../shared/client';
import type { Core } from '../core';

/**
 * An in-memory transport: a client wired straight to a core connection. Frames still travel
 * as JSON text, delivered asynchronously, so unit tests exercise the same parsing, validation
 * and error envelopes as the WebSocket and IPC transports.
 */
export function connectInMemory(core: Core, from?: { address: string }): Client {
  const receivers: ((text: string) => void)[] = [];
  const closers: ((reason: string) => void)[] = [];
  const connection = core.connect((text) => {
    queueMicrotask(() => receivers.forEach((r) => r(text)));
  }, from);
  const channel: Channel = {
    send(text) {
      void connection.receive(text);
    },
    sendBinary(bytes) {
      void connection.receiveBinary(bytes);
    },
    onMessage(receive) {
      receivers.push(receive);
    },
    onClose(closed) {
      closers.push(closed);
    },
  };
  const client = createClient(channel);
  return {
    ...client,
    close(reason = 'closed by client') {
      connection.close();
      client.close(reason);
      closers.forEach((c) => c(reason));
    },
  };
}

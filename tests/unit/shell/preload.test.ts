import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => void;
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  handlers: new Map<string, Handler[]>(),
  send: [] as unknown[][],
}));

vi.mock('electron', () => ({
  // For the channel-name comparison with electron/main/ipc.ts below.
  ipcMain: { on: () => undefined, off: () => undefined },
  contextBridge: {
    exposeInMainWorld(key: string, api: unknown) {
      electron.exposed.set(key, api);
    },
  },
  ipcRenderer: {
    on(channel: string, handler: Handler) {
      electron.handlers.set(channel, [...(electron.handlers.get(channel) ?? []), handler]);
    },
    send(...args: unknown[]) {
      electron.send.push(args);
    },
  },
}));

interface Bridge {
  send(text: unknown): void;
  sendMedia(bytes: unknown): void;
  onMessage(cb: unknown): void;
  onClose(cb: unknown): void;
}

/** Delivers what main would send on `channel`; the event carries `sender` like Electron's. */
function fromMain(channel: string, ...args: unknown[]) {
  const event = { sender: { send: () => undefined, invoke: () => undefined } };
  for (const h of electron.handlers.get(channel) ?? []) h(event, ...args);
}

async function loadPreload(): Promise<Bridge> {
  electron.exposed.clear();
  electron.handlers.clear();
  electron.send.length = 0;
  vi.resetModules();
  await import('../../../electron/preload/index');
  return electron.exposed.get('attest') as Bridge;
}

describe('the preload', () => {
  let bridge: Bridge;
  beforeEach(async () => {
    bridge = await loadPreload();
  });

  it('exposes exactly one key, attest, with send/sendMedia/onMessage/onClose and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['attest']);
    expect(Object.keys(bridge).sort()).toEqual(['onClose', 'onMessage', 'send', 'sendMedia']);
    for (const fn of Object.values(bridge)) expect(typeof fn).toBe('function');
  });

  it('sends strings on attest:frame', () => {
    bridge.send('{"t":"req","id":1,"method":"a","input":null}');
    expect(electron.send).toEqual([
      ['attest:frame', '{"t":"req","id":1,"method":"a","input":null}'],
    ]);
  });

  it.each([[{ t: 'req' }], [1], [null], [undefined]])(
    'refuses to send a non-string %j',
    (value) => {
      expect(() => bridge.send(value)).toThrow(TypeError);
      expect(electron.send).toEqual([]);
    },
  );

  it('sends media frames as bytes on attest:media, the channel main listens on', async () => {
    const ipc = await import('../../../electron/main/ipc');
    const bytes = new Uint8Array([0, 0, 0, 2, 123, 125, 7, 8]);
    bridge.sendMedia(bytes);
    bridge.sendMedia(bytes.buffer);
    bridge.sendMedia(new Uint8Array(bytes.buffer, 6, 2));
    expect(electron.send.map((c) => c[0])).toEqual([
      ipc.MEDIA_CHANNEL,
      ipc.MEDIA_CHANNEL,
      ipc.MEDIA_CHANNEL,
    ]);
    expect(electron.send.map((c) => [...(c[1] as Uint8Array)])).toEqual([
      [0, 0, 0, 2, 123, 125, 7, 8],
      [0, 0, 0, 2, 123, 125, 7, 8],
      [7, 8],
    ]);
  });

  it.each([['text'], [{ length: 3 }], [[1, 2]], [null], [new DataView(new ArrayBuffer(2))]])(
    'refuses to send media that is not bytes: %j',
    (value) => {
      expect(() => bridge.sendMedia(value)).toThrow(TypeError);
      expect(electron.send).toEqual([]);
    },
  );

  it('refuses a media frame over the limit of electron/shared/media.ts', async () => {
    const { MAX_MEDIA_FRAME_BYTES } = await import('../../../electron/shared/media');
    bridge.sendMedia(new Uint8Array(MAX_MEDIA_FRAME_BYTES));
    expect(() => bridge.sendMedia(new Uint8Array(MAX_MEDIA_FRAME_BYTES + 1))).toThrow(RangeError);
    expect(electron.send).toHaveLength(1);
  });

  it('hands frames from main to every listener, as text only, never the IPC event', () => {
    const a = vi.fn();
    const b = vi.fn();
    bridge.onMessage(a);
    bridge.onMessage(b);
    fromMain('attest:frame', '{"t":"evt"}');
    fromMain('attest:frame', { not: 'text' });
    expect(a.mock.calls).toEqual([['{"t":"evt"}']]);
    expect(b.mock.calls).toEqual([['{"t":"evt"}']]);
  });

  it('reports a close with its reason', () => {
    const closed = vi.fn();
    bridge.onClose(closed);
    fromMain('attest:closed', 'core restarted');
    fromMain('attest:closed', 42);
    expect(closed.mock.calls).toEqual([['core restarted'], ['the connection to the core closed']]);
  });

  it('rejects a listener that is not a function', () => {
    expect(() => bridge.onMessage('x')).toThrow(TypeError);
    expect(() => bridge.onClose(undefined)).toThrow(TypeError);
  });

  it('listens on the same channels as electron/main/ipc.ts', async () => {
    const ipc = await import('../../../electron/main/ipc');
    expect([...electron.handlers.keys()].sort()).toEqual(
      [ipc.CLOSED_CHANNEL, ipc.FRAME_CHANNEL].sort(),
    );
  });

  it('imports nothing but electron (a sandboxed preload cannot require anything else)', () => {
    const source = readFileSync(
      new URL('../../../electron/preload/index.ts', import.meta.url),
      'utf8',
    );
    const imports = [...source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports).toEqual(['electron']);
    expect(source).not.toMatch(/\brequire\(/);
  });
});

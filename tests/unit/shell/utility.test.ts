import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, CoreConnection } from '../../../electron/core/core';
import type { CoreToMain, ParentPortLike } from '../../../electron/core/utility';

// The real core opens SQLite; these tests are about the port protocol only.
const openCore = vi.hoisted(() => vi.fn());
vi.mock('../../../electron/core/core', () => ({ openCore }));

const { serveCore, parseMainMessage, lanTabletFromEnv } =
  await import('../../../electron/core/utility');

/** A parent port: `deliver` is main posting a message; `posted` is what the core sent. */
class FakePort implements ParentPortLike {
  listener: ((event: { data: unknown }) => void) | null = null;
  readonly posted: CoreToMain[] = [];
  on(_event: 'message', listener: (event: { data: unknown }) => void) {
    this.listener = listener;
    return this;
  }
  postMessage(message: CoreToMain) {
    this.posted.push(message);
  }
  deliver(data: unknown) {
    this.listener?.({ data });
  }
  frames() {
    return this.posted.filter((m) => m.type === 'frame');
  }
}

/** A core whose connections echo each frame back, and record closes. */
function fakeCore() {
  const connections: Array<{ send: (t: string) => void; closed: boolean }> = [];
  const core = {
    dataDir: '/tmp/fake',
    close: vi.fn(),
    connect(send: (text: string) => void): CoreConnection {
      const record = { send, closed: false };
      connections.push(record);
      return {
        receive: async (text: string) => {
          if (text === 'boom') throw new Error('bug');
          send(`echo:${text}`);
        },
        receiveBinary: async (bytes: Uint8Array) => {
          if (bytes.length === 0) throw new Error('bug');
          send(`bytes:${bytes.join(',')}`);
        },
        close: () => {
          record.closed = true;
        },
      };
    },
    settled: () => Promise.resolve(),
  } satisfies Core;
  return { core, connections };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('serveCore', () => {
  let port: FakePort;
  let fake: ReturnType<typeof fakeCore>;
  const log = vi.fn();

  beforeEach(() => {
    port = new FakePort();
    fake = fakeCore();
    log.mockClear();
  });

  it('announces ready once it listens', () => {
    serveCore(fake.core, port, { log });
    expect(port.listener).not.toBeNull();
    expect(port.posted).toEqual([{ type: 'ready' }]);
  });

  it('opens a connection per conn and routes each reply with its conn', async () => {
    const served = serveCore(fake.core, port, { log });
    port.deliver({ type: 'open', conn: 1 });
    port.deliver({ type: 'open', conn: 2 });
    expect(served.size).toBe(2);
    port.deliver({ type: 'frame', conn: 2, text: 'b' });
    port.deliver({ type: 'frame', conn: 1, text: 'a' });
    await tick();
    expect(port.frames()).toEqual([
      { type: 'frame', conn: 2, text: 'echo:b' },
      { type: 'frame', conn: 1, text: 'echo:a' },
    ]);
  });

  it('closes a connection and drops its late replies', async () => {
    const served = serveCore(fake.core, port, { log });
    port.deliver({ type: 'open', conn: 7 });
    port.deliver({ type: 'close', conn: 7 });
    expect(fake.connections[0]!.closed).toBe(true);
    expect(served.size).toBe(0);
    fake.connections[0]!.send('late');
    port.deliver({ type: 'frame', conn: 7, text: 'x' });
    await tick();
    expect(port.frames()).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('unknown connection 7'));
  });

  it('hands media frames to their connection as bytes, in order with text frames', async () => {
    serveCore(fake.core, port, { log });
    port.deliver({ type: 'open', conn: 1 });
    port.deliver({ type: 'media', conn: 1, bytes: new Uint8Array([1, 2, 3]) });
    port.deliver({ type: 'frame', conn: 1, text: 'a' });
    port.deliver({ type: 'media', conn: 9, bytes: new Uint8Array([4]) });
    port.deliver({ type: 'media', conn: 1, bytes: new Uint8Array([]) });
    await tick();
    expect(port.frames()).toEqual([
      { type: 'frame', conn: 1, text: 'bytes:1,2,3' },
      { type: 'frame', conn: 1, text: 'echo:a' },
    ]);
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('media frame for unknown connection 9'),
    );
    expect(log).toHaveBeenCalledWith(expect.stringContaining('failed on a media frame'));
  });

  it('replaces a connection when main reuses a conn number', () => {
    serveCore(fake.core, port, { log });
    port.deliver({ type: 'open', conn: 3 });
    port.deliver({ type: 'open', conn: 3 });
    expect(fake.connections.map((c) => c.closed)).toEqual([true, false]);
  });

  it('logs a connection that throws instead of crashing the process', async () => {
    serveCore(fake.core, port, { log });
    port.deliver({ type: 'open', conn: 1 });
    port.deliver({ type: 'frame', conn: 1, text: 'boom' });
    await tick();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('connection 1 failed'));
  });

  it.each([
    [null],
    ['open'],
    [{ type: 'open' }],
    [{ type: 'open', conn: -1 }],
    [{ type: 'open', conn: 1.5 }],
    [{ type: 'frame', conn: 1, text: 5 }],
    [{ type: 'media', conn: 1, bytes: 'not bytes' }],
    [{ type: 'media', conn: 1, bytes: [1, 2] }],
    [{ type: 'media', conn: 0, bytes: new Uint8Array(1) }],
    [{ type: 'exec', conn: 1 }],
  ])('ignores a malformed message %j', (data) => {
    const served = serveCore(fake.core, port, { log });
    port.deliver(data);
    expect(served.size).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('malformed'));
  });

  it('shuts down: closes every connection, then the core, then calls onShutdown', () => {
    const onShutdown = vi.fn(() => {
      expect(fake.core.close).toHaveBeenCalled();
    });
    serveCore(fake.core, port, { log, onShutdown });
    port.deliver({ type: 'open', conn: 1 });
    port.deliver({ type: 'open', conn: 2 });
    port.deliver({ type: 'shutdown' });
    expect(fake.connections.every((c) => c.closed)).toBe(true);
    expect(onShutdown).toHaveBeenCalledTimes(1);
    port.deliver({ type: 'open', conn: 3 });
    expect(fake.connections).toHaveLength(2);
  });

  it('parses the protocol strictly', () => {
    expect(parseMainMessage({ type: 'frame', conn: 1, text: 'x', extra: 1 })).toEqual({
      type: 'frame',
      conn: 1,
      text: 'x',
    });
    expect(parseMainMessage({ type: 'close', conn: 0 })).toBeNull();
    expect(parseMainMessage({ type: 'shutdown' })).toEqual({ type: 'shutdown' });
  });
});

describe('the utility entry', () => {
  const proc = process as unknown as { parentPort?: ParentPortLike };
  let sigterm: Set<NodeJS.SignalsListener>;

  beforeEach(() => {
    vi.resetModules();
    openCore.mockReset();
    sigterm = new Set(process.listeners('SIGTERM'));
  });
  afterEach(() => {
    delete proc.parentPort;
    delete process.env.ATTEST_DATA_DIR;
    for (const l of process.listeners('SIGTERM')) if (!sigterm.has(l)) process.off('SIGTERM', l);
  });

  it('does nothing when imported outside a utilityProcess', async () => {
    await import('../../../electron/core/utility');
    expect(openCore).not.toHaveBeenCalled();
  });

  it('inside a utilityProcess opens the core on ATTEST_DATA_DIR and serves the parent port', async () => {
    const port = new FakePort();
    proc.parentPort = port;
    process.env.ATTEST_DATA_DIR = '/tmp/attest-test-data';
    openCore.mockReturnValue(fakeCore().core);
    await import('../../../electron/core/utility');
    expect(openCore).toHaveBeenCalledWith(
      expect.objectContaining({ dataDir: '/tmp/attest-test-data' }),
    );
    expect(port.posted).toEqual([{ type: 'ready' }]);
    port.deliver({ type: 'open', conn: 1 });
    port.deliver({ type: 'frame', conn: 1, text: 'hi' });
    await tick();
    expect(port.frames()).toEqual([{ type: 'frame', conn: 1, text: 'echo:hi' }]);
  });
});

describe('lanTabletFromEnv', () => {
  it('offers the LAN signing tablet only when the workstation sets a valid port', () => {
    expect(lanTabletFromEnv({}, '/app/renderer/')).toEqual({});
    expect(lanTabletFromEnv({ ATTEST_LAN_TABLET_PORT: 'x' }, '/r/')).toEqual({});
    expect(lanTabletFromEnv({ ATTEST_LAN_TABLET_PORT: '70000' }, '/r/')).toEqual({});
    expect(lanTabletFromEnv({ ATTEST_LAN_TABLET_PORT: '8443' }, '/r/')).toEqual({
      lanTablet: { rendererDir: '/r/', port: 8443 },
    });
    expect(
      lanTabletFromEnv(
        { ATTEST_LAN_TABLET_PORT: '8443', ATTEST_LAN_TABLET_HOST: '192.168.10.5' },
        '/r/',
      ),
    ).toEqual({
      lanTablet: {
        rendererDir: '/r/',
        port: 8443,
        bindHost: '192.168.10.5',
        advertiseHost: '192.168.10.5',
      },
    });
  });
});

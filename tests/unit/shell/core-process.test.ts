import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MainToCore } from '../../../electron/core/utility';
import { createCoreProcess } from '../../../electron/main/core-process';
import type { CoreProcessOptions } from '../../../electron/main/core-process';

vi.mock('electron', () => ({ utilityProcess: { fork: vi.fn() } }));

class FakeChild extends EventEmitter {
  readonly posted: MainToCore[] = [];
  killed = false;
  postMessage(message: MainToCore) {
    this.posted.push(message);
  }
  kill() {
    this.killed = true;
    return true;
  }
  /** The core posting to main. */
  say(message: unknown) {
    this.emit('message', message);
  }
  exit(code: number) {
    this.emit('exit', code);
  }
}

function setup(overrides: Partial<CoreProcessOptions> = {}) {
  const children: FakeChild[] = [];
  const forks: Array<{ path: string; args: string[]; options: Record<string, unknown> }> = [];
  const timers: Array<{ run: () => void; ms: number; cleared: boolean }> = [];
  let clock = 1_000_000;
  const onFrame = vi.fn();
  const onLost = vi.fn();
  const log = vi.fn();
  const core = createCoreProcess({
    modulePath: '/app/out/main/core.js',
    dataDir: '/home/u/.config/Attest',
    env: { PATH: '/usr/bin', ATTEST_DATA_DIR: '/elsewhere' },
    onFrame,
    onLost,
    log,
    now: () => clock,
    fork: (path, args, options) => {
      forks.push({ path, args, options });
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    setTimer: (run, ms) => {
      const t = { run, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { cleared: boolean }).cleared = true;
    },
    ...overrides,
  });
  const runTimers = () => {
    for (const t of timers.splice(0)) if (!t.cleared) t.run();
  };
  return {
    core,
    children,
    forks,
    timers,
    onFrame,
    onLost,
    log,
    runTimers,
    advance: (ms: number) => (clock += ms),
    last: () => children.at(-1)!,
  };
}

describe('the core process', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('forks out/main/core.js as "Attest core" with ATTEST_DATA_DIR set to userData', () => {
    t.core.start();
    expect(t.forks).toHaveLength(1);
    expect(t.forks[0]).toEqual({
      path: '/app/out/main/core.js',
      args: [],
      options: {
        serviceName: 'Attest core',
        env: { PATH: '/usr/bin', ATTEST_DATA_DIR: '/home/u/.config/Attest' },
      },
    });
    expect(t.core.state).toBe('starting');
    expect(() => t.core.start()).toThrow(/already started/);
  });

  it('holds messages until the core is ready, then sends them in order', () => {
    t.core.start();
    t.core.open(1);
    t.core.frame(1, 'a');
    t.core.close(1);
    expect(t.last().posted).toEqual([]);
    t.last().say({ type: 'ready' });
    expect(t.core.state).toBe('ready');
    expect(t.last().posted).toEqual([
      { type: 'open', conn: 1 },
      { type: 'frame', conn: 1, text: 'a' },
      { type: 'close', conn: 1 },
    ]);
    t.core.frame(2, 'b');
    expect(t.last().posted.at(-1)).toEqual({ type: 'frame', conn: 2, text: 'b' });
  });

  it('posts media frames to the core as bytes, in order with the text frames', () => {
    t.core.start();
    t.core.open(1);
    const bytes = new Uint8Array([0, 0, 0, 2, 123, 125, 9]);
    t.core.media(1, bytes);
    t.core.frame(1, 'after');
    t.last().say({ type: 'ready' });
    expect(t.last().posted).toEqual([
      { type: 'open', conn: 1 },
      { type: 'media', conn: 1, bytes },
      { type: 'frame', conn: 1, text: 'after' },
    ]);
  });

  it('passes frames from the core to onFrame and ignores malformed messages', () => {
    t.core.start();
    t.last().say({ type: 'ready' });
    t.last().say({ type: 'frame', conn: 4, text: '{"t":"res"}' });
    t.last().say({ type: 'frame', conn: '4', text: 1 });
    t.last().say('garbage');
    expect(t.onFrame.mock.calls).toEqual([[4, '{"t":"res"}']]);
    expect(t.log).toHaveBeenCalledWith(expect.stringContaining('malformed'));
  });

  it('restarts a core that exits unexpectedly, telling the windows and logging why', () => {
    t.core.start();
    t.last().say({ type: 'ready' });
    t.last().exit(134);
    expect(t.onLost).toHaveBeenCalledTimes(1);
    expect(t.onLost.mock.calls[0]![0]).toMatch(/134/);
    expect(t.log).toHaveBeenCalledWith(expect.stringMatching(/exited unexpectedly with code 134/));
    expect(t.core.state).toBe('restarting');
    expect(t.timers).toHaveLength(1);
    expect(t.timers[0]!.ms).toBe(500);
    expect(t.forks).toHaveLength(1);
    t.runTimers();
    expect(t.forks).toHaveLength(2);
    expect(t.core.state).toBe('starting');
  });

  it('queues what windows send while restarting and delivers it to the new core', () => {
    t.core.start();
    const first = t.last();
    first.say({ type: 'ready' });
    first.exit(1);
    t.core.open(9);
    t.core.frame(9, 'again');
    t.runTimers();
    const second = t.last();
    expect(second).not.toBe(first);
    second.say({ type: 'ready' });
    expect(second.posted).toEqual([
      { type: 'open', conn: 9 },
      { type: 'frame', conn: 9, text: 'again' },
    ]);
    expect(first.posted).toEqual([]);
  });

  it('drops messages queued for a core that died before it was ready', () => {
    t.core.start();
    t.core.open(1);
    t.last().exit(1);
    t.runTimers();
    t.last().say({ type: 'ready' });
    expect(t.last().posted).toEqual([]);
  });

  it('ignores a late message or exit from a previous core', () => {
    t.core.start();
    const first = t.last();
    first.say({ type: 'ready' });
    first.exit(1);
    t.runTimers();
    first.say({ type: 'frame', conn: 1, text: 'ghost' });
    first.exit(1);
    expect(t.onFrame).not.toHaveBeenCalled();
    expect(t.onLost).toHaveBeenCalledTimes(1);
  });

  it('backs off and gives up after too many crashes in a short time', () => {
    t.core.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      t.last().exit(1);
      delays.push(t.timers[0]!.ms);
      t.runTimers();
      t.advance(1000);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(t.forks).toHaveLength(6);
    t.last().exit(1);
    expect(t.core.state).toBe('failed');
    expect(t.timers).toHaveLength(0);
    expect(t.onLost).toHaveBeenCalledTimes(6);
    expect(t.onLost.mock.calls.at(-1)![0]).toMatch(/keeps failing/);
    // A page that reconnects is told again instead of waiting forever.
    t.core.open(42);
    expect(t.onLost).toHaveBeenCalledTimes(7);
    expect(t.forks).toHaveLength(6);
  });

  it('keeps restarting a core whose crashes are far apart', () => {
    t.core.start();
    for (let i = 0; i < 10; i++) {
      t.last().exit(1);
      expect(t.timers[0]!.ms).toBe(500);
      t.runTimers();
      t.advance(61_000);
    }
    expect(t.core.state).toBe('starting');
    expect(t.forks).toHaveLength(11);
  });

  it('stops gracefully: asks the core to shut down and does not restart it', async () => {
    t.core.start();
    t.last().say({ type: 'ready' });
    const stopped = t.core.stop(5000);
    expect(t.last().posted).toEqual([{ type: 'shutdown' }]);
    t.core.frame(1, 'after stop');
    expect(t.last().posted).toHaveLength(1);
    t.last().exit(0);
    await stopped;
    expect(t.core.state).toBe('stopped');
    expect(t.onLost).not.toHaveBeenCalled();
    expect(t.forks).toHaveLength(1);
    expect(t.timers.filter((x) => !x.cleared)).toHaveLength(0);
    expect(t.core.stop()).toBe(stopped);
  });

  it('kills a core that does not exit in time', async () => {
    t.core.start();
    const stopped = t.core.stop(100);
    expect(t.timers[0]!.ms).toBe(100);
    t.runTimers();
    await stopped;
    expect(t.last().killed).toBe(true);
    t.last().exit(143);
    expect(t.forks).toHaveLength(1);
    expect(t.onLost).not.toHaveBeenCalled();
  });

  it('cancels a pending restart when stopped', async () => {
    t.core.start();
    t.last().exit(1);
    await t.core.stop();
    t.runTimers();
    expect(t.forks).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLOSED_CHANNEL,
  FRAME_CHANNEL,
  MEDIA_CHANNEL,
  createFrameIpc,
} from '../../../electron/main/ipc';
import { MAX_MEDIA_FRAME_BYTES } from '../../../electron/shared/media';
import type { CoreLink, FrameIpc } from '../../../electron/main/ipc';
import { MAX_FRAME_BYTES } from '../../../electron/shared/rpc';
import { FakeWebContents } from './fakes';
import type { FakeFrame } from './fakes';

type Listener = (event: unknown, ...args: unknown[]) => void;
const listeners = vi.hoisted(() => new Map<string, Set<Listener>>());

vi.mock('electron', () => ({
  ipcMain: {
    on(channel: string, listener: Listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    off(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
    },
  },
}));

/** What the renderer's ipcRenderer.send would deliver to ipcMain. */
function sendFrom(
  contents: FakeWebContents,
  text: unknown,
  frame: FakeFrame | null = contents.mainFrame,
  channel = FRAME_CHANNEL,
) {
  const event = { sender: contents, senderFrame: frame };
  for (const l of listeners.get(channel) ?? []) l(event, text);
}

function mediaFrom(
  contents: FakeWebContents,
  bytes: unknown,
  frame: FakeFrame | null = contents.mainFrame,
) {
  sendFrom(contents, bytes, frame, MEDIA_CHANNEL);
}

function errorReply(contents: FakeWebContents): { code: string } | undefined {
  const last = contents.sent(FRAME_CHANNEL).at(-1);
  if (typeof last !== 'string') return undefined;
  const frame = JSON.parse(last) as {
    t: string;
    id: number;
    ok: boolean;
    error?: { code: string };
  };
  expect(frame).toMatchObject({ t: 'res', id: -1, ok: false });
  return frame.error;
}

const REQ = JSON.stringify({ t: 'req', id: 1, method: 'system.status', input: {} });

describe('the IPC entry', () => {
  let core: { [K in keyof CoreLink]: ReturnType<typeof vi.fn<CoreLink[K]>> };
  let ipc: FrameIpc;
  let win: FakeWebContents;
  const log = vi.fn();

  beforeEach(() => {
    core = { open: vi.fn(), frame: vi.fn(), media: vi.fn(), close: vi.fn() };
    ipc = createFrameIpc({ core, log });
    win = new FakeWebContents();
    ipc.attach(win as never);
  });
  afterEach(() => ipc.dispose());

  it('registers exactly one listener on attest:frame and one on attest:media', () => {
    expect(listeners.get(FRAME_CHANNEL)?.size).toBe(1);
    expect(listeners.get(MEDIA_CHANNEL)?.size).toBe(1);
    expect(FRAME_CHANNEL).toBe('attest:frame');
    expect(CLOSED_CHANNEL).toBe('attest:closed');
    expect(MEDIA_CHANNEL).toBe('attest:media');
  });

  it('forwards media bytes from our window on the same connection as its text frames', () => {
    const bytes = new Uint8Array([0, 0, 0, 2, 123, 125, 1]);
    mediaFrom(win, bytes);
    expect(core.open).toHaveBeenCalledTimes(1);
    const conn = core.open.mock.calls[0]![0] as number;
    expect(core.media).toHaveBeenCalledWith(conn, bytes);
    sendFrom(win, REQ);
    expect(core.frame).toHaveBeenCalledWith(conn, REQ);
    mediaFrom(win, Buffer.from([1, 2]));
    expect(core.media).toHaveBeenCalledTimes(2);
    expect(core.open).toHaveBeenCalledTimes(1);
  });

  it('checks the sender of media frames like text frames: strangers, subframes, other pages get nothing', () => {
    const bytes = new Uint8Array([1]);
    const stranger = new FakeWebContents();
    mediaFrom(stranger, bytes);
    mediaFrom(win, bytes, win.subframe('app://attest/index.html'));
    mediaFrom(win, bytes, null);
    win.mainFrame.url = 'https://evil.example/';
    mediaFrom(win, bytes);
    expect(core.media).not.toHaveBeenCalled();
    expect(core.open).not.toHaveBeenCalled();
    expect(stranger.send).not.toHaveBeenCalled();
    expect(win.send).not.toHaveBeenCalled();
  });

  it.each([['text'], [[1, 2, 3]], [{ 0: 1, length: 1 }], [null], [new ArrayBuffer(4)]])(
    'rejects a media frame that is not a Uint8Array (%j) with BAD_FRAME',
    (payload) => {
      mediaFrom(win, payload);
      expect(core.media).not.toHaveBeenCalled();
      expect(errorReply(win)?.code).toBe('BAD_FRAME');
    },
  );

  it('rejects a media frame over MAX_MEDIA_FRAME_BYTES with FRAME_TOO_LARGE, accepts one at it', () => {
    mediaFrom(win, new Uint8Array(MAX_MEDIA_FRAME_BYTES + 1));
    expect(core.media).not.toHaveBeenCalled();
    expect(errorReply(win)?.code).toBe('FRAME_TOO_LARGE');
    mediaFrom(win, new Uint8Array(MAX_MEDIA_FRAME_BYTES));
    expect(core.media).toHaveBeenCalledTimes(1);
  });

  it('forwards a good frame from our window, opening its connection first', () => {
    sendFrom(win, REQ);
    expect(core.open).toHaveBeenCalledTimes(1);
    const conn = core.open.mock.calls[0]![0] as number;
    expect(core.frame).toHaveBeenCalledWith(conn, REQ);
    sendFrom(win, REQ);
    expect(core.open).toHaveBeenCalledTimes(1);
    expect(core.frame).toHaveBeenCalledTimes(2);
    expect(core.frame.mock.calls[1]![0]).toBe(conn);
  });

  it('drops frames from a webContents that is not one of our windows, without a reply', () => {
    const stranger = new FakeWebContents();
    sendFrom(stranger, REQ);
    expect(core.frame).not.toHaveBeenCalled();
    expect(core.open).not.toHaveBeenCalled();
    expect(stranger.send).not.toHaveBeenCalled();
  });

  it('drops a frame whose sender merely has the same id as one of ours', () => {
    const impostor = Object.assign(new FakeWebContents(), {});
    Object.defineProperty(impostor, 'id', { value: win.id });
    sendFrom(impostor, REQ);
    expect(core.frame).not.toHaveBeenCalled();
  });

  it('drops frames from a subframe of our window', () => {
    sendFrom(win, REQ, win.subframe('app://attest/index.html'));
    expect(core.frame).not.toHaveBeenCalled();
    expect(win.send).not.toHaveBeenCalled();
  });

  it('drops frames when the sending frame is gone (senderFrame null)', () => {
    sendFrom(win, REQ, null);
    expect(core.frame).not.toHaveBeenCalled();
  });

  it.each(['https://evil.example/', 'file:///tmp/x.html', 'app://other/index.html', 'about:blank'])(
    'drops frames from our window once it shows %s',
    (url) => {
      win.mainFrame.url = url;
      sendFrom(win, REQ);
      expect(core.frame).not.toHaveBeenCalled();
      expect(win.send).not.toHaveBeenCalled();
    },
  );

  it.each([[{ t: 'req' }], [42], [null], [undefined], [new Uint8Array([1, 2])]])(
    'rejects a non-string frame %j with BAD_FRAME and does not forward it',
    (payload) => {
      sendFrom(win, payload);
      expect(core.frame).not.toHaveBeenCalled();
      expect(core.open).not.toHaveBeenCalled();
      expect(errorReply(win)?.code).toBe('BAD_FRAME');
    },
  );

  it('rejects a frame over MAX_FRAME_BYTES with FRAME_TOO_LARGE', () => {
    sendFrom(win, 'x'.repeat(MAX_FRAME_BYTES + 1));
    expect(core.frame).not.toHaveBeenCalled();
    expect(errorReply(win)?.code).toBe('FRAME_TOO_LARGE');
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    // 400 000 CJK characters are 1 200 000 bytes of UTF-8: over the limit.
    const chinese = '询'.repeat(400_000);
    expect(chinese.length).toBeLessThan(MAX_FRAME_BYTES);
    sendFrom(win, chinese);
    expect(core.frame).not.toHaveBeenCalled();
    expect(errorReply(win)?.code).toBe('FRAME_TOO_LARGE');
  });

  it('accepts a frame of exactly MAX_FRAME_BYTES', () => {
    sendFrom(win, 'x'.repeat(MAX_FRAME_BYTES));
    expect(core.frame).toHaveBeenCalledTimes(1);
  });

  it('routes replies back to the window that owns the connection', () => {
    const other = new FakeWebContents();
    ipc.attach(other as never);
    sendFrom(win, REQ);
    sendFrom(other, REQ);
    const [connA, connB] = core.open.mock.calls.map((c) => c[0] as number);
    expect(connA).not.toBe(connB);

    ipc.deliver(connB!, 'for-b');
    ipc.deliver(connA!, 'for-a');
    expect(win.sent(FRAME_CHANNEL)).toEqual(['for-a']);
    expect(other.sent(FRAME_CHANNEL)).toEqual(['for-b']);

    ipc.deliver(9999, 'nobody');
    expect(win.sent(FRAME_CHANNEL)).toEqual(['for-a']);
  });

  it('closes the connection when the window is destroyed, and forgets the window', () => {
    sendFrom(win, REQ);
    const conn = core.open.mock.calls[0]![0] as number;
    win.destroy();
    expect(core.close).toHaveBeenCalledWith(conn);
    ipc.deliver(conn, 'late');
    expect(win.sent(FRAME_CHANNEL)).toEqual([]);
    sendFrom(win, REQ);
    expect(core.frame).toHaveBeenCalledTimes(1);
  });

  it('gives a reloaded page a fresh connection', () => {
    sendFrom(win, REQ);
    const first = core.open.mock.calls[0]![0] as number;
    win.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    expect(core.close).not.toHaveBeenCalled();
    win.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(core.close).toHaveBeenCalledWith(first);
    sendFrom(win, REQ);
    const second = core.open.mock.calls[1]![0] as number;
    expect(second).not.toBe(first);
  });

  it('closes the connection when the renderer process dies', () => {
    sendFrom(win, REQ);
    win.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(core.close).toHaveBeenCalledTimes(1);
  });

  it('tells each connected window why when the core is lost, without closing on the core', () => {
    const idle = new FakeWebContents();
    ipc.attach(idle as never);
    sendFrom(win, REQ);
    ipc.closeAll('core restarted');
    expect(win.sent(CLOSED_CHANNEL)).toEqual(['core restarted']);
    expect(idle.sent(CLOSED_CHANNEL)).toEqual([]);
    expect(core.close).not.toHaveBeenCalled();
    // The next frame opens a new connection on the new core.
    sendFrom(win, REQ);
    expect(core.open).toHaveBeenCalledTimes(2);
  });

  it('stops listening when disposed', () => {
    sendFrom(win, REQ);
    ipc.dispose();
    expect(listeners.get(FRAME_CHANNEL)?.size ?? 0).toBe(0);
    expect(listeners.get(MEDIA_CHANNEL)?.size ?? 0).toBe(0);
    expect(core.close).toHaveBeenCalledTimes(1);
  });
});

describe('the IPC entry with a dev server origin', () => {
  it('accepts frames from the trusted dev origin only when configured', () => {
    const core = { open: vi.fn(), frame: vi.fn(), media: vi.fn(), close: vi.fn() };
    const ipc = createFrameIpc({
      core,
      trusted: ['app://attest', 'http://localhost:5173'],
      log: vi.fn(),
    });
    const win = new FakeWebContents('http://localhost:5173/');
    ipc.attach(win as never);
    sendFrom(win, REQ);
    expect(core.frame).toHaveBeenCalledTimes(1);
    ipc.dispose();
  });
});

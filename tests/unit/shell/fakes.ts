/**
 * Small stand-ins for Electron objects, for the shell's unit tests (Electron never runs
 * here). They implement only what electron/main uses, with real EventEmitter semantics.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { Mock } from 'vitest';

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextId = 100;

/** A webContents with a main frame at `url`; `send` records what main sends to the page. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  destroyed = false;
  readonly send = vi.fn<(channel: string, ...args: unknown[]) => void>();
  /** What main installed with setWindowOpenHandler (a plain field: vitest clears mock calls). */
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  constructor(url = 'app://attest/index.html') {
    super();
    this.mainFrame = { url, parent: null };
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  subframe(url: string): FakeFrame {
    return { url, parent: this.mainFrame };
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Frames main sent on `channel`, in order. */
  sent(channel: string): unknown[] {
    return this.send.mock.calls.filter((c) => c[0] === channel).map((c) => c[1]);
  }
}

/** An event as Electron passes it to a navigation handler. */
export function navigationEvent(
  url: string,
  extra: Record<string, unknown> = {},
): { url: string; preventDefault: Mock<() => void> } {
  return { url, preventDefault: vi.fn<() => void>(), ...extra };
}

import type { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeWebContents, navigationEvent } from './fakes';

/** Everything the mocked `electron` module records. */
const m = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    quit: (): void => undefined,
    sandboxed: 0,
    enableSandbox(): void {
      this.sandboxed++;
    },
    setPath: (_name: string, _value: string): void => undefined,
    getPath: (name: string) => `/home/u/.config/Attest#${name}`,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
  });
  return {
    app,
    schemes: [] as unknown[],
    handlers: new Map<string, (request: { url: string; method: string }) => Promise<Response>>(),
    windows: [] as Array<{
      options: Record<string, unknown>;
      loaded: string[];
      shown: number;
      webContents: unknown;
      instance: InstanceType<typeof Emitter>;
    }>,
    session: {
      permissionRequest: null as null | ((...args: unknown[]) => void),
      permissionCheck: null as null | ((...args: unknown[]) => boolean),
      device: null as null | ((details: unknown) => boolean),
      beforeRequest: null as null | ((details: { url: string }, cb: (r: unknown) => void) => void),
      events: new Emitter(),
    },
    menus: [] as unknown[],
    forks: [] as Array<{
      path: string;
      options: { serviceName: string; env: Record<string, string> };
    }>,
    children: [] as Array<{ posted: unknown[] }>,
    ipcChannels: [] as string[],
  };
});

vi.mock('electron', async () => {
  const { FakeWebContents: Contents } = await import('./fakes');
  const { EventEmitter: Emitter } = await import('node:events');
  class BrowserWindow extends Emitter {
    static getAllWindows = () => m.windows;
    readonly webContents: InstanceType<typeof Contents>;
    readonly record: (typeof m.windows)[number];
    constructor(options: Record<string, unknown>) {
      super();
      this.webContents = new Contents('about:blank');
      // Electron emits web-contents-created while constructing the window.
      m.app.emit('web-contents-created', {}, this.webContents);
      this.record = {
        options,
        loaded: [],
        shown: 0,
        webContents: this.webContents,
        instance: this,
      };
      m.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    show() {
      this.record.shown++;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }
  const sessionEvents = m.session.events;
  return {
    app: m.app,
    BrowserWindow,
    Menu: {
      setApplicationMenu: (menu: unknown) => m.menus.push(menu),
      buildFromTemplate: (template: unknown) => ({ template }),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => m.schemes.push(...schemes),
      handle: (
        scheme: string,
        handler: (r: { url: string; method: string }) => Promise<Response>,
      ) => m.handlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: (...args: unknown[]) => void) =>
          (m.session.permissionRequest = h),
        setPermissionCheckHandler: (h: (...args: unknown[]) => boolean) =>
          (m.session.permissionCheck = h),
        setDevicePermissionHandler: (h: (d: unknown) => boolean) => (m.session.device = h),
        webRequest: {
          onBeforeRequest: (h: (d: { url: string }, cb: (r: unknown) => void) => void) =>
            (m.session.beforeRequest = h),
        },
        on: (event: string, listener: (...args: unknown[]) => void) =>
          sessionEvents.on(event, listener),
      },
    },
    ipcMain: { on: (channel: string) => m.ipcChannels.push(channel), off: () => undefined },
    // A keyring that works (libsecret): what it protects is not the plain text.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
      decryptString: (b: Buffer) => {
        const t = b.toString();
        if (!t.startsWith('sealed:')) throw new Error('not sealed by this keyring');
        return Buffer.from(t.slice(7), 'hex').toString();
      },
    },
    screen: {
      getAllDisplays: () => [
        { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
        { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 800 } },
      ],
      getPrimaryDisplay: () => ({ id: 1 }),
    },
    utilityProcess: {
      fork: (
        path: string,
        _args: string[],
        options: { serviceName: string; env: Record<string, string> },
      ) => {
        m.forks.push({ path, options });
        const child = Object.assign(new Emitter(), {
          posted: [] as unknown[],
          postMessage(message: unknown) {
            this.posted.push(message);
          },
          kill: () => true,
        });
        m.children.push(child);
        return child;
      },
    },
  };
});

const quit = vi.spyOn(m.app, 'quit');
const main = await import('../../../electron/main/index');
// Let whenReady() settle.
await new Promise((r) => setTimeout(r, 0));

const win = () => m.windows[0]!;
const contents = () => win().webContents as FakeWebContents;

describe('main process wiring', () => {
  it('registers app:// as a standard, secure, fetch-capable scheme before ready', () => {
    expect(m.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(m.app.sandboxed).toBe(1);
    expect(m.handlers.has('app')).toBe(true);
  });

  it('opens one sandboxed, context-isolated window on app://attest', () => {
    expect(m.windows).toHaveLength(1);
    const options = win().options;
    expect(options).toMatchObject({
      width: 1440,
      height: 900,
      minWidth: 1024,
      minHeight: 700,
      title: 'Attest 执法记录工作站',
      show: false,
    });
    expect(options['backgroundColor']).toEqual(expect.any(String));
    expect(options['webPreferences']).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: false,
    });
    const prefs = options['webPreferences'] as { preload: string };
    expect(prefs.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(win().loaded).toEqual(['app://attest/index.html']);
  });

  it('shows the window only when it is ready to show, and keeps its title', () => {
    expect(win().shown).toBe(0);
    win().instance.emit('ready-to-show');
    expect(win().shown).toBe(1);
    const titled = navigationEvent('');
    win().instance.emit('page-title-updated', titled, 'Other title');
    expect(titled.preventDefault).toHaveBeenCalled();
  });

  it('has no menu bar on Linux and Windows', () => {
    if (process.platform !== 'darwin') expect(m.menus).toEqual([null]);
  });

  it('starts the core in a utilityProcess with the userData directory', () => {
    expect(m.forks).toHaveLength(1);
    expect(m.forks[0]!.path).toMatch(/core\.js$/);
    expect(m.forks[0]!.options.serviceName).toBe('Attest core');
    expect(m.forks[0]!.options.env['ATTEST_DATA_DIR']).toBe('/home/u/.config/Attest#userData');
    // The one sender-checked entry: JSON text frames and binary media frames.
    expect(m.ipcChannels).toEqual(['attest:frame', 'attest:media']);
  });

  it('offers the core the OS keystore: named at start, answering its requests by id', () => {
    const expected =
      process.platform === 'win32'
        ? 'dpapi'
        : process.platform === 'darwin'
          ? 'keychain'
          : 'gnome_libsecret';
    expect(m.forks[0]!.options.env['ATTEST_KEYSTORE']).toBe(expected);
    const child = m.children[0]! as unknown as {
      posted: unknown[];
      emit: (...a: unknown[]) => void;
    };
    const secret = new Uint8Array(Buffer.from('sftp 口令'));
    child.emit('message', { type: 'keystore', id: 7, op: 'protect', data: secret });
    const sealed = child.posted.at(-1) as { id: number; ok: boolean; data: Uint8Array };
    expect(sealed).toMatchObject({ type: 'keystore-reply', id: 7, ok: true });
    expect(Buffer.from(sealed.data).includes(Buffer.from('sftp'))).toBe(false);
    child.emit('message', { type: 'keystore', id: 8, op: 'unprotect', data: sealed.data });
    const opened = child.posted.at(-1) as { id: number; ok: boolean; data: Uint8Array };
    expect(opened).toMatchObject({ type: 'keystore-reply', id: 8, ok: true });
    expect(Buffer.from(opened.data).toString()).toBe('sftp 口令');
    // Bytes it did not protect are refused with a reason, not thrown.
    child.emit('message', { type: 'keystore', id: 9, op: 'unprotect', data: secret });
    expect(child.posted.at(-1)).toMatchObject({ type: 'keystore-reply', id: 9, ok: false });
  });

  it('blocks navigation and redirects away from the app, and allows our own pages', () => {
    contents().mainFrame.url = 'app://attest/index.html';
    for (const kind of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navigationEvent('https://evil.example/');
      contents().emit(kind, away);
      expect(away.preventDefault, kind).toHaveBeenCalled();
      const file = navigationEvent('file:///etc/passwd');
      contents().emit(kind, file);
      expect(file.preventDefault, kind).toHaveBeenCalled();
      const home = navigationEvent('app://attest/index.html#/cases');
      contents().emit(kind, home);
      expect(home.preventDefault, kind).not.toHaveBeenCalled();
    }
  });

  it('prevents webviews and denies window.open', () => {
    const attach = navigationEvent('');
    contents().emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    const handler = contents().windowOpenHandler!;
    expect(handler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://attest/index.html' })).toEqual({ action: 'deny' });
  });

  it('opens the party signing page itself, sandboxed, full screen on the pen display', () => {
    const before = m.windows.length;
    const handler = contents().windowOpenHandler!;
    const url = `app://attest/index.html#/sign/7/${'b'.repeat(43)}`;
    expect(handler({ url })).toEqual({ action: 'deny' });
    expect(m.windows.length).toBe(before + 1);
    const win = m.windows.at(-1)!;
    expect(win.loaded).toEqual([url]);
    expect(win.options).toMatchObject({
      x: 1920,
      y: 0,
      width: 1280,
      height: 800,
      fullscreen: true,
    });
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    // Any other page still gets no window.
    expect(handler({ url: 'app://attest/index.html#/cases' })).toEqual({ action: 'deny' });
    expect(m.windows.length).toBe(before + 1);
  });

  it('installs a permission request handler that grants media to the app only', () => {
    const request = m.session.permissionRequest!;
    expect(request).toBeTypeOf('function');
    const ask = (pageUrl: string, permission: string, details: Record<string, unknown>) => {
      const cb = vi.fn();
      request(new FakeWebContents(pageUrl), permission, cb, { isMainFrame: true, ...details });
      return cb.mock.calls[0]![0] as boolean;
    };
    const app = 'app://attest/index.html';
    expect(ask(app, 'media', { requestingUrl: app, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(ask(app, 'display-capture', { requestingUrl: app })).toBe(false);
    expect(ask(app, 'notifications', { requestingUrl: app })).toBe(false);
    expect(ask('https://evil.example/', 'media', { requestingUrl: 'https://evil.example/' })).toBe(
      false,
    );
    expect(ask('file:///x.html', 'media', { requestingUrl: 'file:///x.html' })).toBe(false);
  });

  it('installs permission check and device handlers that deny everything else', () => {
    const check = m.session.permissionCheck!;
    expect(check(null, 'media', 'app://attest', { isMainFrame: true, mediaType: 'video' })).toBe(
      true,
    );
    expect(check(null, 'media', 'null', { isMainFrame: true })).toBe(false);
    expect(check(null, 'geolocation', 'app://attest', { isMainFrame: true })).toBe(false);
    expect(m.session.device!({ deviceType: 'usb', origin: 'app://attest' })).toBe(false);
  });

  it('cancels every request for remote content', () => {
    const decide = (url: string) => {
      let response: unknown;
      m.session.beforeRequest!({ url }, (r) => (response = r));
      return response;
    };
    expect(decide('https://fonts.googleapis.com/css')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('app://attest/assets/index.js')).toEqual({ cancel: false });
  });

  it('prevents downloads', () => {
    const event = navigationEvent('');
    m.session.events.emit('will-download', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('quits when every window is closed (except on macOS)', () => {
    quit.mockClear();
    m.app.emit('window-all-closed');
    expect(quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });

  it('asks the core to shut down before quitting, then quits', async () => {
    quit.mockClear();
    const event = navigationEvent('');
    m.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    const child = m.children[0] as unknown as EventEmitter & { posted: unknown[] };
    expect(child.posted).toContainEqual({ type: 'shutdown' });
    child.emit('exit', 0);
    await new Promise((r) => setTimeout(r, 0));
    expect(quit).toHaveBeenCalledTimes(1);
    const again = navigationEvent('');
    m.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});

describe('serving app://', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'attest-renderer-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Attest</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, '..', `${root.split(/[/\\]/).pop()}-secret.txt`), 'secret');
  });
  afterAll(() => {
    rmSync(join(root, '..', `${root.split(/[/\\]/).pop()}-secret.txt`), { force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the build with its content type and the CSP', async () => {
    const res = await main.serveAppRequest({ url: 'app://attest/', method: 'GET' }, root);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Attest</title>');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const js = await main.serveAppRequest(
      { url: 'app://attest/assets/app.js', method: 'GET' },
      root,
    );
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers traversal, unknown hosts and missing files with 404, still with the CSP', async () => {
    const name = `${root.split(/[/\\]/).pop()}-secret.txt`;
    for (const url of [
      `app://attest/../${name}`,
      `app://attest/%2e%2e/${name}`,
      'app://other/index.html',
      'app://attest/missing.js',
    ]) {
      const res = await main.serveAppRequest({ url, method: 'GET' }, root);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('secret');
      expect(res.headers.get('content-security-policy')).toBeTruthy();
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await main.serveAppRequest({ url: 'app://attest/', method: 'POST' }, root);
    expect(res.status).toBe(405);
  });

  it('is what protocol.handle got', async () => {
    const res = await m.handlers.get('app')!({ url: 'app://other/', method: 'GET' });
    expect(res.status).toBe(404);
  });
});

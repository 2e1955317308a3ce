/**
 * The Electron main process: app lifecycle, the window, and the binding of the security
 * decisions of ./security.ts to Electron's hooks. It stays thin on purpose: no domain logic
 * lives here. The core runs in a utilityProcess (./core-process.ts); frames between it and
 * the window go through the one sender-checked IPC entry (./ipc.ts).
 */
import { app, BrowserWindow, Menu, protocol, safeStorage, screen, session } from 'electron';
import type { Session, WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCoreProcess } from './core-process';
import { answerKeystore, keystoreBackend } from './keystore';
import type { CoreProcess } from './core-process';
import { createFrameIpc } from './ipc';
import type { FrameIpc } from './ipc';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  appResponseHeaders,
  devServerOrigin,
  devicePermissionDecision,
  isAppUrl,
  mimeTypeFor,
  permissionDecision,
  resolveAppPath,
  shouldAllowNavigation,
  shouldAllowRequest,
  signingDisplay,
  signingPageUrl,
  webPreferencesFor,
  windowOpenDecision,
  type DisplayLike,
} from './security';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the build puts everything, relative to out/main/index.js. */
export const paths = {
  renderer: join(here, '..', 'renderer'),
  preload: join(here, '..', 'preload', 'index.cjs'),
  core: join(here, 'core.js'),
} as const;

export const WINDOW_TITLE = 'Attest 执法记录工作站';

const log = (line: string) => console.log(`[attest] ${line}`);

/**
 * Serves one `app://attest/...` request from the renderer build. Every response, errors
 * included, carries the CSP. Only GET and HEAD: the renderer never posts to its own origin.
 */
export async function serveAppRequest(
  request: { url: string; method: string },
  rendererRoot: string = paths.renderer,
): Promise<Response> {
  const plain = (status: number, text: string) =>
    new Response(text, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return plain(405, 'method not allowed');
  const file = resolveAppPath(rendererRoot, request.url);
  if (file === null) return plain(404, 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return plain(404, 'not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: appResponseHeaders(mimeTypeFor(file)),
  });
}

/**
 * Hardens every webContents the app creates (windows, and anything a page might try to
 * create): navigation and redirects only within our origins, no new windows, no webviews.
 */
export function hardenWebContents(contents: WebContents, trusted: readonly string[]): void {
  const guard = (event: { url: string; preventDefault(): void }, kind: string) => {
    if (shouldAllowNavigation(contents.getURL(), event.url, trusted)) return;
    event.preventDefault();
    log(`blocked ${kind} to ${event.url.slice(0, 120)}`);
  };
  contents.on('will-navigate', (event) => guard(event, 'navigation'));
  contents.on('will-frame-navigate', (event) => guard(event, 'frame navigation'));
  contents.on('will-redirect', (event) => guard(event, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const signing = signingPageUrl(url, trusted);
    if (signing && openSigningPage) openSigningPage(signing);
    else log(`blocked window.open of ${url.slice(0, 120)}`);
    // The page never gets a window of its own making; the shell opens the signing page itself.
    return windowOpenDecision(url);
  });
}

/**
 * Binds the permission, device and request policy to a session. Permissions are answered,
 * never prompted: `media` for our own origin's main frame, nothing for anyone else.
 */
export function installSessionPolicy(ses: Session, trusted: readonly string[]): void {
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const granted =
      isAppUrl(contents.getURL(), trusted) &&
      permissionDecision(permission, details.requestingUrl, details, trusted);
    if (!granted) log(`denied permission ${permission} to ${details.requestingUrl.slice(0, 120)}`);
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(permission, requestingOrigin, details, trusted),
  );
  ses.setDevicePermissionHandler((details) =>
    devicePermissionDecision(details.deviceType, details.origin),
  );
  // No remote content: anything that is not our own origin (or data:/blob:) never loads.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = shouldAllowRequest(details.url, trusted);
    if (!allowed) log(`blocked request to ${details.url.slice(0, 120)}`);
    callback({ cancel: !allowed });
  });
  // Evidence files are written by the core, never downloaded by the renderer.
  ses.on('will-download', (event) => event.preventDefault());
}

/** Opens the party's signing page; set once the app is ready (the displays are known then). */
let openSigningPage: ((url: string) => void) | null = null;

/**
 * The signing window: the party's page alone, full screen on the pen display, with the same
 * sandbox and preload as the main window and its own connection to the core.
 */
export function createSigningWindow(
  ipc: FrameIpc,
  url: string,
  display: DisplayLike | undefined,
  devTools: boolean,
): BrowserWindow {
  const win = new BrowserWindow({
    ...(display ? { ...display.bounds } : { width: 1280, height: 800 }),
    title: WINDOW_TITLE,
    backgroundColor: '#ffffff',
    show: false,
    fullscreen: Boolean(display),
    autoHideMenuBar: true,
    webPreferences: webPreferencesFor({ preload: paths.preload, devTools }),
  });
  ipc.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('page-title-updated', (event) => event.preventDefault());
  void win
    .loadURL(url)
    .catch((error: unknown) => log(`could not load the signing page: ${String(error)}`));
  return win;
}

/** Creates the main window; it shows itself once the first paint is ready. */
export function createMainWindow(ipc: FrameIpc, url: string, devTools: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: WINDOW_TITLE,
    backgroundColor: '#f4f5f7',
    show: false,
    autoHideMenuBar: true,
    webPreferences: webPreferencesFor({ preload: paths.preload, devTools }),
  });
  ipc.attach(win.webContents);
  win.once('ready-to-show', () => win.show());
  // The window keeps the product title whatever the page's <title> says.
  win.on('page-title-updated', (event) => event.preventDefault());
  void win.loadURL(url).catch((error: unknown) => log(`could not load ${url}: ${String(error)}`));
  return win;
}

/** The minimum menu: none on Windows and Linux; on macOS the app, edit and window menus. */
function installMenu(): void {
  if (process.platform !== 'darwin') {
    Menu.setApplicationMenu(null);
    return;
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]),
  );
}

// --- Before `ready`: these must run at load time. ---

// A standard, secure scheme gets a real origin (so 'self', storage and getUserMedia work)
// without file://'s access to the whole disk.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
// Every renderer sandboxed, whatever a webPreferences object might say.
app.enableSandbox();
// An e2e run (or an operator) can point the app at another data directory.
if (process.env.ATTEST_DATA_DIR) app.setPath('userData', process.env.ATTEST_DATA_DIR);

const devOrigin = devServerOrigin(process.env, app.isPackaged);
const trusted: readonly string[] = devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];

let mainWindow: BrowserWindow | null = null;
let core: CoreProcess | null = null;
let coreStopped = false;

// Two instances would share one case store and one set of cameras: keep one.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, trusted));
  void app.whenReady().then(onReady);
}

function onReady(): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request));
  installSessionPolicy(session.defaultSession, trusted);
  installMenu();

  const ipc = createFrameIpc({
    trusted,
    core: {
      open: (conn) => core?.open(conn),
      frame: (conn, text) => core?.frame(conn, text),
      media: (conn, bytes) => core?.media(conn, bytes),
      close: (conn) => core?.close(conn),
    },
    log,
  });
  // Secrets at rest (storage passwords, the workstation's key) go to the OS keystore.
  const keystore = keystoreBackend(safeStorage);
  log(
    `keystore: ${keystore ?? 'none (secrets need the administrator’s consent to plain storage)'}`,
  );
  core = createCoreProcess({
    modulePath: paths.core,
    dataDir: app.getPath('userData'),
    onFrame: (conn, text) => ipc.deliver(conn, text),
    onLost: (reason) => ipc.closeAll(reason),
    ...(keystore
      ? {
          env: { ...process.env, ATTEST_KEYSTORE: keystore },
          onKeystore: (request) => answerKeystore(safeStorage, request),
        }
      : {}),
    log,
  });
  core.start();

  let signingWindow: BrowserWindow | null = null;
  openSigningPage = (url) => {
    if (signingWindow && !signingWindow.isDestroyed()) {
      void signingWindow.loadURL(url);
      signingWindow.focus();
      return;
    }
    const display = signingDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    signingWindow = createSigningWindow(ipc, url, display, !app.isPackaged);
    signingWindow.on('closed', () => (signingWindow = null));
  };

  const openWindow = () => {
    const url = devOrigin ? (process.env.ELECTRON_RENDERER_URL ?? APP_ENTRY_URL) : APP_ENTRY_URL;
    mainWindow = createMainWindow(ipc, url, !app.isPackaged);
    mainWindow.on('closed', () => (mainWindow = null));
  };
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

app.on('window-all-closed', () => {
  // macOS apps stay alive without windows until the user quits them.
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', (event) => {
  if (coreStopped || !core) return;
  // Let the core close its store (and finish the write it is in) before the process goes.
  event.preventDefault();
  void core.stop().finally(() => {
    coreStopped = true;
    app.quit();
  });
});

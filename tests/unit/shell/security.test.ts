import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  devServerOrigin,
  devicePermissionDecision,
  isAppUrl,
  mimeTypeFor,
  originOf,
  permissionDecision,
  resolveAppPath,
  shouldAllowNavigation,
  shouldAllowRequest,
  webPreferencesFor,
  windowOpenDecision,
} from '../../../electron/main/security';

const ROOT = resolve('/srv/attest/out/renderer');

describe('origins', () => {
  it('serves the renderer from app://attest', () => {
    expect(APP_ORIGIN).toBe('app://attest');
    expect(APP_ENTRY_URL).toBe('app://attest/index.html');
  });

  it('computes the origin of a custom-scheme URL by hand (URL.origin is "null" for it)', () => {
    expect(new URL('app://attest/x').origin).toBe('null');
    expect(originOf('app://attest/x?y#z')).toBe('app://attest');
    expect(originOf('APP://ATTEST/')).toBe('app://attest');
    expect(originOf('https://example.com:8443/a')).toBe('https://example.com:8443');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('null')).toBeNull();
    expect(originOf('')).toBeNull();
    expect(originOf('app://attest@evil.example/')).toBeNull();
  });

  it.each([
    ['app://attest/index.html', true],
    ['app://attest', true],
    ['app://attest/#/cases/3', true],
    ['app://evil/index.html', false],
    ['app://attest.evil/index.html', false],
    ['app://attest:8080/index.html', false],
    ['app://user@attest/index.html', false],
    ['https://attest/index.html', false],
    ['http://localhost:5173/', false],
    ['file:///work/main/out/renderer/index.html', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['about:blank', false],
    ['null', false],
    ['', false],
  ])('isAppUrl(%s) is %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('trusts a dev server origin only when the caller passes it', () => {
    expect(isAppUrl('http://localhost:5173/', [APP_ORIGIN, 'http://localhost:5173'])).toBe(true);
    expect(isAppUrl('http://localhost:5174/', [APP_ORIGIN, 'http://localhost:5173'])).toBe(false);
  });
});

describe('navigation and windows', () => {
  it('allows navigation only to our own origin', () => {
    expect(shouldAllowNavigation(APP_ENTRY_URL, 'app://attest/index.html#/cases')).toBe(true);
    expect(shouldAllowNavigation(APP_ENTRY_URL, 'https://example.com/')).toBe(false);
    expect(shouldAllowNavigation(APP_ENTRY_URL, 'file:///etc/passwd')).toBe(false);
    expect(shouldAllowNavigation(APP_ENTRY_URL, 'javascript:alert(1)')).toBe(false);
    expect(shouldAllowNavigation(APP_ENTRY_URL, 'app://other/index.html')).toBe(false);
  });

  it('does not let a foreign page navigate anywhere but back to us', () => {
    expect(shouldAllowNavigation('https://evil.example/', 'https://evil.example/2')).toBe(false);
    expect(shouldAllowNavigation('https://evil.example/', APP_ENTRY_URL)).toBe(true);
  });

  it('denies every window.open, even to our own origin', () => {
    for (const url of ['https://example.com', APP_ENTRY_URL, 'about:blank', 'mailto:a@b.c']) {
      expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
    }
  });
});

describe('permissions', () => {
  const appMain = { isMainFrame: true, requestingUrl: APP_ENTRY_URL };

  it('grants camera and microphone to our main frame', () => {
    expect(permissionDecision('media', APP_ORIGIN, { ...appMain, mediaTypes: ['video'] })).toBe(
      true,
    );
    expect(
      permissionDecision('media', APP_ENTRY_URL, { ...appMain, mediaTypes: ['video', 'audio'] }),
    ).toBe(true);
    // Permission *checks* report a single mediaType and the security origin.
    expect(
      permissionDecision('media', 'app://attest/', {
        isMainFrame: true,
        securityOrigin: 'app://attest/',
        mediaType: 'audio',
      }),
    ).toBe(true);
  });

  it.each(['https://example.com', 'file://', 'file:///index.html', 'null', '', 'app://evil'])(
    'denies media to %j',
    (origin) => {
      expect(permissionDecision('media', origin, { isMainFrame: true })).toBe(false);
    },
  );

  it('denies media to a subframe, an embedded frame, or a foreign requesting URL', () => {
    expect(permissionDecision('media', APP_ORIGIN, { ...appMain, isMainFrame: false })).toBe(false);
    expect(
      permissionDecision('media', APP_ORIGIN, { ...appMain, embeddingOrigin: 'app://attest' }),
    ).toBe(false);
    expect(
      permissionDecision('media', APP_ORIGIN, {
        isMainFrame: true,
        requestingUrl: 'https://evil.example/',
      }),
    ).toBe(false);
    expect(
      permissionDecision('media', APP_ORIGIN, { ...appMain, securityOrigin: 'https://evil' }),
    ).toBe(false);
  });

  it('denies media types other than camera and microphone', () => {
    expect(permissionDecision('media', APP_ORIGIN, { ...appMain, mediaTypes: ['screen'] })).toBe(
      false,
    );
    expect(permissionDecision('media', APP_ORIGIN, { ...appMain, mediaType: 'desktop' })).toBe(
      false,
    );
  });

  it.each([
    'display-capture',
    'notifications',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'unknown',
  ])('denies %s even to our own origin', (permission) => {
    expect(permissionDecision(permission, APP_ORIGIN, appMain)).toBe(false);
  });

  it('denies every HID, serial and USB device', () => {
    expect(devicePermissionDecision('usb', APP_ORIGIN)).toBe(false);
    expect(devicePermissionDecision('hid', APP_ORIGIN)).toBe(false);
    expect(devicePermissionDecision('serial', 'https://evil')).toBe(false);
  });
});

describe('requests', () => {
  it('allows our origin, data: and blob:, nothing remote', () => {
    expect(shouldAllowRequest('app://attest/assets/index.js')).toBe(true);
    expect(shouldAllowRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(shouldAllowRequest('blob:app://attest/1234')).toBe(true);
    expect(shouldAllowRequest('https://cdn.example.com/react.js')).toBe(false);
    expect(shouldAllowRequest('http://127.0.0.1:8080/rpc')).toBe(false);
    expect(shouldAllowRequest('ws://127.0.0.1:8080/rpc')).toBe(false);
    expect(shouldAllowRequest('file:///etc/passwd')).toBe(false);
    expect(shouldAllowRequest('not a url')).toBe(false);
  });

  it('allows the dev server and its HMR socket only when trusted and on loopback', () => {
    const trusted = [APP_ORIGIN, 'http://localhost:5173'];
    expect(shouldAllowRequest('http://localhost:5173/src/main.tsx', trusted)).toBe(true);
    expect(shouldAllowRequest('ws://localhost:5173/', trusted)).toBe(true);
    expect(shouldAllowRequest('ws://localhost:5174/', trusted)).toBe(false);
    expect(shouldAllowRequest('http://localhost:5173/src/main.tsx')).toBe(false);
  });

  it('takes a dev server origin only from an unpackaged build on loopback', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devServerOrigin(env, false)).toBe('http://localhost:5173');
    expect(devServerOrigin(env, true)).toBeNull();
    expect(devServerOrigin({}, false)).toBeNull();
    expect(
      devServerOrigin({ ELECTRON_RENDERER_URL: 'http://evil.example:5173' }, false),
    ).toBeNull();
    expect(devServerOrigin({ ELECTRON_RENDERER_URL: 'https://localhost:5173' }, false)).toBeNull();
    expect(devServerOrigin({ ELECTRON_RENDERER_URL: 'garbage' }, false)).toBeNull();
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('has the required directives', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
  });

  it('allows no remote source, no inline script, no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|\*/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    for (const [name, values] of directives) {
      for (const value of values) {
        expect(
          ["'self'", "'none'", 'data:', 'blob:', 'mediastream:'],
          `${name} ${value}`,
        ).toContain(value);
      }
    }
  });

  it('is sent with every response, with nosniff', () => {
    const headers = appResponseHeaders('text/html; charset=utf-8');
    expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('types the files of a Vite build', () => {
    expect(mimeTypeFor('/a/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('/a/assets/index-abc.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('/a/assets/x.css')).toMatch(/^text\/css/);
    expect(mimeTypeFor('/a/fonts/NotoSansSC.otf')).toBe('font/otf');
    expect(mimeTypeFor('/a/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('resolveAppPath', () => {
  it('maps app://attest/... into the renderer build', () => {
    expect(resolveAppPath(ROOT, 'app://attest/index.html')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://attest/assets/index-abc.js')).toBe(
      join(ROOT, 'assets', 'index-abc.js'),
    );
    expect(resolveAppPath(ROOT, 'app://attest/assets/a%20b.png?v=1#x')).toBe(
      join(ROOT, 'assets', 'a b.png'),
    );
    expect(resolveAppPath(ROOT, 'app://attest/fonts/%E5%AE%8B%E4%BD%93.otf')).toBe(
      join(ROOT, 'fonts', '宋体.otf'),
    );
  });

  it('serves index.html for the root', () => {
    expect(resolveAppPath(ROOT, 'app://attest/')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://attest/?x=1')).toBe(join(ROOT, 'index.html'));
  });

  it.each([
    'app://attest/../../../etc/passwd',
    'app://attest/assets/../../secret',
    'app://attest/..',
    'app://attest/./index.html',
    'app://attest/%2e%2e/%2e%2e/etc/passwd',
    'app://attest/%2E%2E/secret',
    'app://attest/.%2e/secret',
    'app://attest/assets/%2e%2e%2f%2e%2e%2fsecret',
    'app://attest/..%2f..%2fetc%2fpasswd',
    'app://attest/..%5c..%5cwindows%5cwin.ini',
    'app://attest/assets\\..\\..\\secret',
    'app://attest/%252e%252e/secret',
    'app://attest/%2fetc%2fpasswd',
    'app://attest//etc/passwd/..',
    'app://attest/C:%5cWindows%5cwin.ini',
    'app://attest/C:/Windows/win.ini',
    'app://attest/index.html%00.png',
    'app://attest/.env',
    'app://attest/%E0%A4%A',
  ])('refuses traversal or odd path %s', (url) => {
    expect(resolveAppPath(ROOT, url)).toBeNull();
  });

  it.each([
    'app://evil/index.html',
    'app://attest.evil/index.html',
    'app://attest:99/index.html',
    'app://x@attest/index.html',
    'https://attest/index.html',
    'file:///srv/attest/out/renderer/index.html',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    '',
  ])('refuses another scheme, host or form %s', (url) => {
    expect(resolveAppPath(ROOT, url)).toBeNull();
  });

  it('never returns a path outside the root', () => {
    const tricky = ['a/b/c.js', 'assets/x.js', 'deep/er/still.css', 'x y.png'];
    for (const path of tricky) {
      const file = resolveAppPath(ROOT, `app://attest/${path}`);
      expect(file).not.toBeNull();
      expect(file!.startsWith(ROOT + '/') || file!.startsWith(ROOT + '\\')).toBe(true);
    }
  });
});

describe('webPreferences', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = webPreferencesFor({ preload: '/app/out/preload/index.cjs', devTools: false });
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });
});

describe('the signing window', () => {
  const token = 'a'.repeat(43);
  it('recognises only our own party signing page', async () => {
    const { signingPageUrl } = await import('../../../electron/main/security');
    expect(signingPageUrl(`app://attest/index.html#/sign/12/${token}`)).toBe(
      `app://attest/index.html#/sign/12/${token}`,
    );
    expect(signingPageUrl(`https://evil.example/index.html#/sign/12/${token}`)).toBeNull();
    expect(signingPageUrl('app://attest/index.html#/cases')).toBeNull();
    expect(signingPageUrl('app://attest/index.html#/sign/12/short')).toBeNull();
    expect(signingPageUrl(`app://attest/index.html#/sign/12/${token}/../../cases`)).toBeNull();
    expect(signingPageUrl('not a url')).toBeNull();
  });

  it('puts the signing page on the display that is not the primary one', async () => {
    const { signingDisplay } = await import('../../../electron/main/security');
    const desk = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
    const pen = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 800 } };
    expect(signingDisplay([desk, pen], 1)).toBe(pen);
    expect(signingDisplay([desk], 1)).toBe(desk);
    expect(signingDisplay([], 1)).toBeUndefined();
  });
});

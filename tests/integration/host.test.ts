/** The web host's boundary: who may connect, what it serves, and how it stops. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { resolveStatic, startHost, type Host } from '../../electron/host/server';
import { fakeRendererDir, openSocket, socketClient } from '../helpers/transports';
import { MAX_MEDIA_FRAME_BYTES, encodeMediaFrame } from '../../electron/shared/media';
import { MAX_FRAME_BYTES } from '../../electron/shared/rpc';
import { tempCore } from '../helpers/core';

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function upgradeStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => resolve(-1));
  });
}

describe('web host', () => {
  let env: ReturnType<typeof tempCore>;
  let host: Host;

  beforeAll(async () => {
    env = tempCore();
    host = await startHost({
      core: env.core,
      port: 0,
      rendererDir: fakeRendererDir(),
      log: () => {},
    });
  });
  afterAll(async () => {
    await host.close();
    await env.dispose();
  });

  it('binds to 127.0.0.1 and serves the index with the token and a strict CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await get(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<meta name="attest-host-token" content="${host.token}">`);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses other Host headers (DNS rebinding) and paths outside the renderer', async () => {
    expect((await get(host.port, '/', { Host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await get(host.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(400);
    expect((await get(host.port, '/assets/missing.js')).status).toBe(404);
    expect(resolveStatic('/srv/r', '/../x')).toBeNull();
    expect(resolveStatic('/srv/r', '/a/..%2f..%2fx')).toBeNull();
    expect(resolveStatic('/srv/r', '/a\\..\\x')).toBeNull();
    expect(resolveStatic('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
  });

  it('opens the socket only with the token, from its own origin and host', async () => {
    expect(await upgradeStatus(openSocket(host, { token: 'f'.repeat(64) }))).toBe(401);
    expect(await upgradeStatus(openSocket(host, { token: '' }))).toBe(401);
    expect(await upgradeStatus(openSocket(host, { origin: 'http://evil.example' }))).toBe(403);
    expect(
      await upgradeStatus(openSocket(host, { hostHeader: `attacker.test:${host.port}` })),
    ).toBe(421);
    const ws = openSocket(host);
    const client = await socketClient(ws);
    expect((await client.invoke('app.info', {})).name).toBe('Attest');
    ws.close();
  });

  it('hands binary messages to the core as media frames: a malformed one is answered BAD_FRAME', async () => {
    const ws = openSocket(host);
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise<unknown>((r) =>
      ws.once('message', (d) => r(JSON.parse(d.toString()))),
    );
    ws.send(Buffer.from([1, 2, 3]));
    expect(await reply).toMatchObject({
      t: 'res',
      id: -1,
      ok: false,
      error: { code: 'BAD_FRAME', message: 'media frame too short' },
    });
    // A well-formed media frame from a connection that is not signed in: refused by the core.
    const refused = new Promise<unknown>((r) =>
      ws.once('message', (d) => r(JSON.parse(d.toString()))),
    );
    ws.send(encodeMediaFrame({ sourceId: 'cam1', segment: 1, offset: 0 }, new Uint8Array(10)));
    expect(await refused).toMatchObject({ id: -1, ok: false, error: { code: 'UNAUTHENTICATED' } });
    ws.close();
  });

  it('takes a media frame up to MAX_MEDIA_FRAME_BYTES; closes on a larger one (1009); holds JSON to MAX_FRAME_BYTES', async () => {
    const ws = openSocket(host);
    await new Promise((r) => ws.once('open', r));
    const next = () =>
      new Promise<unknown>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    const header = encodeMediaFrame({ sourceId: 'cam1', segment: 1, offset: 0 }, new Uint8Array(0));
    let reply = next();
    ws.send(
      encodeMediaFrame(
        { sourceId: 'cam1', segment: 1, offset: 0 },
        new Uint8Array(MAX_MEDIA_FRAME_BYTES - header.length),
      ),
    );
    expect(await reply).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    reply = next();
    ws.send(
      JSON.stringify({
        t: 'req',
        id: 3,
        method: 'app.info',
        input: { pad: 'x'.repeat(MAX_FRAME_BYTES) },
      }),
    );
    expect(await reply).toMatchObject({ id: -1, ok: false, error: { code: 'FRAME_TOO_LARGE' } });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(new Uint8Array(MAX_MEDIA_FRAME_BYTES + 1));
    expect(await closed).toBe(1009);
    // The host and the core carry on for others.
    const client = await socketClient(openSocket(host));
    expect((await client.invoke('app.info', {})).name).toBe('Attest');
  });
});

/**
 * The live room's pages on the LAN: HTTPS with the workstation's LAN certificate (the desk
 * shows its fingerprint with the address), the renderer served as the live pages, and a
 * socket that passes only their methods. An observer with a grant signs in over it and hears
 * the room through WebRTC; a remote participant joins over it with the invitation alone;
 * anything else of the app, another site's page and media frames are refused.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from '../../../electron/shared/client';
import type { LiveLanDto } from '../../../electron/shared/api/live';
import type { DemoSession } from '../../../electron/core/demo/session';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { forwardLive, h264Clip, opusTone } from '../../helpers/live-media';
import { LiveObserver, RemoteParticipant } from '../../helpers/live-peer';
import { refusal, until, viewingGrant } from '../../helpers/waiting';

const HOUR = 3_600_000;

describe('the live room on the LAN', () => {
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let lan: LiveLanDto;
  let feeding: ReturnType<typeof forwardLive>;
  const closers: (() => void)[] = [];

  const ca = () => readFileSync(join(env.dataDir, 'identity', 'lan-tls-cert.pem'), 'utf8');

  function get(path: string, headers: Record<string, string> = {}) {
    const url = new URL(path, lan.origin);
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          servername: url.hostname,
          port: url.port,
          path: url.pathname,
          ca: ca(),
          headers,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** A socket to the LAN pages' /rpc, as their page opens it (its own origin). */
  async function lanSocket(origin = lan.origin): Promise<{ ws: WebSocket; client: Client }> {
    const ws = new WebSocket(`${lan.origin.replace('https:', 'wss:')}/rpc`, {
      ca: ca(),
      headers: { origin },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = createClient({
      send: (text) => ws.send(text),
      sendBinary: (bytes) => ws.send(bytes),
      onMessage: (receive) => ws.on('message', (d: Buffer) => receive(d.toString())),
      onClose: (closed) => ws.on('close', (code) => closed(`code ${code}`)),
    });
    closers.push(() => ws.terminate());
    return { ws, client };
  }

  beforeAll(async () => {
    const dir = join(process.env.TMPDIR ?? '/tmp', `attest-lan-live-${process.pid}`);
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><head><title>Attest</title></head><body>renderer</body></html>',
    );
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")');
    env = sealEnv({
      start: Date.now(),
      lanLive: { rendererDir: dir, port: 0, bindHost: '127.0.0.1', advertiseHost: '127.0.0.1' },
    });
    const ready = await readySession(env, 2, undefined, { stopAfter: 'started' });
    ({ demo, desk } = ready);
    const status = await desk.invoke('live.open', {
      sessionId: demo.sessionId,
      sources: [{ sourceId: 'mic-1', kind: 'audio', label: '1号麦克风' }],
    });
    lan = status.lan!;
    feeding = forwardLive(desk, h264Clip(1), opusTone(1));
  }, 120_000);

  afterAll(async () => {
    feeding?.stop();
    for (const c of closers) c();
    await env?.dispose();
  });

  it('is served over HTTPS with the certificate whose fingerprint the desk shows', async () => {
    expect(lan.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(lan.watchUrl).toBe(`${lan.origin}/#/live/${demo.caseId}/${demo.sessionId}`);
    expect(lan.fingerprint).toBe(new X509Certificate(ca()).fingerprint256);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="attest-transport" content="lan-live">');
    expect((await get('/assets/app.js')).status).toBe(200);
    // Another name for this machine than the certificate's is a misdirected request.
    expect((await get('/', { host: `evil.example:${new URL(lan.origin).port}` })).status).toBe(421);
  });

  it('lets an observer with a grant sign in and watch; nothing else of the app passes', async () => {
    const clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await viewingGrant(clerk, leader, demo.caseId, demo.sessionId, env.now() + HOUR);

    const { client } = await lanSocket();
    await client.invoke('auth.signIn', demo.accounts.clerk);
    expect((await refusal(client.invoke('cases.list', {}))).code).toBe('FORBIDDEN');
    expect((await refusal(client.invoke('audit.list', { limit: 5 }))).code).toBe('FORBIDDEN');
    const observer = new LiveObserver(client);
    closers.push(() => observer.close());
    const w = await observer.join(demo.sessionId);
    const sound = observer.listen(await observer.consume(w.producers[0]!.producerId));
    await until('the room’s sound over the LAN', () => sound.samples >= 48_000);
    // The viewing is audited with the address it came from.
    const admin = env.connect();
    await admin.invoke('auth.signIn', demo.accounts.admin);
    const started = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 100 })
    ).find((e) => e.action === 'live.viewing_started');
    expect((started?.data as { address: string }).address).toBe('127.0.0.1');
  }, 60_000);

  it('lets a remote participant join with the invitation alone', async () => {
    const invite = await desk.invoke('live.invite', {
      sessionId: demo.sessionId,
      name: '王译员',
      role: 'interpreter',
    });
    expect(invite.lanUrl).toBe(`${lan.origin}/#/join/${invite.token}`);
    const { client } = await lanSocket();
    const remote = new RemoteParticipant(client);
    closers.push(() => remote.close());
    await remote.enter(invite.token);
    await remote.sendMedia(660);
    await until('the participant in the room', async () => {
      const r = (await desk.invoke('live.status', { sessionId: demo.sessionId })).remotes;
      return r.length === 1 && r[0]!.producers.length === 2;
    });
  }, 60_000);

  it('refuses another site’s page and media frames', async () => {
    await expect(lanSocket('https://evil.example')).rejects.toThrow(/403/);
    const { ws } = await lanSocket();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(Buffer.from([1, 2, 3]));
    expect(await closed).toBe(1003);
  });
});

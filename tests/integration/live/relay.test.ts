/**
 * `attest relay` with real mediasoup workers on 127.0.0.1: a room's workstation pipes its
 * producers to the relay (pipe transports, RTP as it is); an observer admitted by the
 * workstation (its access check and audit) receives there with a one-time ticket and hears
 * the room's tone; the workstation sends each source once however many watch at the relay.
 * A wrong secret, a wrong certificate, a used ticket are refused; the observer who leaves at
 * the relay ends the viewing on the workstation's record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import type { DemoSession } from '../../../electron/core/demo/session';
import { RelayServer } from '../../../electron/core/platform/sfu/relay-server';
import { RelayConnection } from '../../../electron/core/platform/sfu/relay-client';
import { Sfu } from '../../../electron/core/platform/sfu/sfu';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { forwardLive, h264Clip, opusTone } from '../../helpers/live-media';
import { RelayViewer } from '../../helpers/live-peer';
import { until, viewingGrant } from '../../helpers/waiting';

const HOUR = 3_600_000;
const SECRET = 'relay secret of the centre 2026';

describe('the relay', () => {
  let relayDir: string;
  let relaySfu: Sfu;
  let relay: RelayServer;
  let at: { url: string; fingerprint: string };
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let clerk: Client;
  let admin: Client;
  let feeding: ReturnType<typeof forwardLive>;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    relayDir = mkdtempSync(join(tmpdir(), 'attest-relay-'));
    relaySfu = new Sfu({ rtcMinPort: 41_000, rtcMaxPort: 41_999 });
    relay = new RelayServer({
      sfu: relaySfu,
      secret: SECRET,
      tlsDir: relayDir,
      port: 0,
      bindHost: '127.0.0.1',
      advertiseHost: '127.0.0.1',
    });
    at = await relay.start();
    env = sealEnv({
      start: Date.now(),
      relay: { ...at, secret: SECRET, name: 'room-2' },
    });
    const ready = await readySession(env, 2, undefined, { stopAfter: 'started' });
    ({ demo, desk, admin } = ready);
    clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await viewingGrant(clerk, leader, demo.caseId, demo.sessionId, env.now() + HOUR);
    await desk.invoke('live.open', {
      sessionId: demo.sessionId,
      sources: [
        { sourceId: 'cam-1', kind: 'video', label: '1号摄像机（近景）' },
        { sourceId: 'mic-1', kind: 'audio', label: '1号麦克风' },
      ],
    });
    feeding = forwardLive(desk, h264Clip(1), opusTone(1));
  }, 120_000);

  afterAll(async () => {
    feeding?.stop();
    for (const c of closers) c();
    await env?.dispose();
    await relay?.close();
    relaySfu?.close();
    rmSync(relayDir, { recursive: true, force: true });
  });

  it('gets the room piped, and admits an observer the workstation let watch', async () => {
    await until(
      'the room’s camera and microphone at the relay',
      () => relay.stats().producers === 2,
    );
    expect(relay.stats().rooms).toBe(1);

    const w = await clerk.invoke('live.watch', { sessionId: demo.sessionId });
    expect(w.relay).toMatchObject({ url: at.url });
    const viewer = new RelayViewer();
    closers.push(() => viewer.close());
    const there = await viewer.enter(at.url, at.fingerprint, w.relay!.ticket);
    expect(there.producers.map((p) => p.label).sort()).toEqual(['1号摄像机（近景）', '1号麦克风']);
    const sound = viewer.listen(
      await viewer.consume(there.producers.find((p) => p.kind === 'audio')!.producerId),
    );
    await until('the room’s tone at the relay’s observer', () => sound.samples >= 48_000);
    expect(sound.level()).toBeGreaterThan(0.05);
    expect(relay.stats().viewers).toBe(1);

    // The ticket admitted once.
    await expect(
      RelayConnection.open(at.url, at.fingerprint, { role: 'viewer', ticket: w.relay!.ticket }),
    ).rejects.toThrow(/no such ticket/);

    // Leaving at the relay ends the viewing on the workstation's record.
    viewer.close();
    await until('the viewing ended on the record', async () =>
      (
        await admin.invoke('audit.list', {
          entity: 'session',
          entityId: demo.sessionId,
          limit: 100,
        })
      ).some(
        (e) =>
          e.action === 'live.viewing_ended' &&
          (e.data as { viewingId: number; why: string }).viewingId === w.viewingId,
      ),
    );
    expect((await desk.invoke('live.status', { sessionId: demo.sessionId })).observers).toEqual([]);
  }, 60_000);

  it('refuses a workstation without the secret and one that finds another certificate', async () => {
    await expect(
      RelayConnection.open(at.url, at.fingerprint, { role: 'room', secret: 'x'.repeat(20) }),
    ).rejects.toThrow(/secret/);
    await expect(
      RelayConnection.open(at.url, 'AB:'.repeat(31) + 'AB', { role: 'room', secret: SECRET }),
    ).rejects.toThrow(/not the one configured/);
  });

  it('closes the room there when forwarding stops', async () => {
    await desk.invoke('live.close', { sessionId: demo.sessionId });
    await until('the room gone from the relay', () => relay.stats().rooms === 0);
  });
});

describe('chained relays', () => {
  const dirs: string[] = [];
  const sfus: Sfu[] = [];
  const relays: RelayServer[] = [];
  let env: SealEnv;
  let feeding: ReturnType<typeof forwardLive>;
  const closers: (() => void)[] = [];

  /** A relay on loopback, piping on to `upstream` when given. */
  async function relayAt(ports: number, upstream?: { url: string; fingerprint: string }) {
    const dir = mkdtempSync(join(tmpdir(), 'attest-relay-'));
    dirs.push(dir);
    const sfu = new Sfu({ rtcMinPort: ports, rtcMaxPort: ports + 999 });
    sfus.push(sfu);
    const relay = new RelayServer({
      sfu,
      secret: SECRET,
      tlsDir: dir,
      port: 0,
      bindHost: '127.0.0.1',
      advertiseHost: '127.0.0.1',
      ...(upstream ? { upstream: { ...upstream, secret: SECRET } } : {}),
    });
    relays.push(relay);
    return { relay, at: await relay.start() };
  }

  afterAll(async () => {
    feeding?.stop();
    for (const c of closers) c();
    await env?.dispose();
    for (const r of relays) await r.close();
    for (const s of sfus) s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pipes a room on from a building’s relay to a centre’s, where its observers are sent', async () => {
    const centre = await relayAt(43_000);
    const building = await relayAt(44_000, centre.at);
    env = sealEnv({ start: Date.now(), relay: { ...building.at, secret: SECRET, name: 'room-7' } });
    const { demo, desk } = await readySession(env, 2, undefined, { stopAfter: 'started' });
    const clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await viewingGrant(clerk, leader, demo.caseId, demo.sessionId, env.now() + HOUR);
    await desk.invoke('live.open', {
      sessionId: demo.sessionId,
      sources: [{ sourceId: 'mic-1', kind: 'audio', label: '1号麦克风' }],
    });
    feeding = forwardLive(desk, h264Clip(1), opusTone(1));
    await until('the room at the centre', () => centre.relay.stats().producers === 1);
    expect(building.relay.stats().producers).toBe(1);

    // The workstation's viewing sends the observer to the centre, with its ticket.
    await until('the room piped on', async () => {
      const w = await clerk.invoke('live.watch', { sessionId: demo.sessionId });
      await clerk.invoke('live.leave', { viewingId: w.viewingId });
      return w.relay?.url === centre.at.url;
    });
    const w = await clerk.invoke('live.watch', { sessionId: demo.sessionId });
    const viewer = new RelayViewer();
    closers.push(() => viewer.close());
    const there = await viewer.enter(centre.at.url, centre.at.fingerprint, w.relay!.ticket);
    const sound = viewer.listen(await viewer.consume(there.producers[0]!.producerId));
    await until('the room’s tone two relays away', () => sound.samples >= 48_000);
    expect(centre.relay.stats().viewers).toBe(1);
    expect(building.relay.stats().viewers).toBe(0);

    // Leaving at the centre reaches the workstation's record through the building's relay.
    viewer.close();
    await until('the viewing ended on the record', async () =>
      (await desk.invoke('live.status', { sessionId: demo.sessionId })).observers.every(
        (o) => o.viewingId !== w.viewingId,
      ),
    );
  }, 90_000);
});

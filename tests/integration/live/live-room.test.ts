/**
 * The live room with a real mediasoup worker on 127.0.0.1 and a headless wrtc observer: the
 * desk forwards a recording session's frames (the recorder's own H.264 and Opus, sent as live
 * frames over the same connection); the observer with a grant hears the room's tone through
 * WebRTC; one with no grant is refused (audited); the desk sees who watches; every viewing
 * is audited when it starts and ends; the SFU's worker killed is started again, its viewings
 * end on the record, and watching works again.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { refusal, until, viewingGrant } from '../../helpers/waiting';
import type { DemoSession } from '../../../electron/core/demo/session';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { forwardLive, h264Clip, opusTone } from '../../helpers/live-media';
import { LiveObserver } from '../../helpers/live-peer';

const HOUR = 3_600_000;

describe('the live room', () => {
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let clerk: Client;
  let leader: Client;
  let admin: Client;
  let feeding: ReturnType<typeof forwardLive>;
  const observers: LiveObserver[] = [];

  beforeAll(async () => {
    env = sealEnv({ start: Date.now() });
    const ready = await readySession(env, 2, undefined, { stopAfter: 'started' });
    demo = ready.demo;
    desk = ready.desk;
    admin = ready.admin;
    clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
  }, 120_000);

  afterAll(async () => {
    feeding?.stop();
    for (const o of observers) o.close();
    await env?.dispose();
  });

  it('forwards the desk’s sources and refuses an observer with no grant, on the record', async () => {
    expect(await desk.invoke('live.status', { sessionId: demo.sessionId })).toMatchObject({
      open: false,
      observers: [],
    });
    // Only the case team forwards a session.
    expect(
      (
        await refusal(
          clerk.invoke('live.open', {
            sessionId: demo.sessionId,
            sources: [{ sourceId: 'x', kind: 'video', label: 'x' }],
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    // Nor an account that neither records the session here nor is on its team.
    const outsider = await refusal(
      admin.invoke('live.open', {
        sessionId: demo.sessionId,
        sources: [{ sourceId: 'x', kind: 'video', label: 'x' }],
      }),
    );
    expect(outsider.code).toBe('ACCESS_NOT_GRANTED');
    expect(outsider.message).toMatch(/实时转发询问、听证/);
    const opened = await desk.invoke('live.open', {
      sessionId: demo.sessionId,
      sources: [
        { sourceId: 'cam-1', kind: 'video', label: '1号摄像机（近景）' },
        { sourceId: 'mic-1', kind: 'audio', label: '1号麦克风' },
      ],
    });
    expect(opened.open).toBe(true);
    feeding = forwardLive(desk, h264Clip(1), opusTone(1));
    await until('both sources forwarding', async () => {
      const s = await desk.invoke('live.status', { sessionId: demo.sessionId });
      return s.sources.every((x) => x.forwarding);
    });

    const e = await refusal(clerk.invoke('live.watch', { sessionId: demo.sessionId }));
    expect(e.code).toBe('ACCESS_NOT_GRANTED');
    expect(e.message).toMatch(/实时观看询问、听证/);
    const refused = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    ).find((x) => x.action === 'access.refused');
    expect(refused?.data).toMatchObject({ what: '实时观看询问、听证', mode: 'view' });
  }, 60_000);

  it('lets an observer with a grant hear the room through WebRTC; the desk sees them; the viewing is audited', async () => {
    const asked = {
      id: await viewingGrant(clerk, leader, demo.caseId, demo.sessionId, env.now() + HOUR),
    };
    const observer = new LiveObserver(clerk);
    observers.push(observer);
    const w = await observer.join(demo.sessionId);
    expect(w.producers.map((p) => [p.kind, p.label]).sort()).toEqual([
      ['audio', '1号麦克风'],
      ['video', '1号摄像机（近景）'],
    ]);
    const mic = w.producers.find((p) => p.kind === 'audio')!;
    const heard = observer.listen(await observer.consume(mic.producerId));
    await until(
      'a second of the tone',
      () => heard.samples >= 48_000 && heard.level() > 0.05,
      20_000,
    );
    // 440 Hz: 880 sign changes a second.
    expect(heard.crossingsPerSecond()).toBeGreaterThan(800);
    expect(heard.crossingsPerSecond()).toBeLessThan(960);
    // wrtc decodes no H.264: the picture is refused by name rather than sent to no decoder.
    const cam = w.producers.find((p) => p.kind === 'video')!;
    expect((await refusal(observer.consume(cam.producerId))).message).toMatch(/H\.264/);

    const status = await desk.invoke('live.status', { sessionId: demo.sessionId });
    expect(status.observers).toEqual([
      expect.objectContaining({
        viewingId: w.viewingId,
        name: expect.any(String),
        basis: `查阅授权第 ${asked.id} 号`,
      }),
    ]);
    // A viewing is its observer's own.
    expect((await refusal(leader.invoke('live.leave', { viewingId: w.viewingId }))).code).toBe(
      'NOT_FOUND',
    );

    // A note for the record: on the session's timeline at this session time, shown at the desk.
    env.advance(30_000);
    const note = await clerk.invoke('live.note', {
      viewingId: w.viewingId,
      text: '请核实当事人身份证件号码',
    });
    const head = await desk.invoke('sessions.get', { id: demo.sessionId });
    expect(note.atUs).toBe((env.now() - head.startedAt!) * 1000);
    const timeline = await desk.invoke('recording.timeline', { sessionId: demo.sessionId });
    expect(timeline.filter((e) => e.kind === 'observer.note')).toEqual([
      expect.objectContaining({
        atUs: note.atUs,
        data: expect.objectContaining({
          text: '请核实当事人身份证件号码',
          basis: `查阅授权第 ${asked.id} 号`,
        }),
      }),
    ]);
    expect((await desk.invoke('live.status', { sessionId: demo.sessionId })).notes).toEqual([
      { at: note.at, atUs: note.atUs, name: note.name, text: '请核实当事人身份证件号码' },
    ]);
    // Only one's own viewing takes notes; a blank note is refused by the contract.
    expect(
      (await refusal(leader.invoke('live.note', { viewingId: w.viewingId, text: 'x' }))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await refusal(clerk.invoke('live.note', { viewingId: w.viewingId, text: '   ' }))).code,
    ).toBe('INVALID_INPUT');

    env.advance(60_000);
    await clerk.invoke('live.leave', { viewingId: w.viewingId });
    observer.close();
    expect((await desk.invoke('live.status', { sessionId: demo.sessionId })).observers).toEqual([]);
    const trail = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    )
      .filter((x) => x.action.startsWith('live.'))
      .map((x) => [x.action, x.data]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ['live.opened', { sources: ['1号摄像机（近景）', '1号麦克风'] }],
        [
          'live.viewing_started',
          expect.objectContaining({ viewingId: w.viewingId, grantId: asked.id }),
        ],
        [
          'live.viewing_ended',
          expect.objectContaining({ viewingId: w.viewingId, why: 'left', seconds: 90 }),
        ],
      ]),
    );
  }, 60_000);

  it('ends the viewings of a closed connection, on the record', async () => {
    const c = env.connect();
    await c.invoke('auth.signIn', demo.accounts.clerk);
    const observer = new LiveObserver(c);
    observers.push(observer);
    const w = await observer.join(demo.sessionId);
    expect(
      (await desk.invoke('live.status', { sessionId: demo.sessionId })).observers,
    ).toHaveLength(1);
    c.close();
    await until(
      'the viewing ended',
      async () =>
        (await desk.invoke('live.status', { sessionId: demo.sessionId })).observers.length === 0,
    );
    const ended = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    ).find(
      (x) =>
        x.action === 'live.viewing_ended' &&
        (x.data as { viewingId?: number }).viewingId === w.viewingId,
    );
    expect(ended?.data).toMatchObject({ why: 'disconnected' });
  }, 60_000);

  it('starts the SFU again when its worker dies; the viewings end on the record and watching works again', async () => {
    const observer = new LiveObserver(clerk);
    observers.push(observer);
    const before = await observer.join(demo.sessionId);
    const pid = Number(
      execFileSync('pgrep', ['-P', String(process.pid), '-f', 'mediasoup-worker'])
        .toString()
        .trim()
        .split('\n')[0],
    );
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await until('the viewing ended by the restart', async () =>
      (
        await admin.invoke('audit.list', {
          entity: 'session',
          entityId: demo.sessionId,
          limit: 500,
        })
      ).some(
        (x) =>
          x.action === 'live.viewing_ended' &&
          (x.data as { why?: string; viewingId?: number }).viewingId === before.viewingId &&
          (x.data as { why?: string }).why === 'sfu_restarted',
      ),
    );
    observer.close();
    // The desk's frames open new feeds on the new worker; an observer hears the room again.
    await until('a new worker', () => {
      try {
        const now = Number(
          execFileSync('pgrep', ['-P', String(process.pid), '-f', 'mediasoup-worker'])
            .toString()
            .trim(),
        );
        return now > 0 && now !== pid;
      } catch {
        return false;
      }
    });
    await until('the feeds again', async () =>
      (await desk.invoke('live.status', { sessionId: demo.sessionId })).sources.every(
        (x) => x.forwarding,
      ),
    );
    const again = new LiveObserver(clerk);
    observers.push(again);
    const w = await again.join(demo.sessionId);
    const mic = w.producers.find((p) => p.kind === 'audio')!;
    const heard = again.listen(await again.consume(mic.producerId));
    await until('the tone again', () => heard.samples >= 24_000 && heard.level() > 0.05, 20_000);
  }, 60_000);

  it('ends forwarding and every viewing when the desk closes the room', async () => {
    const { ended } = await desk.invoke('live.close', { sessionId: demo.sessionId });
    expect(ended).toBe(1);
    expect(
      (await refusal(clerk.invoke('live.watch', { sessionId: demo.sessionId }))).message,
    ).toMatch(/没有实时转发/);
    const actions = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    ).map((x) => x.action);
    expect(actions).toContain('live.closed');
  }, 30_000);
});

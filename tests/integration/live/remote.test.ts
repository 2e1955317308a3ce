/**
 * Remote participants with a real mediasoup worker on 127.0.0.1: the desk forwards the room
 * and invites an interpreter; a headless participant (wrtc) joins with the token alone, hears
 * the room's tone and sends a counter picture and a tone of its own; an observer with a grant
 * sees the picture (every counter in order) and hears the participant; the desk lists them.
 * The participant who drops leaves on the record, and rejoins with the same invitation; one
 * invitation admits one connection at a time; a wrong token is refused; the token itself is
 * never written down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { refusal, until, viewingGrant } from '../../helpers/waiting';
import type { DemoSession } from '../../../electron/core/demo/session';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { forwardLive, h264Clip, opusTone } from '../../helpers/live-media';
import { DeskReceiver, LiveObserver, RemoteParticipant } from '../../helpers/live-peer';

const HOUR = 3_600_000;

describe('a remote participant', () => {
  let env: SealEnv;
  let demo: DemoSession;
  let desk: Client;
  let admin: Client;
  let clerk: Client;
  let feeding: ReturnType<typeof forwardLive>;
  let token = '';
  const peers: { close(): void }[] = [];

  beforeAll(async () => {
    env = sealEnv({ start: Date.now() });
    const ready = await readySession(env, 2, undefined, { stopAfter: 'started' });
    ({ demo, desk, admin } = ready);
    clerk = env.connect();
    await clerk.invoke('auth.signIn', demo.accounts.clerk);
    const leader = env.connect();
    await leader.invoke('auth.signIn', demo.accounts.leader);
    await viewingGrant(clerk, leader, demo.caseId, demo.sessionId, env.now() + HOUR);
  }, 120_000);

  afterAll(async () => {
    feeding?.stop();
    for (const p of peers) p.close();
    await env?.dispose();
  });

  it('joins by the invitation alone, hears the room and is seen and heard by an observer', async () => {
    // No room, no invitation.
    expect(
      (
        await refusal(
          desk.invoke('live.invite', {
            sessionId: demo.sessionId,
            name: '王译员',
            role: 'interpreter',
          }),
        )
      ).message,
    ).toMatch(/先开始实时转发/);
    await desk.invoke('live.open', {
      sessionId: demo.sessionId,
      sources: [
        { sourceId: 'cam-1', kind: 'video', label: '1号摄像机（近景）' },
        { sourceId: 'mic-1', kind: 'audio', label: '1号麦克风' },
      ],
    });
    feeding = forwardLive(desk, h264Clip(1), opusTone(1));
    await until('the room forwarding', async () =>
      (await desk.invoke('live.status', { sessionId: demo.sessionId })).sources.every(
        (s) => s.forwarding,
      ),
    );
    const invite = await desk.invoke('live.invite', {
      sessionId: demo.sessionId,
      name: '王译员',
      role: 'interpreter',
    });
    expect(invite.path).toBe(`#/join/${invite.token}`);
    token = invite.token;

    // A wrong token is refused, as is a second connection on the same invitation later.
    const stranger = env.connect();
    expect((await refusal(stranger.invoke('live.join', { token: 'x'.repeat(32) }))).code).toBe(
      'ACCESS_NOT_GRANTED',
    );

    const remote = new RemoteParticipant(env.connect());
    peers.push(remote);
    const j = await remote.enter(invite.token);
    expect(j).toMatchObject({ sessionId: demo.sessionId, name: '王译员', role: 'interpreter' });
    // They see and hear the room's program and sound, not its cameras one by one.
    expect(j.producers.map((p) => p.label)).toEqual(['1号麦克风']);
    expect((await refusal(stranger.invoke('live.join', { token: invite.token }))).message).toMatch(
      /同一时间只能一人/,
    );
    const roomSound = await remote.hear(j.producers[0]!.producerId);
    await remote.sendMedia(660);
    await until(
      'the room’s tone at the participant',
      () => roomSound.samples >= 48_000 && roomSound.level() > 0.05,
    );
    expect(roomSound.crossingsPerSecond()).toBeGreaterThan(800);
    expect(roomSound.crossingsPerSecond()).toBeLessThan(960);

    // The desk lists them with what they send.
    const status = await desk.invoke('live.status', { sessionId: demo.sessionId });
    expect(status.remotes).toEqual([
      expect.objectContaining({
        name: '王译员',
        role: 'interpreter',
        producers: expect.arrayContaining([
          expect.objectContaining({ kind: 'video' }),
          expect.objectContaining({ kind: 'audio' }),
        ]),
      }),
    ]);

    // An observer sees the picture, every counter in order, and hears the participant's tone.
    const observer = new LiveObserver(clerk);
    peers.push(observer);
    const w = await observer.join(demo.sessionId);
    const theirs = w.producers.filter((p) => p.sourceId.startsWith('remote-'));
    expect(theirs.map((p) => p.label).sort()).toEqual([
      '王译员（翻译人员，远程声音）',
      '王译员（翻译人员，远程画面）',
    ]);
    const voice = observer.listen(
      await observer.consume(theirs.find((p) => p.kind === 'audio')!.producerId),
    );
    const picture = observer.see(
      await observer.consume(theirs.find((p) => p.kind === 'video')!.producerId),
    );
    await until(
      'the participant’s picture and voice',
      () => picture.counters.length >= 30 && voice.samples >= 48_000,
    );
    expect(voice.crossingsPerSecond()).toBeGreaterThan(1200);
    expect(voice.crossingsPerSecond()).toBeLessThan(1450);
    const steps = picture.counters.slice(1).map((c, i) => c - picture.counters[i]!);
    expect(Math.min(...steps)).toBeGreaterThan(0);
    console.log(
      `remote picture at the observer: ${picture.counters.length} frames, counters ${picture.counters[0]}–${picture.counters.at(-1)}, largest step ${Math.max(...steps)}`,
    );
  }, 90_000);

  it('leaves on the record when the connection drops, and rejoins with the same invitation', async () => {
    const status = await desk.invoke('live.status', { sessionId: demo.sessionId });
    const first = status.remotes[0]!;
    const invites = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    ).filter((e) => e.action === 'live.invited');
    expect(invites).toHaveLength(1);
    // The token is never written down.
    expect(JSON.stringify(invites[0]!.data)).not.toContain(token);
    const remotePeer = peers[0] as RemoteParticipant;

    // The participant's connection drops.
    const c = remotePeer.client;
    remotePeer.close();
    c.close();
    await until(
      'the participant gone',
      async () =>
        (await desk.invoke('live.status', { sessionId: demo.sessionId })).remotes.length === 0,
    );
    const trail = (
      await admin.invoke('audit.list', { entity: 'session', entityId: demo.sessionId, limit: 500 })
    ).map((e) => ({ action: e.action, actor: e.actor, data: e.data as Record<string, unknown> }));
    expect(trail.find((e) => e.action === 'live.remote_left')).toMatchObject({
      actor: '王译员（翻译人员，远程）',
      data: { remoteId: first.remoteId, why: 'disconnected' },
    });
    expect(trail.find((e) => e.action === 'live.remote_joined')).toMatchObject({
      data: { remoteId: first.remoteId },
    });

    // Back with the same invitation: a new participant entry, sending again.
    const again = new RemoteParticipant(env.connect());
    peers.push(again);
    const j = await again.enter(token);
    expect(j.remoteId).not.toBe(first.remoteId);
    await again.sendMedia(660);
    await until('the participant back', async () => {
      const r = (await desk.invoke('live.status', { sessionId: demo.sessionId })).remotes;
      return r.length === 1 && r[0]!.producers.length === 2;
    });
  }, 30_000);

  it('reaches the desk to be recorded: their sources take segments only while they are in the room', async () => {
    const r = (await desk.invoke('live.status', { sessionId: demo.sessionId })).remotes[0]!;
    const cam = r.producers.find((p) => p.kind === 'video')!;
    const mic = r.producers.find((p) => p.kind === 'audio')!;
    // Named by the invitation: the same source after the rejoin.
    expect([cam.sourceId, mic.sourceId]).toEqual([
      `remote-${r.inviteId}-cam`,
      `remote-${r.inviteId}-mic`,
    ]);

    // Only the recording desk (or the case team) receives them, and only remote sources.
    const stranger = env.connect();
    expect(
      (await refusal(stranger.invoke('live.desk.receive', { sessionId: demo.sessionId }))).code,
    ).toBe('UNAUTHENTICATED');
    const receiver = new DeskReceiver(desk, demo.sessionId);
    peers.push(receiver);
    await receiver.receive();
    expect((await refusal(receiver.consume('no-such-producer'))).code).toBe('NOT_FOUND');
    const picture = receiver.see(await receiver.consume(cam.producerId));
    const voice = receiver.listen(await receiver.consume(mic.producerId));
    await until(
      'the participant’s picture and voice at the desk',
      () => picture.counters.length >= 30 && voice.samples >= 48_000,
    );
    const steps = picture.counters.slice(1).map((c, i) => c - picture.counters[i]!);
    expect(Math.min(...steps)).toBeGreaterThan(0);
    expect(voice.crossingsPerSecond()).toBeGreaterThan(1200);

    // The recording takes their camera as a source of the session, vouched for by the room.
    const open = (sourceId: string, kind: 'camera' | 'microphone') =>
      desk.invoke('recording.openSegment', {
        sessionId: demo.sessionId,
        sourceId,
        kind,
        codec: kind === 'camera' ? 'avc1.640028' : 'opus',
        ...(kind === 'camera'
          ? { width: 640, height: 480, frameRate: 30 }
          : { sampleRate: 48_000, channels: 1 }),
        firstCaptureTimeUs: 9_000_000,
        sessionTimeUs: 9_000_000,
      });
    const seg = await open(cam.sourceId, 'camera');
    expect(seg.segment).toBe(1);
    expect((await refusal(open(cam.sourceId, 'microphone'))).code).toBe('RULE_VIOLATION');
    expect((await refusal(open('remote-99-cam', 'camera'))).code).toBe('RULE_VIOLATION');
    await desk.invoke('recording.closeSegment', {
      sessionId: demo.sessionId,
      sourceId: cam.sourceId,
      segment: 1,
    });

    // An officer at the desk checks their identity on video; strangers and gone ones are refused.
    expect(
      (
        await refusal(
          stranger.invoke('live.checkIdentity', {
            sessionId: demo.sessionId,
            remoteId: r.remoteId,
            credential: '居民身份证 110105********0012',
          }),
        )
      ).code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (
        await refusal(
          desk.invoke('live.checkIdentity', {
            sessionId: demo.sessionId,
            remoteId: 999,
            credential: '居民身份证 110105********0012',
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
    const checked = await desk.invoke('live.checkIdentity', {
      sessionId: demo.sessionId,
      remoteId: r.remoteId,
      credential: '居民身份证 110105********0012',
    });
    expect(checked.identity).toMatchObject({ credential: '居民身份证 110105********0012' });
    expect(
      (await desk.invoke('live.status', { sessionId: demo.sessionId })).remotes[0]!.identity,
    ).toEqual(checked.identity);

    // They leave: nothing more of theirs is recorded until they are back.
    const c = (peers.find(
      (p) => p instanceof RemoteParticipant && p.join?.remoteId === r.remoteId,
    ) as RemoteParticipant | undefined)!;
    await c.client.invoke('live.remote.leave', { remoteId: r.remoteId });
    expect((await refusal(open(cam.sourceId, 'camera'))).message).toMatch(/live room now/);

    // The timeline says who took part remotely, from when to when; the opened file names them.
    const timeline = await desk.invoke('recording.timeline', { sessionId: demo.sessionId });
    const visits = timeline.filter((e) => e.kind.startsWith('remote.'));
    expect(visits.map((e) => [e.kind, (e.data as { why?: string }).why ?? null])).toEqual([
      ['remote.joined', null],
      ['remote.left', 'disconnected'],
      ['remote.joined', null],
      ['remote.identity_checked', null],
      ['remote.left', 'left'],
    ]);
    expect(visits[3]!.data).toMatchObject({ credential: '居民身份证 110105********0012' });
    expect(visits[3]!.userId).not.toBeNull();
    expect(visits.every((e) => (e.data as { name: string }).name === '王译员')).toBe(true);
    const opened = timeline.find((e) => e.kind === 'segment.opened' && e.sourceId === cam.sourceId);
    expect(opened?.data).toMatchObject({ remote: { name: '王译员', role: 'interpreter' } });
  }, 60_000);
  it('numbers a new invitation after every earlier one when the core restarts mid-session', async () => {
    const timeline = await desk.invoke('recording.timeline', { sessionId: demo.sessionId });
    const earlier = timeline.find((e) => e.kind === 'remote.joined')!.data as { inviteId: number };
    // The workstation restarts: the session is interrupted and the room is opened again.
    for (const p of peers.splice(0)) p.close();
    feeding.stop();
    env.core.close();
    const again = sealEnv({ dataDir: env.dataDir, start: env.now() });
    try {
      const officer = again.connect();
      await officer.invoke('auth.signIn', demo.accounts.officer);
      await officer.invoke('live.open', {
        sessionId: demo.sessionId,
        sources: [{ sourceId: 'cam-1', kind: 'video', label: '1号摄像机（近景）' }],
      });
      const invite = await officer.invoke('live.invite', {
        sessionId: demo.sessionId,
        name: '李律师',
        role: 'agent',
      });
      // Not the earlier interpreter's number: their sources stay theirs alone.
      expect(invite.inviteId).toBeGreaterThan(earlier.inviteId);
      await officer.invoke('live.close', { sessionId: demo.sessionId });
    } finally {
      again.core.close();
    }
  }, 60_000);
});

/**
 * A step of the capture ladder taken while recording is on the session's timeline and in the
 * sealed record (`data/session.json`): which camera ran at which rate from when, and why. The
 * core takes only the ladder's own rungs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

describe('capture steps in the sealed record', () => {
  let env: SealEnv;
  afterEach(() => env.dispose());

  it('lists the step with its source, device, rate, time and reason', async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    const { desk, demo } = await readySession(env, 6, 'Asia/Shanghai', { ladderStep: true });
    const timeline = await desk.invoke('recording.timeline', { sessionId: demo.sessionId });
    const step = timeline.find((e) => e.kind === 'capture.stepped')!;
    expect(step).toMatchObject({ sourceId: 'cam2', data: { direction: 'down', fps: 20 } });
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    const record = JSON.parse(readFileSync(join(bundle.path, 'data', 'session.json'), 'utf8')) as {
      captureSteps: unknown[];
      media: { sourceId: string; sha512: string | null }[];
    };
    expect(record.captureSteps).toEqual([
      {
        sourceId: 'cam2',
        device: 'DEMO-CAM-02',
        direction: 'down',
        fps: 20,
        fullFps: 30,
        scale: 1,
        reason: '编码压力：最深队列 9 帧，最慢编码 70 毫秒',
        atMs: step.atUs! / 1000,
        at: expect.stringMatching(/^2026-12-01T09:\d{2}:\d{2}(\.\d{3})?\+08:00$/),
      },
    ]);
    // The media entries carry the SHA-512 the sink kept, as the manifest does.
    const manifest = readFileSync(join(bundle.path, 'manifest-sha512.txt'), 'utf8');
    for (const m of record.media.filter((x) => x.sha512)) expect(manifest).toContain(m.sha512!);
  }, 60_000);

  it('refuses a rate that is not a rung of the ladder', async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    const { desk, demo } = await readySession(env, 4, undefined, { stopAfter: 'recorded' });
    await expect(
      desk.invoke('recording.captureStep', {
        sessionId: demo.sessionId,
        sourceId: 'cam2',
        direction: 'down',
        fps: 12,
        fullFps: 30,
        reason: '—',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  }, 60_000);
});

/**
 * A camera whose frames stop while its device stays live, end to end: the counter clip seen
 * as two cameras, recorded through the real UI; three seconds in, every camera reader open
 * at that moment stops delivering (an init script closes its frames unseen, as a stalled
 * capture pipeline would; see freezeCamerasScript). The engine must notice within its stall
 * time, read the cameras afresh into the same workers and files and, that giving nothing,
 * open them again; show it on the live view; and put the stall and the recovery on the
 * session's timeline. Read from the files on disk
 * with ffprobe: one file per source, strictly increasing, with one hole where the stall was
 * and frames after it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packetTimes } from '../../scripts/bench/harness';
import { SHOTS } from './pages/harness';
import { freezeCamerasScript, workerStats, type WorkerCounters } from './pages/recording';
import { openRecordingRoom, type RecordingRoom } from './pages/recordingRoom';

const CASE_NO = '京人防罚〔2026〕41号';
const FREEZE_AT_SECONDS = 3;
const RECORD_SECONDS = 15;

const rooms: RecordingRoom[] = [];
afterEach(async () => {
  for (const r of rooms.splice(0)) await r.close();
});

/** The presentation times of a file's video packets, in order (ffprobe). */
const videoTimes = (file: string) => packetTimes(file, 'v:0').map((p) => p.pts);

describe('a camera that stops delivering', () => {
  it('is read afresh into the same file, shown on the live view and put on the timeline', async () => {
    const room = await openRecordingRoom({
      caseNo: CASE_NO,
      initScripts: [freezeCamerasScript()],
    });
    rooms.push(room);
    const { client, host, page, panel, screen, sessionId, errors } = room;
    await page.evaluate(() =>
      (window as unknown as { __generatorCameras(): void }).__generatorCameras(),
    );
    await screen.start();
    const elapsed = (s: number) =>
      expect
        .poll(() => panel.elapsedSeconds(), { timeout: 60_000, interval: 200 })
        .toBeGreaterThanOrEqual(s);
    await elapsed(FREEZE_AT_SECONDS);
    await page.evaluate(() => (window as unknown as { __freezeCameras(): void }).__freezeCameras());

    // The live view says so while it lasts, on the camera's own line.
    await panel.health('cam1').getByText('画面中断，正在重新读取设备').waitFor({ timeout: 10_000 });
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'recording-stalled.png') });
    for (const id of ['cam1', 'cam2'])
      await panel
        .health(id)
        .getByText('画面中断，正在重新读取设备')
        .waitFor({ state: 'detached', timeout: 10_000 });
    await elapsed(RECORD_SECONDS);
    await panel.end();
    expect(errors).toEqual([]);

    // On the timeline: each picture source stalled once and came back once.
    const timeline = await client.invoke('recording.timeline', { sessionId });
    const faults = timeline
      .filter((e) => e.kind === 'fault')
      .map((e) => ({
        sourceId: e.sourceId,
        ...(e.data as { kind: string; detail: string }),
      }));
    console.log(faults.map((f) => `${f.sourceId} ${f.kind}: ${f.detail}`).join('\n'));
    // A camera read afresh still gave nothing (its device is frozen): it was opened again.
    for (const id of ['cam1', 'cam2']) {
      const mine = faults.filter((f) => f.sourceId === id);
      expect(
        mine.map((f) => f.kind),
        id,
      ).toEqual(['capture_stalled', 'capture_stalled', 'capture_resumed']);
      expect(mine[0]!.detail).toMatch(/no frame for \d\.\d s; reading it afresh$/);
      expect(mine[1]!.detail).toMatch(/opening the camera again$/);
    }
    // The program reads its cameras afresh whenever one is opened again: it may come back
    // before its own second attempt.
    const program = faults.filter((f) => f.sourceId === 'program').map((f) => f.kind);
    expect(program.at(-1)).toBe('capture_resumed');
    expect(new Set(program.slice(0, -1))).toEqual(new Set(['capture_stalled']));
    expect(faults.filter((f) => f.sourceId === 'mic1')).toEqual([]);

    // The same worker and file went on: one segment per source, with one hole, frames after it.
    const counters: Record<string, WorkerCounters> = await workerStats(page);
    const status = await client.invoke('recording.status', { sessionId });
    const media = join(host.dataDir, 'sessions', String(sessionId), 'media');
    for (const id of ['cam1', 'cam2', 'program']) {
      const segs = status.segments.filter((s) => s.sourceId === id);
      expect(
        segs.map((s) => s.state),
        id,
      ).toEqual(['closed']);
      const times = videoTimes(join(media, segs[0]!.path.split('/').pop()!));
      const steps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.min(...steps), id).toBeGreaterThan(0);
      const holes = steps.map((d, i) => ({ at: times[i]!, d })).filter((s) => s.d > 0.5);
      console.log(
        `${id}: ${times.length} frames, ${times[0]!.toFixed(3)}–${times.at(-1)!.toFixed(3)} s, ` +
          `holes ${holes.map((h) => `${h.d.toFixed(3)} s at ${h.at.toFixed(3)} s`).join(', ')}; ` +
          `reader saw ${counters[id]!.captureGaps.map((g) => `${(g.gapUs / 1e6).toFixed(3)} s at ${(g.sessionUs / 1e6).toFixed(3)} s`).join(', ')}`,
      );
      // A hole before the freeze is the device's own under load (the reader saw it in the
      // capture time stamps: it ends at the frame after it), never one the engine made.
      const early = holes.filter((h) => h.at < FREEZE_AT_SECONDS - 1);
      for (const h of early)
        expect(
          counters[id]!.captureGaps.some(
            (g) =>
              Math.abs(g.gapUs / 1e6 - h.d) < 0.001 &&
              Math.abs(g.sessionUs / 1e6 - (h.at + h.d)) < 0.001,
          ),
          `${id}: the hole at ${h.at.toFixed(3)} s is the device's`,
        ).toBe(true);
      holes.splice(0, early.length);
      // One hole from the freeze on, to the camera opened again: two stall times (2.5 s each,
      // seen within a second) and the opening.
      expect(holes, id).toHaveLength(1);
      expect(holes[0]!.at, id).toBeGreaterThanOrEqual(FREEZE_AT_SECONDS - 1);
      expect(holes[0]!.d, id).toBeGreaterThan(4);
      expect(holes[0]!.d, id).toBeLessThan(9);
      // Frames after it: several seconds' worth, to the end.
      const after = times.filter((t) => t > holes[0]!.at + holes[0]!.d - 0.001);
      expect(after.length, id).toBeGreaterThan(60);
      // The worker's own counters record the hole too.
      expect(
        counters[id]!.captureGaps.some((g) => g.gapUs > 2_000_000),
        id,
      ).toBe(true);
    }
  });
});

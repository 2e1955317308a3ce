/**
 * Crash recovery with real kills: a child process opens the core and streams two cameras and
 * a microphone at a steady multiple of real time; the test SIGKILLs it at a random moment,
 * reopens the core on the same data directory and checks that every file was cut back to its
 * last whole fragment, is a byte-exact prefix of what was sent, decodes without error, holds
 * the media that had been sent to within 2 s, and that the session was interrupted and can
 * resume with a stated reason into a new segment.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../electron/core';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { ADMIN, caseInput, seed } from '../../helpers/core';
import {
  SOURCES,
  decodeErrors,
  ffprobe,
  fragmentedAudio,
  fragmentedVideo,
  frame,
  openInput,
  rng,
  sha256sum,
  topBoxes,
  unitsOf,
} from '../../helpers/media';

const here = new URL('.', import.meta.url).pathname;
const SPEED = 8; // 20 s of media in 2.5 s
const KILLS = 12;

let template: string;
let officerIds: number[];
let videoPath: string;
let audioPath: string;
let video: Uint8Array;
let audio: Uint8Array;

/** Media seconds covered by the whole units that end within `end` bytes. */
function mediaSecondsWithin(
  units: { kind: string; offset: number; size: number; seconds: number }[],
  end: number,
) {
  return units
    .filter((u) => u.kind === 'fragment' && u.offset + u.size <= end)
    .reduce((s, u) => s + u.seconds, 0);
}

/** Per fragment media duration of a source file, from ffprobe's packets (independent of the sink). */
function fragmentSeconds(path: string, bytes: Uint8Array) {
  const units = unitsOf(bytes);
  const fragments = units.filter((u) => u.kind === 'fragment');
  const total = Number(ffprobe(path).format.duration);
  // Fragments are ~1 s (a keyframe a second); apportion the total by packet position.
  const out = units.map((u) => ({ ...u, seconds: 0 }));
  const json = JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'packet=pos,duration_time', '-of', 'json', path],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    ),
  ) as { packets: { pos?: string; duration_time?: string }[] };
  for (const p of json.packets) {
    const pos = Number(p.pos);
    const u = out.find((x) => x.kind === 'fragment' && pos >= x.offset && pos < x.offset + x.size);
    if (u) u.seconds += Number(p.duration_time ?? 0);
  }
  expect(out.reduce((s, u) => s + u.seconds, 0)).toBeCloseTo(total, 0);
  expect(fragments.length).toBeGreaterThan(10);
  return out;
}

beforeAll(async () => {
  videoPath = fragmentedVideo(20);
  audioPath = fragmentedAudio(20);
  video = readFileSync(videoPath);
  audio = readFileSync(audioPath);
  // One seeded case store, copied for every run (sign-up and password hashing cost ~0.5 s).
  template = mkdtempSync(join(tmpdir(), 'attest-crash-template-'));
  const core = openCore({ dataDir: template, log: () => undefined });
  const client = connectInMemory(core);
  const { officers } = await seed(client);
  for (const s of SOURCES) {
    await client.invoke('devices.register', {
      deviceNo: s.deviceNo,
      kind: s.kind,
      label: s.deviceNo,
    });
  }
  await client.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
  officerIds = [officers[0].id, officers[1].id];
  client.close();
  core.close();
});
afterAll(() => rmSync(template, { recursive: true, force: true }));

interface Run {
  dataDir: string;
  sessionId: number;
  sent: Map<string, number>;
  killedAfterMs: number;
}

async function runAndKill(seedNo: number, killAfterMs: number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-crash-'));
  copyFileSync(join(template, 'attest.db'), join(dataDir, 'attest.db'));
  const child = spawn(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      join(here, '../../helpers/ts-hooks.mjs'),
      join(here, 'crash-child.ts'),
      dataDir,
      String(seedNo),
      String(SPEED),
      String(officerIds[0]),
      String(officerIds[1]),
      `cam1:camera:${videoPath}:20`,
      `cam2:camera:${videoPath}:20`,
      `mic1:microphone:${audioPath}:20`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const sent = new Map<string, number>();
  let sessionId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  let killedAfterMs = 0;
  await new Promise<void>((resolve, reject) => {
    let streamingAt = 0;
    lines.on('line', (line) => {
      const [word, a, b] = line.split(' ');
      if (word === 'session') sessionId = Number(a);
      if (word === 'sent') sent.set(a!, Number(b));
      if (word === 'streaming') {
        streamingAt = performance.now();
        setTimeout(() => {
          killedAfterMs = performance.now() - streamingAt;
          child.kill('SIGKILL');
          resolve();
        }, killAfterMs);
      }
    });
    void exited.then(() => {
      if (!streamingAt) reject(new Error(`the child exited before streaming:\n${stderr}`));
    });
  });
  await exited;
  // Lines already in the pipe were sent before the kill too.
  await new Promise((r) => setTimeout(r, 20));
  lines.close();
  return { dataDir, sessionId, sent, killedAfterMs };
}

describe('crash recovery after SIGKILL of the process writing media', () => {
  it(`recovers every file to whole fragments, ${KILLS} kills at random moments`, async () => {
    const fragments = {
      video: fragmentSeconds(videoPath, video),
      audio: fragmentSeconds(audioPath, audio),
    };
    const rand = rng(6);
    const report: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const killAfter = Math.round(300 + rand() * 2000);
      const run = await runAndKill(1000 + i, killAfter);
      // A kill leaves whole fragments only (each is one write). A power cut can leave a torn
      // tail: on every other run, give cam1 the start of its next fragment (cut inside the moof
      // header, or inside the mdat) and cam2 a run of zeros, as unwritten blocks read back.
      const torn = new Map<string, number>();
      if (i % 2 === 1) {
        const media = join(run.dataDir, 'sessions', String(run.sessionId), 'media');
        const cam1 = join(media, 'cam1-001.mp4');
        const size = statSync(cam1).size;
        const moof = topBoxes(video).find((b) => b.start === size && b.type === 'moof');
        if (moof) {
          const cut =
            i % 4 === 1
              ? 24 + Math.floor(rand() * (moof.size - 25)) // inside the moof
              : moof.size + 8 + Math.floor(rand() * 5000); // inside the mdat
          appendFileSync(cam1, video.subarray(size, size + cut));
          torn.set('cam1', cut);
          // FINDINGS: cut inside a moof, the file does not open at all ("error reading
          // header") until it is cut back.
          if (i % 4 === 1) expect(decodeErrors(cam1)).toMatch(/error reading header/);
        }
        // Only on a file the kill left whole: a torn last write would add to what is cut.
        const cam2 = join(media, 'cam2-001.mp4');
        const size2 = statSync(cam2).size;
        if (size2 === 0 || unitsOf(video).some((u) => u.offset + u.size === size2)) {
          appendFileSync(cam2, new Uint8Array(4096));
          torn.set('cam2', 4096);
        }
      }
      const t0 = performance.now();
      const core: Core = openCore({ dataDir: run.dataDir, log: () => undefined });
      const recoveryMs = performance.now() - t0;
      const client = connectInMemory(core);
      try {
        await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
        const session = await client.invoke('sessions.get', { id: run.sessionId });
        expect(session.status).toBe('interrupted');
        const status = await client.invoke('recording.status', { sessionId: run.sessionId });
        expect(status.segments).toHaveLength(3);
        const line: string[] = [];
        for (const seg of status.segments) {
          const isVideo = seg.kind === 'camera';
          const source = isVideo ? video : audio;
          const file = join(run.dataDir, seg.path);
          const kept = readFileSync(file);
          expect(seg.state).toBe('recovered');
          const cut = seg.recovery?.bytesCut ?? 0;
          // What was cut is kept beside the file, recorded with its hash: the seal copies it
          // with the segment and checks it.
          if (cut > 0)
            expect(seg.recovery?.cutFiles).toEqual([
              {
                path: `${seg.path}.cut-1`,
                sha256: createHash('sha256')
                  .update(readFileSync(`${file}.cut-1`))
                  .digest('hex'),
              },
            ]);
          if (torn.has(seg.sourceId)) expect(cut).toBe(torn.get(seg.sourceId));
          else {
            // A SIGKILL can tear one large write (the kernel stops between chunks for a fatal
            // signal): whatever was cut is the start of the source's next unit, shorter than it,
            // and kept byte for byte beside the file.
            const next = unitsOf(source).find((u) => u.offset === kept.length);
            if (cut > 0) {
              expect(next).toBeDefined();
              expect(cut).toBeLessThan(next!.size);
              const cutFile = readFileSync(`${file}.cut-1`);
              expect(
                Buffer.compare(
                  cutFile,
                  Buffer.from(source.subarray(kept.length, kept.length + cut)),
                ),
              ).toBe(0);
            }
          }
          // A byte-exact prefix of what was sent, ending on a whole unit of the source.
          expect(Buffer.compare(kept, Buffer.from(source.subarray(0, kept.length)))).toBe(0);
          const units = unitsOf(source);
          expect(kept.length === 0 || units.some((u) => u.offset + u.size === kept.length)).toBe(
            true,
          );
          expect(seg.bytes).toBe(kept.length);
          expect(seg.sha256).toBe(sha256sum(file));
          // Journal (after fsync) plus what recovery found beyond it: every unit of the file.
          const journal = await client.invoke('recording.fragments', {
            sessionId: run.sessionId,
            sourceId: seg.sourceId,
            segment: seg.segment,
          });
          expect(journal.map((f) => ({ kind: f.kind, offset: f.offset, size: f.size }))).toEqual(
            unitsOf(kept),
          );
          // Decodes without an error, and holds what had been sent to within 2 s.
          expect(decodeErrors(file)).toBe('');
          const sentBytes = run.sent.get(seg.sourceId) ?? 0;
          const table = isVideo ? fragments.video : fragments.audio;
          const sentSeconds = mediaSecondsWithin(table, sentBytes);
          const partial = table.find(
            (u) => u.kind === 'fragment' && u.offset < sentBytes && u.offset + u.size > sentBytes,
          );
          const sentWithPartial =
            sentSeconds +
            (partial ? (partial.seconds * (sentBytes - partial.offset)) / partial.size : 0);
          const decoded = kept.length > 0 ? Number(ffprobe(file).format.duration ?? 0) : 0;
          expect(decoded).toBeGreaterThanOrEqual(sentSeconds - 0.05);
          expect(Math.abs(decoded - sentWithPartial)).toBeLessThanOrEqual(2);
          line.push(
            `${seg.sourceId} ${decoded.toFixed(2)}s/${sentWithPartial.toFixed(2)}s cut ${seg.recovery?.bytesCut ?? 0}B`,
          );
        }
        const timeline = await client.invoke('recording.timeline', { sessionId: run.sessionId });
        expect(timeline.filter((e) => e.kind === 'segment.recovered')).toHaveLength(3);
        expect(timeline.at(-1)?.kind).toBe('session.interrupted');

        // The officer resumes with the reason (also stated aloud, R3.5); a new segment records.
        const resumed = await client.invoke('sessions.resume', {
          id: run.sessionId,
          reason: '工作站意外断电，恢复供电后继续录制',
        });
        expect(resumed.status).toBe('recording');
        const next = await client.invoke(
          'recording.openSegment',
          openInput(run.sessionId, 'cam1', 'camera', 30_000_000),
        );
        expect(next.segment).toBe(2);
        const three = unitsOf(video)[3]!;
        client.sendMedia(frame('cam1', 2, 0, video.subarray(0, three.offset + three.size)));
        const summary = await client.invoke('recording.closeSegment', {
          sessionId: run.sessionId,
          sourceId: 'cam1',
          segment: 2,
        });
        expect(summary.fragments).toBe(3);
        expect(decodeErrors(join(run.dataDir, next.path))).toBe('');
        report.push(
          `kill ${i + 1} after ${run.killedAfterMs.toFixed(0)} ms, recovery ${recoveryMs.toFixed(0)} ms: ${line.join('; ')}`,
        );
      } finally {
        client.close();
        core.close();
        rmSync(run.dataDir, { recursive: true, force: true });
      }
    }
    console.log(`[media] crash test\n${report.join('\n')}`);
  }, 240_000);
});

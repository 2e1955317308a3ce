/**
 * What crash recovery cut from a segment (`<file>.cut-N`, the torn tail of the last write)
 * is evidence too: the seal copies it with its segment, checked against the SHA-256 recorded
 * when it was cut, and refuses to seal when it has gone missing or changed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealBag, SealError } from '../../../electron/core/platform/bagit/bagit';
import { collectMediaFiles } from '../../../electron/core/features/sealing/files';
import type { SessionRecord } from '../../../electron/core/features/sealing/record';
import type { RecordedSegment } from '../../../electron/core/features/recording';
import { removeTempDirs, sampleSession, tempDir } from '../platform/bagit/fixtures';

const dataDir = mkdtempSync(join(tmpdir(), 'attest-cut-'));
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await removeTempDirs();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const media = join(dataDir, 'sessions', '1', 'media');
mkdirSync(media, { recursive: true });
const kept = Buffer.from('whole fragments');
const cut = Buffer.from('torn tail of the next moof');
writeFileSync(join(media, 'cam1-0001.mp4'), kept);
writeFileSync(join(media, 'cam1-0001.mp4.cut-1'), cut);
writeFileSync(join(media, 'mic1-0001.mp4.cut-1'), cut);

function segment(over: Partial<RecordedSegment>): RecordedSegment {
  return {
    sourceId: 'cam1',
    segment: 1,
    kind: 'camera',
    path: 'sessions/1/media/cam1-0001.mp4',
    state: 'recovered',
    bytes: kept.length,
    sha256: sha(kept),
    recovery: null,
    ...over,
  } as RecordedSegment;
}

const recovery = (file: string, hash: string | null) =>
  JSON.stringify({
    reason: 'the core stopped while writing',
    journaledBytes: 40,
    cutFiles: [file],
    ...(hash ? { cutFilesSha256: { [file]: hash } } : {}),
  });

const record = (segments: RecordedSegment[]) => ({ segments }) as unknown as SessionRecord;

describe('bytes cut by crash recovery', () => {
  it('are sealed with their segment, even when the segment kept nothing', async () => {
    const sources = await collectMediaFiles(
      dataDir,
      record([
        segment({ recovery: recovery('sessions/1/media/cam1-0001.mp4.cut-1', sha(cut)) }),
        segment({
          sourceId: 'mic1',
          kind: 'microphone',
          path: 'sessions/1/media/mic1-0001.mp4',
          bytes: 0,
          sha256: null,
          recovery: recovery('sessions/1/media/mic1-0001.mp4.cut-1', sha(cut)),
        }),
      ]),
    );
    expect(sources.map((s) => [s.name, s.expectedSha256])).toEqual([
      ['media/cam1-0001.mp4.cut-1', sha(cut)],
      ['media/mic1-0001.mp4.cut-1', sha(cut)],
      ['media/cam1-0001.mp4', sha(kept)],
    ]);
  });

  it('stop the seal when one has gone missing', async () => {
    await expect(
      collectMediaFiles(
        dataDir,
        record([segment({ recovery: recovery('sessions/1/media/cam1-0001.mp4.cut-2', null) })]),
      ),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('cam1-0001.mp4.cut-2 (kept by crash recovery, now missing)'),
    });
  });

  it('stop the seal when one changed since it was cut', async () => {
    const sources = await collectMediaFiles(
      dataDir,
      record([segment({ recovery: recovery('sessions/1/media/cam1-0001.mp4.cut-1', sha(kept)) })]),
    );
    const out = tempDir('attest-cut-archive-');
    const session = await sampleSession(out, { extraFiles: sources });
    const refused = sealBag(session.options);
    await expect(refused).rejects.toBeInstanceOf(SealError);
    await expect(refused).rejects.toThrow(/media\/cam1-0001\.mp4\.cut-1; they are not sealed/);
    expect(readdirSync(out)).toEqual([]);
  });
});

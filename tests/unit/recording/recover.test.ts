/**
 * Crash recovery of one file: a real fragmented MP4 cut at every kind of place a power cut
 * can leave it (inside the init, inside a moof header or body, inside an mdat, exactly on a
 * boundary, followed by zeros) is cut back to its last whole fragment, hashed, and then
 * decodes without error.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverSegmentFile } from '../../../electron/core/features/recording/media/recover';
import { decodeErrors, fragmentedVideo, topBoxes, unitsOf } from '../../helpers/media';

let video: Uint8Array;
let dir: string;
beforeAll(() => {
  video = readFileSync(fragmentedVideo(20));
  dir = mkdtempSync(join(tmpdir(), 'attest-recover-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('recoverSegmentFile', () => {
  it('cuts back to the last whole fragment wherever the file ends, and the result decodes', () => {
    const boxes = topBoxes(video);
    const units = unitsOf(video);
    const moof = boxes.filter((b) => b.type === 'moof')[6]!;
    const mdat = boxes.filter((b) => b.type === 'mdat')[6]!;
    const mfra = boxes.find((b) => b.type === 'mfra')!;
    const cases: [string, number][] = [
      ['inside ftyp', 10],
      ['inside moov', boxes[1]!.start + 100],
      ['right after the init', units[0]!.size],
      ['1 byte into a moof header', moof.start + 1],
      ['7 bytes into a moof header', moof.start + 7],
      ['inside a moof body', moof.start + 100],
      ['at the end of a moof', moof.start + moof.size],
      ['inside an mdat header', mdat.start + 5],
      ['inside an mdat', mdat.start + 5000],
      ['exactly at a fragment boundary', mdat.start + mdat.size],
      ['inside the mfra', mfra.start + 20],
      ['at the end', video.length],
    ];
    for (const [what, cut] of cases) {
      const file = join(dir, `cut-${cut}.mp4`);
      writeFileSync(file, video.subarray(0, cut));
      const r = recoverSegmentFile(file);
      const whole = [0, ...units.map((u) => u.offset + u.size)].filter((e) => e <= cut).at(-1)!;
      expect(r.wholeBytes, what).toBe(whole);
      expect(r.bytesCut, what).toBe(cut - whole);
      expect(statSync(file).size, what).toBe(whole);
      expect(r.sha256, what).toBe(sha(video.subarray(0, whole)));
      expect(r.problem === null, what).toBe(cut === whole);
      if (whole > units[0]!.size) expect(decodeErrors(file), what).toBe('');
    }
  });

  it('cuts zeros a power cut left after the last fragment, and leaves a whole file untouched', () => {
    const units = unitsOf(video);
    const end = units[5]!.offset + units[5]!.size;
    const file = join(dir, 'zeros.mp4');
    writeFileSync(file, Buffer.concat([video.subarray(0, end), new Uint8Array(8192)]));
    const r = recoverSegmentFile(file);
    expect(r).toMatchObject({ wholeBytes: end, bytesCut: 8192, fragments: 5 });
    expect(r.problem).toMatch(/no MP4 box/);
    expect(r.durationUs).toBe(5_000_000);
    const again = recoverSegmentFile(file);
    expect(again).toMatchObject({ wholeBytes: end, bytesCut: 0, problem: null, sha256: r.sha256 });
    expect(decodeErrors(file)).toBe('');
  });

  it('keeps every byte it cuts in a file beside the segment, also across a second recovery', () => {
    const units = unitsOf(video);
    const end = units[4]!.offset + units[4]!.size;
    const torn = video.subarray(end, end + 5_000); // the start of the next fragment, cut short
    const file = join(dir, 'kept.mp4');
    writeFileSync(file, Buffer.concat([video.subarray(0, end), torn]));
    const r = recoverSegmentFile(file);
    expect(r.bytesCut).toBe(5_000);
    expect(r.cutFiles).toEqual([`${file}.cut-1`]);
    expect(sha(readFileSync(`${file}.cut-1`))).toBe(sha(torn));
    expect(statSync(file).size).toBe(end);
    // A later recovery (the database record of the first one was lost in a crash) still
    // finds what was cut, and cuts nothing more.
    expect(recoverSegmentFile(file)).toMatchObject({ bytesCut: 0, cutFiles: [`${file}.cut-1`] });
  });

  it('lists the units it kept with their media time, as the journal records them', () => {
    const file = join(dir, 'whole.mp4');
    writeFileSync(file, video);
    const r = recoverSegmentFile(file);
    expect(r.units.map((u) => ({ kind: u.kind, offset: u.offset, size: u.size }))).toEqual(
      unitsOf(video),
    );
    const fragments = r.units.filter((u) => u.kind === 'fragment');
    expect(fragments.map((u) => u.decodeTimeUs)).toEqual(fragments.map((_, i) => i * 1_000_000));
    expect(r.durationUs).toBe(20_000_000);
  });
});

/**
 * The fragment assembler and the box parsing under it: real ffmpeg output cut at random,
 * and hand-made boxes for the edge cases (largesize, size 0, wrong order, oversize).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FragmentAssembler } from '../../../../electron/core/platform/media/assembler';
import {
  parseMoofTiming,
  parseMoov,
  readBoxHeader,
} from '../../../../electron/core/platform/media/boxes';
import {
  fragmentedAudio,
  fragmentedVideo,
  randomChunks,
  rng,
  topBoxes,
  unitsOf,
} from '../../../helpers/media';

let videoPath: string;
let video: Uint8Array;
let audio: Uint8Array;
beforeAll(() => {
  videoPath = fragmentedVideo(20);
  video = readFileSync(videoPath);
  audio = readFileSync(fragmentedAudio(20));
});

function box(type: string, body: Uint8Array | number = 0, large = false): Uint8Array {
  const payload = typeof body === 'number' ? new Uint8Array(body) : body;
  const head = large ? 16 : 8;
  const out = new Uint8Array(head + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, large ? 1 : out.length);
  out.set(new TextEncoder().encode(type), 4);
  if (large) v.setBigUint64(8, BigInt(out.length));
  out.set(payload, head);
  return out;
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

function feed(asm: FragmentAssembler, bytes: Uint8Array, rand: () => number, max: number) {
  const units = [];
  for (const c of randomChunks(bytes, rand, 1, max)) {
    const r = asm.append(c.offset, c.payload);
    if (!r.ok) throw new Error(r.message);
    units.push(...r.units);
  }
  return units;
}

describe('FragmentAssembler', () => {
  it.each([1, 2, 3, 4, 5])(
    'turns any chunking of a real fragmented MP4 into exactly its init, fragments and tail (seed %i)',
    (seed) => {
      for (const bytes of [video, audio]) {
        const asm = new FragmentAssembler();
        const rand = rng(seed);
        const units = feed(asm, bytes, rand, seed === 1 ? 64 : 200_000);
        const tail = asm.finish();
        expect(tail.discardedBytes).toBe(0);
        expect(
          units.map((u) => ({ kind: u.unit.kind, offset: u.unit.start, size: u.bytes.length })),
        ).toEqual(unitsOf(bytes));
        expect(Buffer.compare(Buffer.concat(units.map((u) => u.bytes)), Buffer.from(bytes))).toBe(
          0,
        );
        expect(asm.pendingBytes).toBe(0);
      }
    },
  );

  it('holds only the unit in progress, and reports what could not be made whole at the end', () => {
    const asm = new FragmentAssembler();
    const units = unitsOf(video);
    const cut = units[2]!.offset + 500;
    const r = asm.append(0, video.subarray(0, cut));
    expect(r.ok && r.units.map((u) => u.unit.kind)).toEqual(['init', 'fragment']);
    expect(asm.pendingBytes).toBe(500);
    expect(asm.expectedOffset).toBe(cut);
    expect(asm.finish()).toEqual({ unit: null, discardedBytes: 500 });
  });

  it('refuses gaps and overlaps, naming the expected offset, and keeps its state', () => {
    const asm = new FragmentAssembler();
    asm.append(0, video.subarray(0, 1000));
    expect(asm.append(1010, video.subarray(1010, 2000))).toEqual({
      ok: false,
      reason: 'gap',
      message: 'expected offset 1000, got 1010: 10 bytes are missing',
    });
    expect(asm.append(990, video.subarray(990, 2000))).toMatchObject({
      ok: false,
      reason: 'overlap',
    });
    expect(asm.append(1000, video.subarray(1000, 2000)).ok).toBe(true);
    expect(asm.expectedOffset).toBe(2000);
  });

  it('reads 64-bit largesize boxes and makes a trailing whole box a tail unit', () => {
    const init = cat(box('ftyp', 8), box('moov', 40));
    const frag = cat(box('moof', 32, true), box('mdat', 3000, true));
    const bytes = cat(init, frag, box('free', 10));
    const asm = new FragmentAssembler();
    const units = feed(asm, bytes, rng(9), 7);
    expect(units.map((u) => [u.unit.kind, u.unit.start, u.bytes.length])).toEqual([
      ['init', 0, init.length],
      ['fragment', init.length, frag.length],
    ]);
    const end = asm.finish();
    expect(end.unit?.unit.kind).toBe('tail');
    expect(end.discardedBytes).toBe(0);
  });

  it.each([
    [
      'a size-0 box (to end of file)',
      cat(
        box('ftyp', 8),
        box('moov', 8),
        (() => {
          const b = box('moof', 8);
          new DataView(b.buffer).setUint32(0, 0);
          return b;
        })(),
      ),
      /size 0/,
    ],
    [
      'a box shorter than its header',
      cat(box('ftyp', 8), new Uint8Array([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x76])),
      /shorter than its header/,
    ],
    ['media before the moov', cat(box('ftyp', 8), box('moof', 8)), /init segment is missing/],
    ['no ftyp first', cat(box('moov', 8)), /starts with ftyp/],
    [
      'an mdat without a moof',
      cat(box('ftyp', 8), box('moov', 8), box('mdat', 8)),
      /without a moof/,
    ],
    [
      'two moofs in a row',
      cat(box('ftyp', 8), box('moov', 8), box('moof', 8), box('moof', 8)),
      /two moof/,
    ],
    ['a second moov', cat(box('ftyp', 8), box('moov', 8), box('moov', 8)), /second moov/],
    [
      'bytes that are no box',
      new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVE'),
      /no MP4 box|shorter/,
    ],
  ])('refuses %s, whole, and stays where it was', (_what, bytes, message) => {
    const asm = new FragmentAssembler();
    const r = asm.append(0, bytes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('format');
    expect(!r.ok && r.message).toMatch(message);
    expect(asm.expectedOffset).toBe(0);
    expect(asm.pendingBytes).toBe(0);
    // The stream can still start properly afterwards.
    const good = asm.append(0, video.subarray(0, unitsOf(video)[1]!.offset));
    expect(good.ok && good.units.length).toBe(1);
  });

  it('refuses a unit over the size limit as soon as its header says so', () => {
    const asm = new FragmentAssembler({ maxUnitBytes: 100_000 });
    const bytes = cat(box('ftyp', 8), box('moov', 8), box('moof', 8), box('mdat', 200_000));
    const r = asm.append(0, bytes.subarray(0, 80));
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });
});

describe('box timing', () => {
  it('reads track timescales from moov and each fragment decode time and duration from moof', () => {
    const boxes = topBoxes(video);
    const moov = boxes.find((b) => b.type === 'moov')!;
    const tracks = parseMoov(video.subarray(moov.start, moov.start + moov.size));
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ trackId: 1, handler: 'vide' });
    const moofs = boxes.filter((b) => b.type === 'moof');
    const timing = moofs.map((m) =>
      parseMoofTiming(video.subarray(m.start, m.start + m.size), tracks)!,
    );
    // One keyframe a second at 30 fps: fragments of exactly 1 s, back to back from 0.
    expect(timing[0]!.startUs).toBe(0);
    for (const [i, t] of timing.entries()) {
      expect(t.endUs - t.startUs).toBe(1_000_000);
      if (i > 0) expect(t.startUs).toBe(timing[i - 1]!.endUs);
    }
    // ffprobe agrees on the total.
    const duration = Number(
      execFileSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', videoPath],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(timing.at(-1)!.endUs / 1e6).toBeCloseTo(duration, 2);
  });

  it('asks for more bytes rather than guess at a header cut short', () => {
    expect(readBoxHeader(new Uint8Array([0, 0, 0]), 0)).toEqual({ ok: false, need: 8 });
    const large = box('mdat', 4, true).subarray(0, 12);
    expect(readBoxHeader(large, 0)).toEqual({ ok: false, need: 16 });
  });
});

/**
 * The live room's RTP from the recorder's own frames: an ffmpeg clip packetized (RFC 6184),
 * carried and put back together gives the same NAL units, and ffprobe decodes every frame of
 * it; each key frame carries the parameter sets; Opus is one packet a frame.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  depacketizeH264,
  h264Packets,
  nalUnitsOf,
  opusPacket,
  parameterSetsOf,
  RTP_PAYLOAD_BYTES,
  rtpStream,
} from '../../../electron/core/platform/sfu/rtp';
import { annexBOf, h264Clip, opusTone } from '../../helpers/live-media';

describe('RTP from encoded frames', () => {
  const clip = h264Clip(2, 1280, 720);

  it('carries every NAL unit whole, and the stream decodes frame for frame', () => {
    const stream = rtpStream(102, 0x1234abcd, 90_000);
    const sets = parameterSetsOf(clip.avcc);
    expect(sets.lengthSize).toBe(4);
    expect(sets.units.map((u) => u[0]! & 0x1f)).toEqual([7, 8]);
    const packets: Buffer[] = [];
    const sent: Uint8Array[] = [];
    let keyFrames = 0;
    let lastSeq = -1;
    for (const f of clip.frames) {
      const units = nalUnitsOf(f.data);
      const withSets = f.key ? [...sets.units, ...units] : units;
      sent.push(...withSets);
      const out = h264Packets(stream, f.ts, units, f.key ? sets.units : []);
      if (f.key) keyFrames++;
      // One time stamp a frame (90 kHz), the marker on its last packet only.
      for (const [i, p] of out.entries()) {
        expect(p.readUInt32BE(4)).toBe(Math.round((f.ts * 90_000) / 1e6));
        expect((p[1]! & 0x80) !== 0).toBe(i === out.length - 1);
        expect(p.length).toBeLessThanOrEqual(12 + RTP_PAYLOAD_BYTES);
        const seq = p.readUInt16BE(2);
        if (lastSeq >= 0) expect(seq).toBe((lastSeq + 1) & 0xffff);
        lastSeq = seq;
      }
      packets.push(...out);
    }
    expect(keyFrames).toBe(2);
    // Frames of 720p are larger than a packet: fragments were made.
    expect(packets.some((p) => (p[12]! & 0x1f) === 28)).toBe(true);
    const units = depacketizeH264(packets);
    expect(units.length).toBe(sent.length);
    units.forEach((u, i) => expect(Buffer.compare(Buffer.from(u), Buffer.from(sent[i]!))).toBe(0));

    const dir = mkdtempSync(join(tmpdir(), 'attest-rtp-'));
    try {
      const file = join(dir, 'back.h264');
      writeFileSync(file, annexBOf(units));
      const probe = JSON.parse(
        execFileSync('ffprobe', [
          ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
          ...['-show_entries', 'stream=codec_name,profile,width,height,nb_read_frames'],
          ...['-of', 'json', file],
        ]).toString(),
      ) as {
        streams: {
          codec_name: string;
          profile: string;
          width: number;
          height: number;
          nb_read_frames: string;
        }[];
      };
      expect(probe.streams[0]).toMatchObject({
        codec_name: 'h264',
        profile: 'High',
        width: 1280,
        height: 720,
      });
      expect(Number(probe.streams[0]!.nb_read_frames)).toBe(clip.frames.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged frame rather than sending it', () => {
    const good = clip.frames[1]!.data;
    expect(() => nalUnitsOf(good.subarray(0, good.length - 3))).toThrow(/runs past/);
    expect(() => parameterSetsOf(clip.avcc.subarray(0, 9))).toThrow(/truncated/);
    expect(() => parameterSetsOf(Uint8Array.from([2, 0, 0, 0, 0, 0, 0]))).toThrow(/not an avcC/);
  });

  it('sends Opus one frame a packet on the 48 kHz clock', () => {
    const tone = opusTone(1);
    // One second is 50 frames of 20 ms; the encoder's look-ahead (pre-skip) can add one.
    expect(tone.length).toBeGreaterThanOrEqual(50);
    expect(tone.length).toBeLessThanOrEqual(51);
    const stream = rtpStream(100, 7, 48_000);
    const packets = tone.map((f) => opusPacket(stream, f.ts, f.data));
    expect(packets.map((p) => p.readUInt32BE(4) - packets[0]!.readUInt32BE(4))).toEqual(
      tone.map((_, i) => i * 960),
    );
    packets.forEach((p, i) =>
      expect(Buffer.compare(p.subarray(12), Buffer.from(tone[i]!.data))).toBe(0),
    );
  });
});

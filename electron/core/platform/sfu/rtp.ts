/**
 * RTP packets from the recorder's own encoded frames, so the live room forwards what the
 * workstation already encodes and nothing is encoded twice: H.264 as RFC 6184 (single NAL
 * unit packets and FU-A fragments, packetization-mode 1), Opus as RFC 7587 (one frame a
 * packet). Pure: frames in, packets out.
 */

/** Payload size of one RTP packet: under a 1,200-byte path MTU with IP, UDP and SRTP. */
export const RTP_PAYLOAD_BYTES = 1100;
const HEADER_BYTES = 12;

export interface RtpStream {
  payloadType: number;
  ssrc: number;
  clockRate: number;
  /** Next sequence number (16 bits, wraps). */
  sequence: number;
}

export function rtpStream(payloadType: number, ssrc: number, clockRate: number): RtpStream {
  // A random first sequence number, as RFC 3550 asks.
  return { payloadType, ssrc, clockRate, sequence: Math.floor(Math.random() * 0x10000) };
}

/** The RTP time stamp of a frame's presentation time (µs) on the stream's clock, 32 bits. */
export function rtpTime(stream: RtpStream, timestampUs: number): number {
  return Math.round((timestampUs * stream.clockRate) / 1_000_000) >>> 0;
}

function packet(stream: RtpStream, marker: boolean, time: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out[0] = 0x80; // version 2, no padding, no extension, no CSRC
  out[1] = (marker ? 0x80 : 0) | (stream.payloadType & 0x7f);
  out.writeUInt16BE(stream.sequence, 2);
  out.writeUInt32BE(time, 4);
  out.writeUInt32BE(stream.ssrc >>> 0, 8);
  out.set(payload, HEADER_BYTES);
  stream.sequence = (stream.sequence + 1) & 0xffff;
  return out;
}

/**
 * The NAL units of a frame in the length-prefixed form WebCodecs gives (`avc` format,
 * 4-byte lengths). Throws on a length that runs past the frame (a damaged frame is not sent).
 */
export function nalUnitsOf(frame: Uint8Array, lengthSize = 4): Uint8Array[] {
  const units: Uint8Array[] = [];
  let at = 0;
  while (at < frame.length) {
    if (at + lengthSize > frame.length) throw new Error('truncated NAL unit length');
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + frame[at + i]!;
    at += lengthSize;
    if (length === 0 || at + length > frame.length) throw new Error('NAL unit runs past the frame');
    units.push(frame.subarray(at, at + length));
    at += length;
  }
  return units;
}

/**
 * The parameter sets (SPS, PPS) and the NAL length size of an `avcC` record (ISO 14496-15),
 * the decoder configuration WebCodecs gives with the first frame.
 */
export function parameterSetsOf(avcc: Uint8Array): { units: Uint8Array[]; lengthSize: number } {
  if (avcc.length < 7 || avcc[0] !== 1) throw new Error('not an avcC record');
  const lengthSize = (avcc[4]! & 0x03) + 1;
  const units: Uint8Array[] = [];
  let at = 5;
  const read = (count: number): void => {
    for (let i = 0; i < count; i++) {
      if (at + 2 > avcc.length) throw new Error('truncated avcC record');
      const length = (avcc[at]! << 8) | avcc[at + 1]!;
      at += 2;
      if (at + length > avcc.length) throw new Error('truncated avcC record');
      units.push(avcc.subarray(at, at + length));
      at += length;
    }
  };
  read(avcc[at++]! & 0x1f);
  if (at >= avcc.length) throw new Error('truncated avcC record');
  read(avcc[at++]!);
  return { units, lengthSize };
}

/**
 * One H.264 frame as RTP packets; a key frame is preceded by the parameter sets so a viewer
 * who joins at it can decode. The last packet of the frame carries the marker bit.
 */
export function h264Packets(
  stream: RtpStream,
  timestampUs: number,
  units: readonly Uint8Array[],
  parameterSets: readonly Uint8Array[] = [],
): Buffer[] {
  const time = rtpTime(stream, timestampUs);
  const all = [...parameterSets, ...units];
  const out: Buffer[] = [];
  all.forEach((unit, index) => {
    const last = index === all.length - 1;
    if (unit.length <= RTP_PAYLOAD_BYTES) {
      out.push(packet(stream, last, time, unit));
      return;
    }
    // FU-A: the NAL header's F and NRI bits with type 28, then a header per fragment.
    const indicator = (unit[0]! & 0xe0) | 28;
    const type = unit[0]! & 0x1f;
    const body = unit.subarray(1);
    const step = RTP_PAYLOAD_BYTES - 2;
    for (let at = 0; at < body.length; at += step) {
      const start = at === 0;
      const end = at + step >= body.length;
      const chunk = body.subarray(at, at + step);
      const payload = new Uint8Array(2 + chunk.length);
      payload[0] = indicator;
      payload[1] = (start ? 0x80 : 0) | (end ? 0x40 : 0) | type;
      payload.set(chunk, 2);
      out.push(packet(stream, last && end, time, payload));
    }
  });
  return out;
}

/** One Opus frame as one RTP packet (RFC 7587: the clock is 48 kHz whatever the rate). */
export function opusPacket(stream: RtpStream, timestampUs: number, frame: Uint8Array): Buffer {
  return packet(stream, false, rtpTime(stream, timestampUs), frame);
}

/**
 * The NAL units carried by a run of RTP packets of one stream (the reverse, for checks and
 * for a viewer that records): single NAL unit packets and FU-A fragments, in sequence order.
 */
export function depacketizeH264(packets: readonly Uint8Array[]): Uint8Array[] {
  const units: Uint8Array[] = [];
  let pending: number[] | null = null;
  for (const p of packets) {
    const cc = p[0]! & 0x0f;
    const extension = (p[0]! & 0x10) !== 0;
    let at = HEADER_BYTES + cc * 4;
    if (extension) at += 4 + ((p[at + 2]! << 8) | p[at + 3]!) * 4;
    const payload = p.subarray(at);
    const type = payload[0]! & 0x1f;
    if (type === 28) {
      const fu = payload[1]!;
      if (fu & 0x80) pending = [(payload[0]! & 0xe0) | (fu & 0x1f)];
      if (pending) for (const b of payload.subarray(2)) pending.push(b);
      if (fu & 0x40 && pending) {
        units.push(Uint8Array.from(pending));
        pending = null;
      }
    } else if (type === 24) {
      let s = 1;
      while (s + 2 <= payload.length) {
        const length = (payload[s]! << 8) | payload[s + 1]!;
        units.push(payload.slice(s + 2, s + 2 + length));
        s += 2 + length;
      }
    } else units.push(payload.slice());
  }
  return units;
}

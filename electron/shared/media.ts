/**
 * Binary media frames: encoded media travels from the renderer (where the cameras and
 * microphones are opened) to the core (which writes it) beside the JSON contract, on the
 * same transport: a binary WebSocket message in the web host, an ArrayBuffer over IPC in
 * the app. Layout: 4-byte big-endian header length, the header as UTF-8 JSON, the payload.
 *
 * The payload of a `data` frame is a run of whole top-level MP4 boxes or part of one; the
 * core reassembles boxes and writes each complete fragment (moof + mdat) in one write.
 */
import { z } from 'zod';

/** Largest media frame (header + payload). A 1 s fragment of 1080p H.264 is well under this. */
export const MAX_MEDIA_FRAME_BYTES = 8 * 1024 * 1024;
export const MAX_MEDIA_HEADER_BYTES = 4096;

export const mediaHeaderSchema = z
  .object({
    /** The recording source (one camera, one microphone, or the program file). */
    sourceId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    /** Segment number of this source: a new file every 10–15 minutes and after each rejoin. */
    segment: z.number().int().min(0).max(100_000),
    /** Byte offset of this payload in the segment's file, so a lost or repeated frame is detected. */
    offset: z.number().int().min(0),
  })
  .strict();
export type MediaHeader = z.infer<typeof mediaHeaderSchema>;

export function encodeMediaFrame(header: MediaHeader, payload: Uint8Array): Uint8Array {
  return encodeFrame(header, payload);
}

function encodeFrame(header: object, payload: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + head.length + payload.length);
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  out.set(payload, 4 + head.length);
  return out;
}

/**
 * A live frame: one encoded frame (an H.264 access unit in WebCodecs' length-prefixed form, or
 * one Opus packet) the desk forwards to the live room as it leaves the encoder. It is not
 * written anywhere; the recording travels in the `data` frames above.
 */
export const liveFrameHeaderSchema = z
  .object({
    live: z.enum(['video', 'audio']),
    sourceId: mediaHeaderSchema.shape.sourceId,
    /** Presentation time of the frame, µs on the source's own clock. */
    ts: z.number().int().min(0),
    key: z.boolean().optional(),
    /** With each video key frame: the decoder configuration (avcC record), base64. */
    avcc: z
      .string()
      .max(2048)
      .regex(/^[A-Za-z0-9+/=]+$/)
      .optional(),
  })
  .strict();
export type LiveFrameHeader = z.infer<typeof liveFrameHeaderSchema>;

export function encodeLiveFrame(header: LiveFrameHeader, payload: Uint8Array): Uint8Array {
  return encodeFrame(header, payload);
}

export type DecodedMediaFrame =
  { ok: true; header: MediaHeader; payload: Uint8Array } | { ok: false; message: string };

export type DecodedFrame =
  | { ok: true; kind: 'data'; header: MediaHeader; payload: Uint8Array }
  | { ok: true; kind: 'live'; header: LiveFrameHeader; payload: Uint8Array }
  | { ok: false; message: string };

/** A frame of either kind, told apart by its header (`live` names a live frame). */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  const raw = rawHeaderOf(frame);
  if (!raw.ok) return raw;
  const payload = frame.subarray(raw.end);
  if (typeof raw.value === 'object' && raw.value !== null && 'live' in raw.value) {
    const header = liveFrameHeaderSchema.safeParse(raw.value);
    if (!header.success) return { ok: false, message: 'live frame header is not valid' };
    return { ok: true, kind: 'live', header: header.data, payload };
  }
  const header = mediaHeaderSchema.safeParse(raw.value);
  if (!header.success) return { ok: false, message: 'media frame header is not valid' };
  return { ok: true, kind: 'data', header: header.data, payload };
}

export function decodeMediaFrame(frame: Uint8Array): DecodedMediaFrame {
  const decoded = decodeFrame(frame);
  if (!decoded.ok) return decoded;
  if (decoded.kind !== 'data') return { ok: false, message: 'media frame header is not valid' };
  return { ok: true, header: decoded.header, payload: decoded.payload };
}

function rawHeaderOf(
  frame: Uint8Array,
): { ok: true; value: unknown; end: number } | { ok: false; message: string } {
  if (frame.length > MAX_MEDIA_FRAME_BYTES) return { ok: false, message: 'media frame too large' };
  if (frame.length < 4) return { ok: false, message: 'media frame too short' };
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (headLength > MAX_MEDIA_HEADER_BYTES || 4 + headLength > frame.length) {
    return { ok: false, message: 'bad media frame header length' };
  }
  try {
    const value: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headLength)),
    );
    return { ok: true, value, end: 4 + headLength };
  } catch {
    return { ok: false, message: 'media frame header is not JSON' };
  }
}

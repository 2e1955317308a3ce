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
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + head.length + payload.length);
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  out.set(payload, 4 + head.length);
  return out;
}

export type DecodedMediaFrame =
  { ok: true; header: MediaHeader; payload: Uint8Array } | { ok: false; message: string };

export function decodeMediaFrame(frame: Uint8Array): DecodedMediaFrame {
  if (frame.length > MAX_MEDIA_FRAME_BYTES) return { ok: false, message: 'media frame too large' };
  if (frame.length < 4) return { ok: false, message: 'media frame too short' };
  const headLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
  if (headLength > MAX_MEDIA_HEADER_BYTES || 4 + headLength > frame.length) {
    return { ok: false, message: 'bad media frame header length' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headLength)),
    );
  } catch {
    return { ok: false, message: 'media frame header is not JSON' };
  }
  const header = mediaHeaderSchema.safeParse(raw);
  if (!header.success) return { ok: false, message: 'media frame header is not valid' };
  return { ok: true, header: header.data, payload: frame.subarray(4 + headLength) };
}

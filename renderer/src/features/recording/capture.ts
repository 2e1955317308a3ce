/**
 * Reading devices in the page: the offset between the cameras' clock and the page's, and
 * microphone buffers posted to an encoder worker.
 */

/** Microphones as they are: no processing that would change what was said. */
export const AUDIO_CONSTRAINTS = {
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
};

/**
 * The system monotonic clock (VideoFrame.timestamp) minus the page's performance.now(),
 * in µs. A frame is always stamped before it arrives, so `timestamp - now` at arrival is a
 * lower bound; the largest over a few frames is within about a millisecond of the truth.
 */
export async function estimateVideoClockOffsetUs(
  track: MediaStreamTrack,
  frames = 12,
): Promise<number> {
  return (await probeVideo(track, frames)).offsetUs;
}

/**
 * Reads `count` frames or buffers of a clone of the track: the largest `timestamp - now`
 * (the offset of its clock from the page's), each one shown to `each` first.
 */
async function clockOffsetOf<T extends VideoFrame | AudioData>(
  track: MediaStreamTrack,
  count: number,
  each: (x: T) => void = () => {},
): Promise<number> {
  const probe = track.clone();
  const reader = (
    new MediaStreamTrackProcessor({ track: probe }).readable as ReadableStream<T>
  ).getReader();
  let best = -Infinity;
  try {
    for (let i = 0; i < count; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      best = Math.max(best, value.timestamp - performance.now() * 1000);
      each(value);
      value.close();
    }
  } finally {
    await reader.cancel().catch(() => {});
    probe.stop();
  }
  if (!Number.isFinite(best)) throw new Error(`the ${track.kind} track delivered nothing`);
  return best;
}

/** The clock offset (as above) and the size of the pictures a track delivers. */
export async function probeVideo(
  track: MediaStreamTrack,
  frames = 12,
): Promise<{ offsetUs: number; width: number; height: number }> {
  let width = 0;
  let height = 0;
  const offsetUs = await clockOffsetOf<VideoFrame>(track, frames, (f) => {
    width = f.displayWidth;
    height = f.displayHeight;
  });
  return { offsetUs, width, height };
}

/**
 * A sound track's clock minus the page's performance.now(), in µs, measured the same way
 * (a buffer is stamped before it arrives). A remote participant's sound is stamped as it is
 * received, on a clock that need not be the page's.
 */
export function estimateAudioClockOffsetUs(track: MediaStreamTrack, buffers = 12): Promise<number> {
  return clockOffsetOf<AudioData>(track, buffers);
}

/**
 * Reads a microphone in the page and posts each buffer to the worker through a port: a
 * transferred MediaStreamTrackProcessor stream adds a lasting latency of 0.1–2.6 s.
 */
export function pumpAudio(track: MediaStreamTrack): MessagePort {
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  const { port1, port2 } = new MessageChannel();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) break;
      port1.postMessage(value);
      value.close();
    }
    port1.postMessage(null);
    port1.close();
  })();
  return port2;
}

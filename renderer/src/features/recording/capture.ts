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
  const probe = track.clone();
  const reader = new MediaStreamTrackProcessor({ track: probe }).readable.getReader();
  let best = -Infinity;
  try {
    for (let i = 0; i < frames; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      best = Math.max(best, value.timestamp - performance.now() * 1000);
      value.close();
    }
  } finally {
    await reader.cancel().catch(() => {});
    probe.stop();
  }
  if (!Number.isFinite(best)) throw new Error('the camera delivered no frames');
  return best;
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

/**
 * A remote participant's pictures, stamped by when they were taken rather than when they
 * arrived: WebRTC delivers each frame with the sender's RTP time stamp (90 kHz, the sender's
 * capture clock) after a network and jitter-buffer delay that varies from frame to frame.
 * Stamped on arrival, the file would carry that jitter (tens to hundreds of ms); stamped
 * here, each frame sits at its RTP time plus the smallest delay seen over the last few
 * seconds, which follows the slow drift between the two machines' clocks and nothing else.
 */

/** How far back the smallest delay is looked for. */
const WINDOW_US = 10_000_000;
/** RTP's video clock. */
const VIDEO_RATE = 90_000;

export class SenderClock {
  private lastRtp: number | null = null;
  /** RTP ticks since the first frame, unwrapped across the 32-bit rollover. */
  private ticks = 0;
  private readonly seen: { arrivalUs: number; delayUs: number }[] = [];
  private lastUs = -Infinity;

  /**
   * The frame's time on the local capture clock: `arrivalUs` (its own time stamp) when it
   * carries no RTP time, else its RTP time plus the smallest recent delay; never earlier
   * than the frame before it.
   */
  stamp(arrivalUs: number, rtpTimestamp: number | undefined): number {
    if (rtpTimestamp === undefined) return this.monotonic(arrivalUs);
    if (this.lastRtp !== null) {
      let step = (rtpTimestamp - this.lastRtp) >>> 0;
      if (step > 0x7fffffff) step -= 0x100000000;
      this.ticks += step;
    }
    this.lastRtp = rtpTimestamp;
    const senderUs = (this.ticks * 1e6) / VIDEO_RATE;
    this.seen.push({ arrivalUs, delayUs: arrivalUs - senderUs });
    while (this.seen[0]!.arrivalUs < arrivalUs - WINDOW_US) this.seen.shift();
    let least = Infinity;
    for (const s of this.seen) least = Math.min(least, s.delayUs);
    return this.monotonic(Math.round(senderUs + least));
  }

  private monotonic(us: number): number {
    const out = Math.max(us, this.lastUs + 1);
    this.lastUs = out;
    return out;
  }
}

/** The RTP time stamp Chromium gives a frame that came over WebRTC (undefined otherwise). */
export function rtpTimestampOf(frame: VideoFrame): number | undefined {
  const metadata = (frame as unknown as { metadata?: () => { rtpTimestamp?: number } }).metadata;
  const rtp = typeof metadata === 'function' ? metadata.call(frame).rtpTimestamp : undefined;
  return typeof rtp === 'number' ? rtp : undefined;
}

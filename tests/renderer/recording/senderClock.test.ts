import { describe, expect, it } from 'vitest';
import { SenderClock } from '../../../renderer/src/features/recording/senderClock';

/** 30 fps on RTP's 90 kHz clock: 3,000 ticks a frame, 33,333 µs. */
const TICKS = 3000;
const FRAME_US = 1e6 / 30;

describe("a remote participant's pictures stamped by the sender's clock", () => {
  it('takes the jitter out: each frame at its RTP time plus the smallest delay seen', () => {
    const clock = new SenderClock();
    const delays = [80, 20, 140, 35, 260, 20, 90, 45, 20, 300].map((ms) => ms * 1000);
    const stamped = delays.map((d, i) =>
      clock.stamp(5_000_000 + i * FRAME_US + d, 1_000 + i * TICKS),
    );
    const steps = stamped.slice(1).map((s, i) => s - stamped[i]!);
    // Once the smallest delay has been seen (frame 1; frame 0 arrived 60 ms later than it
    // could have, and frame 1 is not stamped before it), frames from the third on are one frame
    // apart.
    for (const s of steps.slice(2)) expect(Math.abs(s - FRAME_US)).toBeLessThan(1);
    // Arrival stamps would have wandered by up to 280 ms.
    expect(Math.abs(stamped.at(-1)! - stamped[2]! - 7 * FRAME_US)).toBeLessThan(1);
  });

  it('follows the RTP time stamp across its 32-bit rollover', () => {
    const clock = new SenderClock();
    const start = 0xffffffff - TICKS;
    const a = clock.stamp(1_000_000, start);
    const b = clock.stamp(1_000_000 + FRAME_US, (start + TICKS) >>> 0);
    const c = clock.stamp(1_000_000 + 2 * FRAME_US, (start + 2 * TICKS) >>> 0);
    expect(Math.abs(b - a - FRAME_US)).toBeLessThan(1);
    expect(Math.abs(c - b - FRAME_US)).toBeLessThan(1);
  });

  it('keeps the arrival time for a frame without an RTP time, and never goes back', () => {
    const clock = new SenderClock();
    expect(clock.stamp(2_000_000, undefined)).toBe(2_000_000);
    expect(clock.stamp(1_999_000, undefined)).toBe(2_000_001);
  });

  it('lets a smaller delay go after the window, so a clock that drifts is followed', () => {
    const clock = new SenderClock();
    // One lucky frame with a 5 ms delay, then 60 ms delays for 20 s.
    clock.stamp(5_000, 0);
    let last = 0;
    for (let i = 1; i <= 600; i++) last = clock.stamp(i * FRAME_US + 60_000, i * TICKS);
    // After the 10 s window the lucky frame no longer sets the delay.
    expect(last - 600 * FRAME_US).toBeCloseTo(60_000, -1);
  });
});

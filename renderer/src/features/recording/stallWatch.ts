/**
 * When a picture source has stopped delivering frames while its device still says it is
 * live. A camera that freezes without ending is the worst failure for evidence: the file
 * goes on, empty, and nobody sees it. The engine watches each picture worker's frame count
 * and, once it stands still for {@link STALL_MS}, reads the device afresh (then opens it
 * again), and says so on the session's timeline.
 */

/** No new frame for this long (at 30 fps, 75 frames) is a stall, not jitter or a slow encoder. */
export const STALL_MS = 2500;

export interface FrameProgress {
  /** The worker's frames read, as last seen. */
  framesIn: number;
  /** When that count last grew (or the worker started), page clock ms. */
  since: number;
  /** Recovery attempts since frames last came; 0 while frames come. */
  attempts: number;
  /** When the latest attempt finished (page clock ms). */
  attemptEndedAt: number;
  /** When the attempt still in progress began (page clock ms); null when none is. */
  inFlightSince: number | null;
}

/**
 * The longest an attempt is waited for before the next one is made anyway: opening a camera
 * takes seconds on a loaded machine, but one that never answers must not end the recovery.
 */
export const ATTEMPT_LIMIT_MS = 4 * STALL_MS;

export function newProgress(now: number): FrameProgress {
  return { framesIn: 0, since: now, attempts: 0, attemptEndedAt: 0, inFlightSince: null };
}

/**
 * Notes a worker's frame count. Returns how long the source had been stalled when frames
 * come again after a recovery attempt (ms), otherwise null.
 */
export function noteFrames(p: FrameProgress, framesIn: number, now: number): number | null {
  if (framesIn <= p.framesIn) return null;
  const stalledMs = p.attempts > 0 ? now - p.since : null;
  p.framesIn = framesIn;
  p.since = now;
  p.attempts = 0;
  return stalledMs;
}

/**
 * What to do now: nothing, read the device afresh (a new reader on the same device), or
 * open the device again (the fresh reader got nothing either). Each attempt is given
 * {@link STALL_MS} from when it finished (a device opened slowly gets its time to deliver,
 * rather than being closed by the next attempt while it starts); after `maxAttempts` the
 * source is left as it is (and said to be stalled).
 */
export function recoveryDue(
  p: FrameProgress,
  now: number,
  maxAttempts = 5,
): 'none' | 'reread' | 'reopen' {
  if (now - p.since < STALL_MS) return 'none';
  if (p.attempts >= maxAttempts) return 'none';
  if (p.inFlightSince !== null && now - p.inFlightSince < ATTEMPT_LIMIT_MS) return 'none';
  if (p.attempts > 0 && now - p.attemptEndedAt < STALL_MS) return 'none';
  return p.attempts === 0 ? 'reread' : 'reopen';
}

export function noteAttempt(p: FrameProgress, now: number): void {
  p.attempts++;
  p.inFlightSince = now;
}

/** The attempt made last has done what it could (the device opened, or failed to). */
export function noteAttemptDone(p: FrameProgress, now: number): void {
  p.inFlightSince = null;
  p.attemptEndedAt = now;
}

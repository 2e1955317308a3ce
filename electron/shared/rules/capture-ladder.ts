/**
 * The capture ladder: what the recorder gives up when the machine cannot keep every source at
 * full rate, decided before frames are lost rather than after. The close-up of the interviewee
 * (or the hearing bench, when there is no close-up) and the program keep their full rate; the
 * other pictures step down one rung at a time (a lower frame rate, then a smaller picture,
 * chosen and recorded) and step back up once the pressure is gone. Pressure is read early, from each encoder's queue
 * and how long a frame takes to come out of it.
 *
 * Pure: the recording engine runs it once a second with the workers' figures, and the core
 * checks every step it is told of against the same rungs.
 */
import type { SourceRole } from '../domain';

/** The rungs, as fractions of a source's full frame rate (30 → 20 → 15 → 10 fps). */
export const LADDER_RUNGS = [1, 2 / 3, 1 / 2, 1 / 3, 1 / 3] as const;
/**
 * The picture's scale at each rung: the last halves its width and height (1280×720 →
 * 640×360), which takes a new file, so every source changes file at that instant.
 */
export const LADDER_SCALES = [1, 1, 1, 1, 1 / 2] as const;
export const BOTTOM_RUNG = LADDER_RUNGS.length - 1;

export function scaleAt(rung: number): number {
  return LADDER_SCALES[rung] ?? 1;
}

/** A picture source the ladder looks after: a camera by its role, or the program. */
export interface LadderSource {
  sourceId: string;
  role: SourceRole | 'program';
  /** The frame rate it was opened at. */
  fullFps: number;
}

/** What a worker measured over the last second. */
export interface PressureSample {
  sourceId: string;
  /** The deepest the encoder's queue was (frames). */
  queueMax: number;
  /** The longest a frame took from `encode` to its encoded chunk (ms). */
  latencyMaxMs: number;
  /** The longest from a frame's capture to its encoded chunk, through every queue (ms). */
  delayMaxMs?: number;
}

/** A queue this deep, or a frame this many intervals late, is pressure. */
export const QUEUE_PRESSED = 3;
/**
 * A queue this deep is urgent: a step every second, without waiting, until it drains (the
 * encoder drops frames at random once its queue reaches 30).
 */
export const QUEUE_URGENT = 8;
export const LATENCY_PRESSED_INTERVALS = 1.2;
/**
 * A frame this long from capture to its encoded chunk is pressure however short the encoder's
 * queue (frames waiting before the encoder); calm is at most half of it.
 */
export const DELAY_PRESSED_MS = 400;
/** At most this deep and this late on every source is calm. */
export const QUEUE_CALM = 1;
export const LATENCY_CALM_INTERVALS = 0.7;
/** Seconds of pressure before a step down, and of calm before a step up. */
export const PRESSED_TICKS = 2;
export const CALM_TICKS = 10;
/** The least time between two steps (ms), so each step is seen to work before the next. */
export const MIN_STEP_GAP_MS = 2_000;

/** Steps the sources take, least important first; the keepers never step. */
const STEP_PRIORITY: Record<SourceRole | 'program', number> = {
  other: 0,
  ambient: 0,
  desk_document: 1,
  room_wide: 2,
  hearing_bench: 3,
  interviewee_closeup: 4,
  program: 5,
};

/**
 * Which sources keep their full rate: the program, and the close-up of the interviewee (or,
 * where no source has that role, the hearing bench: the picture of who is speaking).
 */
export function keepers(sources: readonly LadderSource[]): Set<string> {
  const keep = new Set(sources.filter((s) => s.role === 'program').map((s) => s.sourceId));
  const main =
    sources.find((s) => s.role === 'interviewee_closeup') ??
    sources.find((s) => s.role === 'hearing_bench');
  if (main) keep.add(main.sourceId);
  return keep;
}

export function fpsAt(fullFps: number, rung: number): number {
  return Math.round(fullFps * LADDER_RUNGS[rung]! * 100) / 100;
}

/** The rung of a rate and scale (the nearest rate, for one measured rather than set). */
export function rungOf(fullFps: number, fps: number, scale = 1): number {
  let best = -1;
  LADDER_RUNGS.forEach((_, i) => {
    if (LADDER_SCALES[i] !== scale) return;
    if (best < 0 || Math.abs(fpsAt(fullFps, i) - fps) < Math.abs(fpsAt(fullFps, best) - fps))
      best = i;
  });
  return Math.max(0, best);
}

export interface LadderState {
  /** Each source's rung (0: full rate). */
  rungs: Record<string, number>;
  pressedTicks: number;
  calmTicks: number;
  lastStepMs: number;
}

/** The ladder at the start: every source at full rate, or at the rung it is asked to start at. */
export function initialLadder(
  sources: readonly LadderSource[],
  startRungs: Readonly<Record<string, number>> = {},
): LadderState {
  return {
    rungs: Object.fromEntries(
      sources.map((s) => [s.sourceId, Math.min(BOTTOM_RUNG, startRungs[s.sourceId] ?? 0)]),
    ),
    pressedTicks: 0,
    calmTicks: 0,
    lastStepMs: -Infinity,
  };
}

export interface LadderStep {
  sourceId: string;
  direction: 'down' | 'up';
  rung: number;
  fps: number;
  fullFps: number;
  /** The picture's scale from this step on (1, or ½ at the bottom rung). */
  scale: number;
  /** What was measured when the step was taken (the worst source), in plain Chinese. */
  reason: string;
}

/**
 * One second of the ladder: the figures of every picture source in, the state and at most
 * one step out.
 */
export function ladderTick(
  sources: readonly LadderSource[],
  state: LadderState,
  samples: readonly PressureSample[],
  nowMs: number,
): { state: LadderState; step: LadderStep | null } {
  const interval = (id: string) => {
    const s = sources.find((x) => x.sourceId === id);
    return s ? 1000 / fpsAt(s.fullFps, state.rungs[id] ?? 0) : 1000 / 30;
  };
  const pressed = samples.filter(
    (p) =>
      p.queueMax >= QUEUE_PRESSED ||
      p.latencyMaxMs >= LATENCY_PRESSED_INTERVALS * interval(p.sourceId) ||
      (p.delayMaxMs ?? 0) >= DELAY_PRESSED_MS,
  );
  const calm = samples.every(
    (p) =>
      p.queueMax <= QUEUE_CALM &&
      p.latencyMaxMs <= LATENCY_CALM_INTERVALS * interval(p.sourceId) &&
      (p.delayMaxMs ?? 0) <= DELAY_PRESSED_MS / 2,
  );
  const next: LadderState = {
    rungs: { ...state.rungs },
    pressedTicks: pressed.length ? state.pressedTicks + 1 : 0,
    calmTicks: calm && samples.length ? state.calmTicks + 1 : 0,
    lastStepMs: state.lastStepMs,
  };
  const keep = keepers(sources);
  const steppable = sources.filter((s) => !keep.has(s.sourceId));
  const settled = nowMs - state.lastStepMs >= MIN_STEP_GAP_MS;
  const worst = [...pressed].sort(
    (a, b) => b.queueMax - a.queueMax || b.latencyMaxMs - a.latencyMaxMs,
  )[0];
  const urgent = pressed.some((p) => p.queueMax >= QUEUE_URGENT);

  if ((next.pressedTicks >= PRESSED_TICKS && settled) || urgent) {
    // The least stepped first, and among those the least important: every other picture
    // gives up one rung before any gives up two.
    const pick = steppable
      .filter((s) => (next.rungs[s.sourceId] ?? 0) < BOTTOM_RUNG)
      .sort(
        (a, b) =>
          (next.rungs[a.sourceId] ?? 0) - (next.rungs[b.sourceId] ?? 0) ||
          STEP_PRIORITY[a.role] - STEP_PRIORITY[b.role],
      )[0];
    if (pick && worst) {
      const rung = (next.rungs[pick.sourceId] ?? 0) + 1;
      next.rungs[pick.sourceId] = rung;
      next.pressedTicks = 0;
      next.lastStepMs = nowMs;
      return {
        state: next,
        step: {
          sourceId: pick.sourceId,
          direction: 'down',
          rung,
          fps: fpsAt(pick.fullFps, rung),
          fullFps: pick.fullFps,
          scale: scaleAt(rung),
          // The record names the source by its device; the reason says what was measured.
          reason: `编码压力：最深队列 ${worst.queueMax} 帧，最慢编码 ${Math.round(worst.latencyMaxMs)} 毫秒${worst.delayMaxMs !== undefined ? `，采集至编码完成 ${Math.round(worst.delayMaxMs)} 毫秒` : ''}`,
        },
      };
    }
  }
  if (next.calmTicks >= CALM_TICKS && nowMs - state.lastStepMs >= CALM_TICKS * 1000) {
    // The most stepped first, and among those the most important.
    const pick = steppable
      .filter((s) => (next.rungs[s.sourceId] ?? 0) > 0)
      .sort(
        (a, b) =>
          (next.rungs[b.sourceId] ?? 0) - (next.rungs[a.sourceId] ?? 0) ||
          STEP_PRIORITY[b.role] - STEP_PRIORITY[a.role],
      )[0];
    if (pick) {
      const rung = (next.rungs[pick.sourceId] ?? 0) - 1;
      next.rungs[pick.sourceId] = rung;
      next.calmTicks = 0;
      next.lastStepMs = nowMs;
      return {
        state: next,
        step: {
          sourceId: pick.sourceId,
          direction: 'up',
          rung,
          fps: fpsAt(pick.fullFps, rung),
          fullFps: pick.fullFps,
          scale: scaleAt(rung),
          reason: `压力解除：连续 ${CALM_TICKS} 秒各路编码队列不超过 ${QUEUE_CALM} 帧`,
        },
      };
    }
  }
  return { state: next, step: null };
}

/** Whether `fps` at `scale` is a rung of a source opened at `fullFps` (the core checks it). */
export function isRungOf(fullFps: number, fps: number, scale = 1): boolean {
  return LADDER_RUNGS.some(
    (_, i) => Math.abs(fpsAt(fullFps, i) - fps) < 0.01 && LADDER_SCALES[i] === scale,
  );
}

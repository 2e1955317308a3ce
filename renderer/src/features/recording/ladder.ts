/**
 * The capture ladder as the engine runs it: the plan's picture sources by role (the program
 * keeps its rate), the ladder's state, and once a second the workers' latest figures in and
 * at most one step out (shared/rules/capture-ladder.ts decides).
 */
import {
  initialLadder,
  ladderTick,
  type LadderSource,
  type LadderState,
  type LadderStep,
  type PressureSample,
} from '@shared/rules/capture-ladder';
import type { WorkerStats } from './protocol';
import type { RecordingPlan } from './sources';

/**
 * Pressure the engine reports as if the encoders could not keep up (a queue this deep), for
 * trying the ladder on a machine that can: the end-to-end test sets it; nothing else does.
 */
export const SIMULATE_PRESSURE_KEY = 'attest.simulateEncoderPressure';

/**
 * Holds every source at its full rate (the ladder takes no step), for the end-to-end tests
 * that check capture itself at full rate (sync, file changes, live rates) on a machine that
 * may be loaded by other work: the ladder's own tests leave it unset, and nothing else sets it.
 */
export const HOLD_LADDER_KEY = 'attest.holdCaptureLadder';

/** A report older than this is not the last second's. */
const STALE_MS = 2500;

export class CaptureLadder {
  private readonly sources: LadderSource[];
  private state: LadderState;

  constructor(plan: RecordingPlan) {
    this.sources = [
      ...plan.cameras.map((c) => ({ sourceId: c.sourceId, role: c.role, fullFps: c.frameRate })),
      ...(plan.program
        ? [{ sourceId: plan.program.sourceId, role: 'program' as const, fullFps: 30 }]
        : []),
    ];
    this.state = initialLadder(
      this.sources,
      Object.fromEntries(
        plan.cameras.flatMap((c) => (c.startRung !== undefined ? [[c.sourceId, c.startRung]] : [])),
      ),
    );
  }

  /** One second: `latest` gives a recording source's last report (null when it is not recording). */
  tick(
    latest: (sourceId: string) => { stats: WorkerStats | null; statsAt: number } | null,
    now = performance.now(),
  ): LadderStep | null {
    if (stored(HOLD_LADDER_KEY)) return null;
    const simulated = simulatedQueue();
    const samples: PressureSample[] = [];
    for (const src of this.sources) {
      const r = latest(src.sourceId);
      if (!r?.stats || now - r.statsAt > STALE_MS) continue;
      samples.push({
        sourceId: src.sourceId,
        queueMax: simulated ?? r.stats.queueMax,
        latencyMaxMs: r.stats.latencyMaxMs,
        delayMaxMs: r.stats.delayMaxMs,
      });
    }
    const { state, step } = ladderTick(this.sources, this.state, samples, now);
    this.state = state;
    return step;
  }
}

function simulatedQueue(): number | null {
  const v = stored(SIMULATE_PRESSURE_KEY);
  return v ? Number(v) || null : null;
}

function stored(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/**
 * The pre-flight's trial (试录检测): the chosen cameras, microphones and program are recorded
 * for about ten seconds with nothing kept, the capture ladder running as it would; it proposes
 * the rate each camera should start at (where the ladder stepped it down) and says how much
 * room the machine has left at those rates. The proposal is saved with the pre-flight and
 * the recording starts from it.
 */

import { RecordingEngine } from './engine';
import type { RecordingBackend, RecordingPlan } from './sources';

export interface TrialResult {
  seconds: number;
  /** Each picture source: the rate proposed, its full rate, and the worst of the last seconds. */
  sources: {
    sourceId: string;
    /** The ladder's rung proposed (0: full rate and size), its rate and the picture's scale. */
    rung: number;
    fps: number;
    fullFps: number;
    scale: number;
    queueMax: number;
    latencyMaxMs: number;
  }[];
  /**
   * The slowest frame as a share of its interval, at the proposed rates: under ½ with no step
   * taken is ample.
   */
  load: number;
  headroom: 'ample' | 'tight' | 'over';
}

/** Where the trial's files go: nowhere (numbered, never sent). */
function discardBackend(): RecordingBackend {
  const next = new Map<string, number>();
  return {
    openSegment: (p) => {
      const segment = (next.get(p.sourceId) ?? 0) + 1;
      next.set(p.sourceId, segment);
      return Promise.resolve({ segment });
    },
    closeSegment: () => Promise.resolve(),
    send: () => {},
    fault: () => Promise.resolve(),
    step: () => Promise.resolve(),
  };
}

export async function runTrial(
  plan: RecordingPlan,
  seconds = 10,
  onSecond?: (elapsed: number) => void,
): Promise<TrialResult> {
  const engine = new RecordingEngine(discardBackend(), plan);
  await engine.start(performance.now());
  const worst = new Map<string, { queueMax: number; latencyMaxMs: number }>();
  try {
    for (let s = 1; s <= seconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      onSecond?.(s);
      // The second half tells what the machine manages once the ladder has settled.
      if (s <= seconds / 2) continue;
      for (const h of engine.health()) {
        if (h.kind === 'microphone' || !h.stats) continue;
        const w = worst.get(h.sourceId) ?? { queueMax: 0, latencyMaxMs: 0 };
        w.queueMax = Math.max(w.queueMax, h.stats.queueMax);
        w.latencyMaxMs = Math.max(w.latencyMaxMs, h.stats.latencyMaxMs);
        worst.set(h.sourceId, w);
      }
    }
  } finally {
    await engine.stop();
  }
  const full = (id: string) => plan.cameras.find((c) => c.sourceId === id)?.frameRate ?? 30;
  const sources = engine
    .health()
    .filter((h) => h.kind !== 'microphone')
    .map((h) => ({
      sourceId: h.sourceId,
      rung: h.rung,
      fullFps: full(h.sourceId),
      fps: h.steppedFps ?? full(h.sourceId),
      scale: h.scale,
      queueMax: worst.get(h.sourceId)?.queueMax ?? 0,
      latencyMaxMs: Math.round(worst.get(h.sourceId)?.latencyMaxMs ?? 0),
    }));
  const load = Math.max(0, ...sources.map((x) => (x.latencyMaxMs * x.fps) / 1000));
  // A machine that needed a step to keep up has little room, however fast the frames went after.
  const stepped = sources.some((x) => x.rung > 0);
  return {
    seconds,
    sources,
    load: Math.round(load * 100) / 100,
    headroom: load >= 1 ? 'over' : load >= 0.5 || stepped ? 'tight' : 'ample',
  };
}

/** The rungs a trial proposes below full, by source: where the recording starts. */
export function proposedRungs(trial: TrialResult): Record<string, number> {
  return Object.fromEntries(
    trial.sources.filter((x) => x.rung > 0).map((x) => [x.sourceId, x.rung]),
  );
}

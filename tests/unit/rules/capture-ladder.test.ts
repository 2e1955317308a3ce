import { describe, expect, it } from 'vitest';
import {
  initialLadder,
  isRungOf,
  keepers,
  ladderTick,
  type LadderSource,
  type LadderState,
  type PressureSample,
} from '../../../electron/shared/rules/capture-ladder';

const SOURCES: LadderSource[] = [
  { sourceId: 'cam1', role: 'interviewee_closeup', fullFps: 30 },
  { sourceId: 'cam2', role: 'room_wide', fullFps: 30 },
  { sourceId: 'cam3', role: 'desk_document', fullFps: 30 },
  { sourceId: 'cam4', role: 'other', fullFps: 30 },
  { sourceId: 'program', role: 'program', fullFps: 30 },
];

const busy = (queue = 5, latency = 60): PressureSample[] =>
  SOURCES.map((s) => ({ sourceId: s.sourceId, queueMax: queue, latencyMaxMs: latency }));
const quiet = (): PressureSample[] =>
  SOURCES.map((s) => ({ sourceId: s.sourceId, queueMax: 0, latencyMaxMs: 8 }));

/** Runs the ladder a second at a time; returns every step taken. */
function run(state: LadderState, seconds: number, samples: () => PressureSample[], from = 0) {
  const steps = [];
  let s = state;
  for (let i = 1; i <= seconds; i++) {
    const r = ladderTick(SOURCES, s, samples(), from + i * 1000);
    s = r.state;
    if (r.step) steps.push({ at: i, ...r.step });
  }
  return { state: s, steps };
}

describe('the capture ladder', () => {
  it('steps the least important pictures down one rung at a time, never the close-up or the program', () => {
    const { state, steps } = run(initialLadder(SOURCES), 30, () => busy());
    // The frame rate first, then (the last rung) the picture at half its width and height.
    expect(steps.map((s) => [s.sourceId, s.fps, s.scale])).toEqual([
      ['cam4', 20, 1],
      ['cam3', 20, 1],
      ['cam2', 20, 1],
      ['cam4', 15, 1],
      ['cam3', 15, 1],
      ['cam2', 15, 1],
      ['cam4', 10, 1],
      ['cam3', 10, 1],
      ['cam2', 10, 1],
      ['cam4', 10, 0.5],
      ['cam3', 10, 0.5],
      ['cam2', 10, 0.5],
    ]);
    // Each step had two seconds of pressure before it and two seconds since the last.
    expect(steps.map((s) => s.at)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(state.rungs).toMatchObject({ cam1: 0, program: 0 });
    expect(steps[0]!.reason).toBe('编码压力：最深队列 5 帧，最慢编码 60 毫秒');
  });

  it('reads pressure from the encode latency before any queue builds up', () => {
    const late = () =>
      SOURCES.map((s) => ({
        sourceId: s.sourceId,
        queueMax: 2,
        latencyMaxMs: s.sourceId === 'program' ? 55 : 10,
      }));
    const { steps } = run(initialLadder(SOURCES), 2, late);
    expect(steps.map((s) => [s.sourceId, s.direction])).toEqual([['cam4', 'down']]);
  });

  it('reads pressure from frames waiting long before the encoder, its queue short', () => {
    const waiting = () =>
      SOURCES.map((s) => ({
        sourceId: s.sourceId,
        queueMax: 0,
        latencyMaxMs: 10,
        delayMaxMs: s.sourceId === 'cam1' ? 450 : 60,
      }));
    const { steps } = run(initialLadder(SOURCES), 2, waiting);
    expect(steps.map((s) => [s.sourceId, s.direction])).toEqual([['cam4', 'down']]);
  });

  it('does not step for a single busy second', () => {
    let i = 0;
    const { steps } = run(initialLadder(SOURCES), 20, () => (i++ % 2 === 0 ? busy() : quiet()));
    expect(steps).toEqual([]);
  });

  it('steps back up, the most important first, once calm has lasted', () => {
    const down = run(initialLadder(SOURCES), 8, () => busy());
    expect(down.steps.map((s) => s.sourceId)).toEqual(['cam4', 'cam3', 'cam2', 'cam4']);
    const up = run(down.state, 60, quiet, 8000);
    expect(up.steps.map((s) => [s.sourceId, s.direction, s.fps])).toEqual([
      ['cam4', 'up', 20],
      ['cam2', 'up', 30],
      ['cam3', 'up', 30],
      ['cam4', 'up', 30],
    ]);
    expect(up.steps.map((s) => s.at)).toEqual([10, 20, 30, 40]);
    expect(Object.values(up.state.rungs)).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps the hearing bench at full rate where no source is the close-up', () => {
    const hearing: LadderSource[] = [
      { sourceId: 'a', role: 'hearing_bench', fullFps: 25 },
      { sourceId: 'b', role: 'room_wide', fullFps: 25 },
    ];
    expect([...keepers(hearing)]).toEqual(['a']);
    let s = initialLadder(hearing);
    const taken = [];
    for (let i = 1; i <= 20; i++) {
      const r = ladderTick(
        hearing,
        s,
        hearing.map((x) => ({ sourceId: x.sourceId, queueMax: 9, latencyMaxMs: 90 })),
        i * 1000,
      );
      s = r.state;
      if (r.step) taken.push([r.step.sourceId, r.step.fps]);
    }
    expect(taken).toEqual([
      ['b', 16.67],
      ['b', 12.5],
      ['b', 8.33],
      ['b', 8.33],
    ]);
  });

  it('keeps every encoder queue short of dropping while a rung is left, on a machine that falls behind', () => {
    // A model of five encoders sharing a machine that manages 115 frames a second while they
    // ask for 150: each queue grows by its share of what is left over, and drains when the
    // demand falls below the capacity. A queue of 30 is where the encoder drops at random.
    const capacity = 115;
    let state = initialLadder(SOURCES);
    const queue: Record<string, number> = Object.fromEntries(SOURCES.map((s) => [s.sourceId, 0]));
    let peak = 0;
    const fps = (id: string) => {
      const src = SOURCES.find((s) => s.sourceId === id)!;
      // A half-size picture costs about a quarter to encode: as a quarter of the frames.
      const rung = state.rungs[id] ?? 0;
      return src.fullFps * [1, 2 / 3, 1 / 2, 1 / 3, 1 / 12][rung]!;
    };
    for (let t = 1; t <= 120; t++) {
      const demand = SOURCES.reduce((n, s) => n + fps(s.sourceId), 0);
      for (const s of SOURCES) {
        const f = fps(s.sourceId);
        queue[s.sourceId] = Math.max(0, queue[s.sourceId]! + f - (capacity * f) / demand);
        peak = Math.max(peak, queue[s.sourceId]!);
      }
      const samples = SOURCES.map((s) => ({
        sourceId: s.sourceId,
        queueMax: Math.round(queue[s.sourceId]!),
        latencyMaxMs: ((queue[s.sourceId]! + 1) * 1000) / fps(s.sourceId),
      }));
      state = ladderTick(SOURCES, state, samples, t * 1000).state;
    }
    expect(peak).toBeLessThan(30);
    expect(state.rungs.cam1).toBe(0);
    expect(state.rungs.program).toBe(0);
    // It settles where the machine keeps up: what is asked fits what it manages.
    const demand = SOURCES.reduce((n, s) => n + fps(s.sourceId), 0);
    expect(demand).toBeLessThanOrEqual(capacity + 10);
    expect(Object.values(queue).every((q) => q < 5)).toBe(true);
  });

  it('knows its rungs', () => {
    expect(isRungOf(30, 15)).toBe(true);
    expect(isRungOf(25, 16.67)).toBe(true);
    expect(isRungOf(30, 12)).toBe(false);
    expect(isRungOf(30, 10, 0.5)).toBe(true);
    expect(isRungOf(30, 15, 0.5)).toBe(false);
  });
});

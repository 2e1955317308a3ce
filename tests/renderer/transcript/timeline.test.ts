/** Turns and markers on one timeline and the windowing arithmetic. */
import { describe, expect, it } from 'vitest';
import { applyAction, type TranscriptState } from '@shared/rules/transcript';
import {
  computeOffsets,
  ESTIMATE,
  indexAt,
  visibleRange,
} from '../../../renderer/src/features/transcript/paneController';
import { buildTimeline, TimelineCache } from '../../../renderer/src/features/transcript/timeline';

const turn = (id: string, at: number) => ({ id, speaker: 'question' as const, text: id, at });
const marker = (id: string, at: number) => ({ id, kind: 'debate' as const, at, note: '' });

describe('timeline', () => {
  it('places each marker before the first turn that began after it', () => {
    const state: TranscriptState = {
      turns: [turn('t1', 1000), turn('t2', 5000), turn('t3', 9000)],
      markers: [marker('m0', 0), marker('m1', 5000), marker('m2', 6000), marker('m3', 20_000)],
    };
    expect(buildTimeline(state).map((i) => i.id)).toEqual([
      'm0',
      't1',
      't2',
      'm1',
      'm2',
      't3',
      'm3',
    ]);
    expect(
      buildTimeline(state)
        .filter((i) => i.type === 'turn')
        .map((i) => i.ordinal),
    ).toEqual([1, 2, 3]);
  });

  it('is not thrown off by a turn inserted later between older ones', () => {
    const state: TranscriptState = {
      turns: [turn('t1', 1000), turn('late', 60_000), turn('t2', 5000), turn('t3', 9000)],
      markers: [marker('m', 7000)],
    };
    expect(buildTimeline(state).map((i) => i.id)).toEqual(['t1', 'late', 't2', 'm', 't3']);
  });
});

describe('incremental timeline', () => {
  it('swaps the typed-in row and keeps the layout; rebuilds when rows change', () => {
    const cache = new TimelineCache();
    let state: TranscriptState = {
      turns: [turn('t1', 1000), turn('t2', 5000)],
      markers: [marker('m', 2000)],
    };
    const first = cache.build(state);
    state = applyAction(state, { type: 'turn.text', id: 't2', text: '改' });
    const typed = cache.build(state);
    expect(typed.layout).toBe(first.layout);
    expect(typed.items).not.toBe(first.items);
    expect(typed.items).toEqual(buildTimeline(state));
    expect(typed.items[0]).toBe(first.items[0]); // untouched rows keep their identity
    expect(cache.build(state)).toEqual(typed);
    state = applyAction(state, {
      type: 'turn.add',
      id: 't3',
      speaker: 'answer',
      text: '',
      at: 9000,
    });
    const grown = cache.build(state);
    expect(grown.layout).not.toBe(first.layout);
    expect(grown.layout.ids).toEqual(['t1', 'm', 't2', 't3']);
    expect(grown.layout.index.get('t3')).toBe(3);
    expect(grown.items).toEqual(buildTimeline(state));
  });
});

describe('windowing', () => {
  const { layout: items } = new TimelineCache().build({
    turns: Array.from({ length: 5000 }, (_, i) => turn(`t${i}`, i * 1000)),
    markers: [],
  });

  it('uses measured heights where known and the estimate elsewhere', () => {
    const offsets = computeOffsets(items, new Map([['t0', 100]]));
    expect(offsets[1]).toBe(100);
    expect(offsets[2]).toBe(100 + ESTIMATE.turn);
    expect(offsets[5000]).toBe(100 + 4999 * ESTIMATE.turn);
  });

  it('renders only the rows around the viewport', () => {
    const offsets = computeOffsets(items, new Map());
    expect(items.ids).toHaveLength(5000);
    expect(indexAt(offsets, 0)).toBe(0);
    expect(indexAt(offsets, ESTIMATE.turn * 10 + 1)).toBe(10);
    expect(indexAt(offsets, 1e9)).toBe(4999);
    const [start, end] = visibleRange(offsets, { top: ESTIMATE.turn * 4000, height: 700 });
    expect(end - start).toBeLessThan(80);
    expect(start).toBeLessThanOrEqual(4000);
    expect(end).toBeGreaterThan(4000 + 700 / ESTIMATE.turn);
    const none = computeOffsets({ ids: [], types: [] }, new Map());
    expect(visibleRange(none, { top: 0, height: 500 })).toEqual([0, 0]);
  });
});

/**
 * Turns and markers on one timeline (R3.1: the written record meets the recording by time).
 * Turns keep their document order; each marker goes before the first turn that began after
 * it. A turn inserted later between older ones carries a later time stamp than its
 * neighbours; measuring against the earliest time still to come (a suffix minimum) keeps
 * such an outlier from dragging markers out of place.
 */
import type { Marker, TranscriptState, Turn } from '@shared/rules/transcript';

export type TimelineItem =
  | { type: 'turn'; id: string; turn: Turn; ordinal: number }
  | { type: 'marker'; id: string; marker: Marker };

export function buildTimeline(state: TranscriptState): TimelineItem[] {
  const { turns, markers } = state;
  const n = turns.length;
  const after = new Float64Array(n + 1);
  after[n] = Number.POSITIVE_INFINITY;
  for (let i = n - 1; i >= 0; i--) after[i] = Math.min(turns[i]!.at, after[i + 1]!);
  const items: TimelineItem[] = [];
  let m = 0;
  for (let i = 0; i < n; i++) {
    while (m < markers.length && markers[m]!.at < after[i]!) {
      const marker = markers[m++]!;
      items.push({ type: 'marker', id: marker.id, marker });
    }
    const turn = turns[i]!;
    items.push({ type: 'turn', id: turn.id, turn, ordinal: i + 1 });
  }
  for (; m < markers.length; m++) {
    const marker = markers[m]!;
    items.push({ type: 'marker', id: marker.id, marker });
  }
  return items;
}

/** Which rows there are, in order: changes only when a row is added, removed or moved. */
export interface TimelineLayout {
  ids: readonly string[];
  types: readonly TimelineItem['type'][];
  /** Row index of an id. */
  index: ReadonlyMap<string, number>;
}

/**
 * Builds the timeline incrementally. Typing changes one turn's text (or speaker) and leaves
 * every id, time and marker where it was; then the previous rows are kept, the changed turn's
 * row is swapped in, and the layout (what the windowing measures and positions) keeps its
 * identity, so nothing downstream recomputes. Anything else rebuilds from scratch.
 */
export class TimelineCache {
  private state: TranscriptState | null = null;
  private items: TimelineItem[] = [];
  private layout: TimelineLayout = { ids: [], types: [], index: new Map() };
  /** Row index of each turn (by turn index). */
  private turnRow = new Int32Array(0);

  build(state: TranscriptState): { items: readonly TimelineItem[]; layout: TimelineLayout } {
    if (state !== this.state) {
      if (!this.patch(state)) this.rebuild(state);
      this.state = state;
    }
    return { items: this.items, layout: this.layout };
  }

  private patch(state: TranscriptState): boolean {
    const prev = this.state;
    if (!prev || prev.markers !== state.markers || prev.turns.length !== state.turns.length)
      return false;
    let items: TimelineItem[] | null = null;
    for (let i = 0; i < state.turns.length; i++) {
      const turn = state.turns[i]!;
      const old = prev.turns[i]!;
      if (turn === old) continue;
      if (turn.id !== old.id || turn.at !== old.at) return false;
      items ??= this.items.slice();
      const row = this.turnRow[i]!;
      items[row] = { type: 'turn', id: turn.id, turn, ordinal: i + 1 };
    }
    if (items) this.items = items;
    return true;
  }

  private rebuild(state: TranscriptState): void {
    this.items = buildTimeline(state);
    this.turnRow = new Int32Array(state.turns.length);
    const index = new Map<string, number>();
    this.items.forEach((item, row) => {
      index.set(item.id, row);
      if (item.type === 'turn') this.turnRow[item.ordinal - 1] = row;
    });
    this.layout = {
      ids: this.items.map((i) => i.id),
      types: this.items.map((i) => i.type),
      index,
    };
  }
}

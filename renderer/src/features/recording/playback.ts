/**
 * Playback of a recorded session, every source side by side and in sync.
 * Each file carries session time, so one `currentTime` means the same instant in all of
 * them: syncing is seeking every player to the same time and keeping the followers within a
 * frame or two of the leader.
 *
 * Media Source Extensions, fed from the core one fragment at a time (`recording.read`),
 * using the fragment journal (`recording.fragments`) to start at any time: a long session
 * never has to fit in the browser's buffer, and nothing is fetched that is not watched.
 */
import type { Client } from '@shared/client';
import type { FragmentDto, SegmentStatusDto } from '@shared/api/recording';
import { MAX_MEDIA_READ_BYTES } from '@shared/api/recording';

const AHEAD_S = 8;
const BEHIND_S = 10;

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** True when the init segment declares an Opus sample entry (the program file has sound). */
function hasOpus(init: Uint8Array): boolean {
  for (let i = 0; i + 4 <= init.length; i++) {
    if (init[i] === 0x4f && init[i + 1] === 0x70 && init[i + 2] === 0x75 && init[i + 3] === 0x73)
      return true;
  }
  return false;
}

export function mimeFor(segment: SegmentStatusDto, init: Uint8Array): string {
  if (segment.kind === 'microphone') return 'audio/mp4; codecs="opus"';
  return `video/mp4; codecs="${segment.codec}${hasOpus(init) ? ',opus' : ''}"`;
}

/** The segment of a source that covers session time `t` (µs), or the nearest before it. */
export function segmentAt(segments: SegmentStatusDto[], tUs: number): SegmentStatusDto | undefined {
  const sorted = [...segments].sort((a, b) => a.sessionTimeUs - b.sessionTimeUs);
  let best = sorted[0];
  for (const s of sorted) if (s.sessionTimeUs <= tUs) best = s;
  return best;
}

/** Index of the fragment to start from for time `t` (µs): the last one starting at or before it. */
export function fragmentIndexAt(fragments: FragmentDto[], tUs: number): number {
  let idx = -1;
  for (let i = 0; i < fragments.length; i++) {
    const f = fragments[i]!;
    if (f.kind !== 'fragment') continue;
    if (idx === -1) idx = i;
    if (f.decodeTimeUs !== null && f.decodeTimeUs <= tUs) idx = i;
  }
  return idx;
}

/** Plays one source in a video (or audio) element, loading fragments around the play position. */
export class SourcePlayer {
  private mediaSource: MediaSource | null = null;
  private buffer: SourceBuffer | null = null;
  private fragments: FragmentDto[] = [];
  private segment: SegmentStatusDto | null = null;
  private next = 0;
  private generation = 0;
  private url: string | null = null;
  private mime = '';

  constructor(
    private readonly client: Client,
    private readonly sessionId: number,
    private readonly segments: SegmentStatusDto[],
    readonly element: HTMLMediaElement,
  ) {
    element.addEventListener('timeupdate', () => this.scheduleFill());
  }

  private async readRange(
    seg: SegmentStatusDto,
    offset: number,
    size: number,
  ): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const r = await this.client.invoke('recording.read', {
        sessionId: this.sessionId,
        sourceId: seg.sourceId,
        segment: seg.segment,
        offset: offset + done,
        length: Math.min(MAX_MEDIA_READ_BYTES, size - done),
      });
      const bytes = base64Bytes(r.data);
      out.set(bytes, done);
      done += bytes.length;
      if (bytes.length === 0) break;
    }
    return out;
  }

  private append(bytes: Uint8Array): Promise<void> {
    const sb = this.buffer;
    if (!sb) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        sb.removeEventListener('updateend', done);
        sb.removeEventListener('error', fail);
        resolve();
      };
      const fail = () => {
        sb.removeEventListener('updateend', done);
        sb.removeEventListener('error', fail);
        const why = this.element.error?.message ?? 'append failed';
        reject(new Error(`${this.segment?.sourceId ?? '?'} (${this.mime}): ${why}`));
      };
      sb.addEventListener('updateend', done);
      sb.addEventListener('error', fail);
      sb.appendBuffer(bytes as BufferSource);
    });
  }

  private chain: Promise<void> = Promise.resolve();

  /**
   * Seeks to session time `tUs` (µs), reloading if the time lies in another segment. Seeks
   * run one after another, so an early one (the panel opening) cannot undo a later one (a
   * click on a turn's time).
   */
  seek(tUs: number): Promise<void> {
    const run = this.chain.then(() => this.seekNow(tUs));
    this.chain = run.catch(() => {});
    return run;
  }

  private fillQueued = false;

  /** Queues a top-up behind any seek, so the two never interleave. */
  private scheduleFill(): void {
    if (this.fillQueued) return;
    this.fillQueued = true;
    this.chain = this.chain
      .then(() => {
        this.fillQueued = false;
        return this.fill();
      })
      .catch(() => {});
  }

  private async seekNow(tUs: number): Promise<void> {
    const seg = segmentAt(this.segments, tUs);
    if (!seg) return;
    const gen = this.generation;
    if (seg !== this.segment) {
      this.segment = seg;
      this.fragments = await this.client.invoke('recording.fragments', {
        sessionId: this.sessionId,
        sourceId: seg.sourceId,
        segment: seg.segment,
      });
      const initFrag = this.fragments.find((f) => f.kind === 'init');
      if (!initFrag) return;
      const init = await this.readRange(seg, initFrag.offset, initFrag.size);
      if (gen !== this.generation) return;
      await this.open(mimeFor(seg, init));
      await this.append(init);
    } else if (this.buffer && this.buffer.buffered.length > 0) {
      const b = this.buffer.buffered;
      const t = tUs / 1e6;
      for (let i = 0; i < b.length; i++) {
        if (b.start(i) <= t && t < b.end(i) - 1) {
          this.element.currentTime = t;
          return; // already buffered
        }
      }
      await this.removeAll();
    }
    this.next = Math.max(0, fragmentIndexAt(this.fragments, tUs));
    await this.fill(tUs / 1e6);
    if (gen === this.generation) this.element.currentTime = tUs / 1e6;
  }

  private open(mime: string): Promise<void> {
    this.mime = mime;
    if (this.url) URL.revokeObjectURL(this.url);
    const ms = new MediaSource();
    this.mediaSource = ms;
    this.url = URL.createObjectURL(ms);
    this.element.src = this.url;
    return new Promise((resolve) => {
      ms.addEventListener(
        'sourceopen',
        () => {
          this.buffer = ms.addSourceBuffer(mime);
          resolve();
        },
        { once: true },
      );
    });
  }

  private async removeAll(): Promise<void> {
    const sb = this.buffer;
    if (!sb || sb.buffered.length === 0) return;
    const end = sb.buffered.end(sb.buffered.length - 1);
    await new Promise<void>((resolve) => {
      sb.addEventListener('updateend', () => resolve(), { once: true });
      sb.remove(0, end + 1);
    });
  }

  /** Keeps about {@link AHEAD_S} seconds buffered ahead of the play position. */
  private async fill(fromS?: number): Promise<void> {
    if (!this.segment || !this.buffer) return;
    try {
      const now = fromS ?? this.element.currentTime;
      for (;;) {
        const b = this.buffer.buffered;
        const end = b.length ? b.end(b.length - 1) : now;
        if (end - now > AHEAD_S) break;
        const f = this.fragments[this.next];
        if (!f) break;
        this.next++;
        if (f.kind !== 'fragment') continue;
        const bytes = await this.readRange(this.segment, f.offset, f.size);
        await this.append(bytes);
      }
      // Forget what lies well behind, so a long session never outgrows the buffer.
      const b = this.buffer.buffered;
      if (b.length && now - b.start(0) > BEHIND_S * 2 && !this.buffer.updating) {
        await new Promise<void>((resolve) => {
          this.buffer!.addEventListener('updateend', () => resolve(), { once: true });
          this.buffer!.remove(0, now - BEHIND_S);
        });
      }
    } catch {
      // A failed read or append leaves the element as it was; the next timeupdate retries.
    }
  }

  dispose(): void {
    this.generation++; // work still queued for this player stops at its next step
    if (this.url) URL.revokeObjectURL(this.url);
    this.element.removeAttribute('src');
    this.element.load();
  }
}

/**
 * Several players on one clock: the leader plays; the others follow it, nudged back when they
 * drift more than {@link MAX_DRIFT_S}.
 */
export const MAX_DRIFT_S = 0.08;

export class SyncedPlayback {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly players: SourcePlayer[]) {}

  get leader(): SourcePlayer | undefined {
    return this.players[0];
  }

  async seek(tUs: number): Promise<void> {
    await Promise.all(this.players.map((p) => p.seek(tUs)));
  }

  async play(): Promise<void> {
    await Promise.all(this.players.map((p) => p.element.play().catch(() => {})));
    this.timer ??= setInterval(() => this.follow(), 250);
  }

  pause(): void {
    for (const p of this.players) p.element.pause();
  }

  private follow(): void {
    const lead = this.leader?.element;
    if (!lead) return;
    for (const p of this.players.slice(1)) {
      if (Math.abs(p.element.currentTime - lead.currentTime) > MAX_DRIFT_S)
        p.element.currentTime = lead.currentTime;
      if (lead.paused !== p.element.paused)
        void (lead.paused ? p.element.pause() : p.element.play().catch(() => {}));
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const p of this.players) p.dispose();
  }
}

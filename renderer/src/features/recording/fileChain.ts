/**
 * The files one recording worker writes, one after another. The worker reads its source
 * once for the whole recording (R3.7: recording runs whole from start to end) and hands
 * every frame and sound buffer to this chain, which routes it by its session time to
 * exactly one file: at a file change, everything before the change instant goes to the old
 * file, everything from it on to the new one, whose encoders were started ahead and are
 * warm. A sound buffer across the instant is cut at the sample there, and the new file's
 * sound continues the old file's sample count, so the two files meet without a gap or an
 * overlap.
 */
import type { Output } from 'mediabunny';
import { splitAudio, type AudioTrack, type FileOut, type Post, type VideoTrack } from './encode';
import type { WorkerStats } from './protocol';

export interface ChainFile {
  file: number;
  output: Output;
  video: VideoTrack | null;
  audio: AudioTrack | null;
  /** The first frame or sample was reported (the page opens the segment then). */
  started: boolean;
}

/**
 * Makes file number `out.file`: its output with its tracks added (the chain starts it);
 * `previous` is the file it follows (its sound format configures the new encoder).
 */
export type OpenFile = (
  out: FileOut,
  previous: ChainFile | null,
) => Pick<ChainFile, 'output' | 'video' | 'audio'>;

type TrackKind = 'video' | 'audio';

export class FileChain {
  private current: ChainFile;
  private next: {
    file: ChainFile;
    atUs: number;
    passed: Set<TrackKind>;
    timer: ReturnType<typeof setTimeout>;
  } | null = null;
  /** Files being finalised, in order; the worker ends after the last. */
  private closing: Promise<void> = Promise.resolve();
  private count = 0;
  /** Set once the recording ends: no change may open a file after that. */
  private finished = false;

  constructor(
    private readonly post: Post,
    private readonly stats: WorkerStats,
    private readonly open: OpenFile,
    /** Sound marks a file's first sample (a microphone's file; the program's is its picture). */
    private readonly soundStarts = true,
  ) {
    this.current = this.make(null);
  }

  private make(previous: ChainFile | null): ChainFile {
    let go: () => void = () => {};
    let fail: (e: unknown) => void = () => {};
    const ready = new Promise<void>((res, rej) => {
      go = res;
      fail = rej;
    });
    const file = this.count++;
    const made = this.open({ file, post: this.post, stats: this.stats, ready }, previous);
    made.output.start().then(go, fail);
    return { ...made, file, started: false };
  }

  /** The tracks a file has: each must reach the change instant before the old file ends. */
  private tracks(f: ChainFile): TrackKind[] {
    return [...(f.video ? ['video' as const] : []), ...(f.audio ? ['audio' as const] : [])];
  }

  /**
   * Opens the next file now and changes to it at `atUs`; after `deadlineMs` the old file ends
   * even if a track never reached the instant (a device that stopped delivering).
   */
  rotate(atUs: number, deadlineMs: number): void {
    if (this.finished) return;
    if (this.next) return; // one change at a time; the next one comes a segment later
    const file = this.make(this.current);
    const timer = setTimeout(() => this.complete(), deadlineMs);
    this.next = { file, atUs, passed: new Set(), timer };
  }

  /** The file a video frame at `sessionUs` belongs to. */
  videoFile(sessionUs: number): ChainFile {
    return this.route('video', sessionUs);
  }

  private route(kind: TrackKind, sessionUs: number): ChainFile {
    const n = this.next;
    if (!n || sessionUs < n.atUs) return this.current;
    n.passed.add(kind);
    const file = n.file;
    if (this.tracks(this.current).every((t) => n.passed.has(t))) this.complete();
    return file;
  }

  /** Reports the first frame or sample of a file, once. */
  noteFirst(f: ChainFile, captureUs: number, sessionUs: number): void {
    this.stats.lastSessionTimeUs = sessionUs;
    if (this.stats.firstCaptureTimeUs === null) {
      this.stats.firstCaptureTimeUs = captureUs;
      this.stats.firstSessionTimeUs = sessionUs;
    }
    if (f.started) return;
    f.started = true;
    this.post({ type: 'first', file: f.file, captureTimeUs: captureUs, sessionTimeUs: sessionUs });
  }

  /**
   * Encodes a sound buffer captured at `sessionUs` (capture clock `captureUs`) into the file
   * or files it belongs to; closes it.
   */
  audio(data: AudioData, sessionUs: number, captureUs: number): void {
    const n = this.next;
    const old = this.current;
    if (!n) {
      this.encodeAudio(old, data, sessionUs, captureUs);
      return;
    }
    if (old.audio && sessionUs < n.atUs) {
      // Where this buffer's first sample lands in the old file: its sample count, which
      // capture jitter moves by less than half a buffer.
      const fed = old.audio.fedUntil();
      const rate = data.sampleRate;
      const halfBufferUs = (data.numberOfFrames / rate) * 5e5;
      const placedUs = fed !== null && Math.abs(fed - sessionUs) <= halfBufferUs ? fed : sessionUs;
      // The samples before the instant stay in the old file, as a frame exactly at the
      // instant goes to the new one (the epsilon keeps float noise from adding a sample).
      const cut = Math.ceil(((n.atUs - placedUs) * rate) / 1e6 - 1e-6);
      if (cut > 0 && cut < data.numberOfFrames) {
        const [head, tail] = splitAudio(data, cut);
        // Both halves go where the whole buffer was placed: each half alone is shorter than
        // the jitter allowance a whole buffer gets, and would be padded or trimmed for it.
        const shiftUs = placedUs - sessionUs;
        this.encodeAudio(old, head, placedUs, captureUs + shiftUs);
        const cutUs = (cut * 1e6) / rate;
        this.toNext(old, tail, placedUs + cutUs, captureUs + shiftUs + cutUs);
        return;
      }
      if (cut > 0) {
        this.encodeAudio(old, data, sessionUs, captureUs);
        return;
      }
    }
    this.toNext(old, data, sessionUs, captureUs);
  }

  /** Sound from the change instant on: the new file's samples continue the old file's. */
  private toNext(old: ChainFile, data: AudioData, sessionUs: number, captureUs: number) {
    const f = this.route('audio', this.next!.atUs);
    const fed = old.audio?.fedUntil();
    if (fed != null) f.audio?.follow(fed);
    this.encodeAudio(f, data, sessionUs, captureUs);
  }

  private encodeAudio(f: ChainFile, data: AudioData, sessionUs: number, captureUs: number) {
    const at = f.audio!.encode(data, sessionUs);
    if (at !== null && this.soundStarts) this.noteFirst(f, captureUs + (at - sessionUs), at);
  }

  /** The old file ends (finalised in the background); the new one is the current file. */
  private complete(): void {
    const n = this.next;
    if (!n) return;
    clearTimeout(n.timer);
    this.next = null;
    const old = this.current;
    this.current = n.file;
    this.after(() => this.close(old, n.atUs));
  }

  /**
   * Queues a file's closing after the ones before it. A failure is reported (the engine
   * restarts the source in a new worker, so the files end at their last whole fragment) and
   * does not keep the files after it from closing.
   */
  private after(step: () => Promise<void>): void {
    this.closing = this.closing
      .then(step)
      .catch((err: unknown) =>
        this.post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
  }

  private async close(f: ChainFile, atUs: number | null = null): Promise<void> {
    const began = performance.now();
    await f.video?.flush();
    await f.audio?.flush();
    if (!f.started) {
      // Never got a frame (the recording stopped before the change): nothing to keep.
      await f.output.cancel();
      return;
    }
    await f.output.finalize();
    if (atUs !== null)
      this.stats.fileChanges.push({ file: f.file, atUs, closeMs: performance.now() - began });
    this.post({ type: 'file-ended', file: f.file });
  }

  /**
   * Ends the recording: a change under way completes if the new file already has frames
   * (else that file is dropped); every file is finalised.
   */
  async finish(): Promise<void> {
    this.finished = true;
    const n = this.next;
    if (n) {
      if (n.file.started) this.complete();
      else {
        clearTimeout(n.timer);
        this.next = null;
        this.after(() => this.close(n.file));
      }
    }
    const last = this.current;
    this.after(() => this.close(last));
    await this.closing;
  }
}

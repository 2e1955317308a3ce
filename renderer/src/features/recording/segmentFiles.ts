/**
 * The files one recording worker writes, each as a segment in the core: opened when its
 * first frame is known, fed the worker's bytes (held back until the core has opened it),
 * closed when the worker says the file is whole.
 */
import type { SegmentKind } from '@shared/api/recording';
import type { RecordingBackend } from './sources';

export interface FileConfig {
  codec: string;
  encoder?: 'hardware' | 'software';
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}

interface OneFile {
  segment: number | null;
  /** Data that arrived before the core opened the segment. */
  backlog: { bytes: Uint8Array; position: number }[];
  /** The core opening the segment (closing waits for it). */
  opening: Promise<void> | null;
  config: FileConfig | null;
}

export class SegmentFiles {
  private readonly files = new Map<number, OneFile>();

  constructor(
    private readonly backend: RecordingBackend,
    private readonly sourceId: string,
    private readonly kind: SegmentKind,
    /** Sends bytes of an open segment (may throw: the file can then never continue). */
    private readonly send: (segment: number, bytes: Uint8Array, position: number) => void,
  ) {}

  private fileOf(file: number): OneFile {
    let f = this.files.get(file);
    if (!f) {
      f = { segment: null, backlog: [], opening: null, config: null };
      this.files.set(file, f);
    }
    return f;
  }

  /**
   * A file's codec (and picture or sound format). The program file reports its video and
   * then its sound: the segment is named by its video codec, the sound's format kept beside.
   */
  configure(file: number, c: FileConfig): FileConfig {
    const f = this.fileOf(file);
    f.config =
      this.kind === 'program' && f.config && c.codec === 'opus'
        ? { ...f.config, sampleRate: c.sampleRate, channels: c.channels }
        : {
            ...f.config,
            codec: c.codec,
            ...(c.width !== undefined ? { width: c.width, height: c.height } : {}),
            ...(c.encoder !== undefined ? { encoder: c.encoder } : {}),
            ...(c.sampleRate !== undefined
              ? { sampleRate: c.sampleRate, channels: c.channels }
              : {}),
          };
    return f.config;
  }

  /** Opens the file's segment in the core; the bytes held back meanwhile follow. */
  open(
    file: number,
    first: { captureTimeUs: number; sessionTimeUs: number; defaultCodec: string },
    opened: (segment: number) => void,
    failed: (err: unknown) => void,
  ): void {
    const f = this.fileOf(file);
    const cfg = f.config;
    f.opening = this.backend
      .openSegment({
        sourceId: this.sourceId,
        kind: this.kind,
        codec: cfg?.codec ?? first.defaultCodec,
        ...(cfg?.width ? { width: cfg.width, height: cfg.height } : {}),
        ...(cfg?.sampleRate ? { sampleRate: cfg.sampleRate, channels: cfg.channels } : {}),
        ...(cfg?.encoder ? { encoder: cfg.encoder } : {}),
        firstCaptureTimeUs: Math.round(first.captureTimeUs),
        sessionTimeUs: Math.round(first.sessionTimeUs),
      })
      .then(({ segment }) => {
        f.segment = segment;
        opened(segment);
        for (const d of f.backlog.splice(0)) this.send(segment, d.bytes, d.position);
      })
      .catch(failed);
  }

  data(file: number, bytes: Uint8Array, position: number): void {
    const f = this.fileOf(file);
    if (f.segment === null) f.backlog.push({ bytes, position });
    else this.send(f.segment, bytes, position);
  }

  /** Whether `segment` is one of these files. */
  has(segment: number): boolean {
    return [...this.files.values()].some((f) => f.segment === segment);
  }

  /** Closes a file's segment once it is open (a file the core never opened is forgotten). */
  async close(file: number): Promise<void> {
    const f = this.files.get(file);
    if (!f) return;
    this.files.delete(file);
    await f.opening;
    if (f.segment !== null) {
      await this.backend
        .closeSegment({ sourceId: this.sourceId, segment: f.segment })
        .catch(() => {});
    }
  }

  closeAll(): Promise<void[]> {
    return Promise.all([...this.files.keys()].map((f) => this.close(f)));
  }
}

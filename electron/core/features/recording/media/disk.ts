/**
 * Free space of the disk that holds the recordings: a port (tests simulate a filling disk
 * without filling one), the real adapter over statfs, and the thresholds that turn free
 * space into warnings and, before the disk is full, a safe stop.
 */
import { statfsSync } from 'node:fs';

export interface DiskSpaceInfo {
  freeBytes: number;
  totalBytes: number;
}

/** Measures the disk that holds `dir`. */
export type DiskSpace = (dir: string) => DiskSpaceInfo;

/** statfs: `bavail` (free to this user, not to root) is what the recording can actually use. */
export const statfsDiskSpace: DiskSpace = (dir) => {
  const s = statfsSync(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
};

export const GiB = 1024 * 1024 * 1024;
/** Stop recording (cleanly) when less than this would be left. */
export const DEFAULT_FLOOR_BYTES = 1 * GiB;
/** Warn once as free space falls below each of these. */
export const DEFAULT_WARN_BYTES: readonly number[] = [10 * GiB, 5 * GiB, 2 * GiB];

/**
 * Turns successive free-space readings into events: each warning threshold fires once when
 * crossed downwards, and re-arms only when free space is back 10% above it (so a disk
 * hovering at a threshold does not flood the timeline).
 */
export class DiskThresholds {
  private readonly warn: number[];
  private readonly fired = new Set<number>();

  constructor(
    readonly floorBytes: number,
    warnBytes: readonly number[],
  ) {
    this.warn = [...warnBytes].filter((w) => w > floorBytes).sort((a, b) => b - a);
  }

  /** True when writing `incoming` more bytes would leave less than the floor. */
  belowFloor(freeBytes: number, incoming = 0): boolean {
    return freeBytes - incoming < this.floorBytes;
  }

  /** The thresholds newly crossed by this reading (largest first). */
  crossed(freeBytes: number): number[] {
    const out: number[] = [];
    for (const w of this.warn) {
      if (freeBytes < w && !this.fired.has(w)) {
        this.fired.add(w);
        out.push(w);
      } else if (freeBytes > w * 1.1) this.fired.delete(w);
    }
    return out;
  }
}

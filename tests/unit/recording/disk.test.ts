import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DiskThresholds,
  GiB,
  statfsDiskSpace,
} from '../../../electron/core/features/recording/media/disk';

describe('disk thresholds', () => {
  it('fires each warning once on the way down, re-arming only 10% above it', () => {
    const t = new DiskThresholds(1 * GiB, [2 * GiB, 10 * GiB, 5 * GiB, 0.5 * GiB]);
    expect(t.crossed(12 * GiB)).toEqual([]);
    expect(t.crossed(9 * GiB)).toEqual([10 * GiB]);
    expect(t.crossed(9.9 * GiB)).toEqual([]);
    expect(t.crossed(10.5 * GiB)).toEqual([]); // within 10% of the threshold: still armed off
    expect(t.crossed(9 * GiB)).toEqual([]);
    expect(t.crossed(11.5 * GiB)).toEqual([]); // re-armed
    expect(t.crossed(1.5 * GiB)).toEqual([10 * GiB, 5 * GiB, 2 * GiB]);
    // A warning below the floor never fires: the floor stops the recording first.
    expect(t.crossed(0.2 * GiB)).toEqual([]);
  });

  it('stops before a write would take the disk below the floor', () => {
    const t = new DiskThresholds(1 * GiB, []);
    expect(t.belowFloor(1 * GiB + 100, 100)).toBe(false);
    expect(t.belowFloor(1 * GiB + 100, 101)).toBe(true);
    expect(t.belowFloor(1 * GiB - 1)).toBe(true);
  });

  it('measures the real disk with statfs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-disk-'));
    try {
      const d = statfsDiskSpace(dir);
      expect(d.totalBytes).toBeGreaterThan(0);
      expect(d.freeBytes).toBeGreaterThan(0);
      expect(d.freeBytes).toBeLessThanOrEqual(d.totalBytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  LATEST_VERSION,
  MIGRATIONS,
  migrate,
  schemaVersion,
} from '../../../../../electron/core/platform/db/migrations';

describe('the migration list', () => {
  it('is numbered 1..n without gaps or repeats', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('brings an empty store to the latest version, and refuses a newer store rather than damage it', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const newer = new Database(':memory:');
    newer.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(() => migrate(newer)).toThrow(/newer than this Attest/);
  });
});

/**
 * The 24-hour rule (R4.1), defined once in electron/shared/rules/deadline.ts: the UI's
 * countdown, the core's status and the replication queue all use it, and the contract and
 * the schema's CHECK carry the same deadline.
 */
import { describe, expect, it } from 'vitest';
import { STORAGE_DEADLINE_MS as SCHEMA_DEADLINE_MS } from '../../../electron/core/platform/db/migrations/004_replication';
import * as contract from '../../../electron/shared/api/storage';
import {
  DEADLINE_WARN_WITHIN_MS,
  STORAGE_DEADLINE_HOURS,
  STORAGE_DEADLINE_MS,
  deadlineStatusAt,
  storageDeadlineOf,
} from '../../../electron/shared/rules/deadline';

const H = 3600_000;

describe('deadline status (R4.1)', () => {
  it('is ok, then warn within 4 h, then overdue, across the whole day and after', () => {
    const deadline = 10 * 24 * H;
    for (let now = deadline - 30 * H; now <= deadline + 30 * H; now += 15 * 60_000) {
      for (const verifiedAt of [null, deadline - H, deadline, deadline + 1]) {
        const v = verifiedAt !== null && verifiedAt > now ? null : verifiedAt;
        const expected =
          v !== null
            ? v <= deadline
              ? 'ok'
              : 'overdue'
            : now > deadline
              ? 'overdue'
              : now >= deadline - 4 * H
                ? 'warn'
                : 'ok';
        expect(deadlineStatusAt(deadline, v, now)).toBe(expected);
      }
    }
    expect(deadlineStatusAt(deadline, null, deadline - 4 * H - 1)).toBe('ok');
    expect(deadlineStatusAt(deadline, null, deadline - 4 * H)).toBe('warn');
    expect(deadlineStatusAt(deadline, null, deadline)).toBe('warn');
    expect(deadlineStatusAt(deadline, null, deadline + 1)).toBe('overdue');
    expect(deadlineStatusAt(deadline, deadline + 1, deadline + 2)).toBe('overdue');
    expect(deadlineStatusAt(deadline, deadline - H, deadline + 99 * H)).toBe('ok');
  });

  it('is the one rule the contract (and so the UI) carries, with the schema’s deadline', () => {
    expect(contract.deadlineStatusAt).toBe(deadlineStatusAt);
    expect(contract.STORAGE_DEADLINE_HOURS).toBe(STORAGE_DEADLINE_HOURS);
    expect(contract.DEADLINE_WARN_WITHIN_MS).toBe(DEADLINE_WARN_WITHIN_MS);
    expect(DEADLINE_WARN_WITHIN_MS).toBe(4 * H);
    expect(STORAGE_DEADLINE_MS).toBe(24 * H);
    expect(SCHEMA_DEADLINE_MS).toBe(STORAGE_DEADLINE_MS);
    expect(storageDeadlineOf(5)).toBe(5 + 24 * H);
  });
});

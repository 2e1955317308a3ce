/**
 * When a read of evidence starts a viewing, for the audit trail: a read from the start of a
 * file, an account's first read of it, or its first after an hour. The reads that follow
 * within the hour are the same viewing and are not recorded again.
 */
export const VIEWING_MS = 60 * 60_000;

export class Viewings {
  private readonly last = new Map<string, number>();

  /** Whether this read (of `key`: account and what is read) starts a viewing; notes it if so. */
  starts(key: string, at: number, fromStart = false): boolean {
    const before = this.last.get(key);
    if (!fromStart && before !== undefined && at - before <= VIEWING_MS) return false;
    this.last.set(key, at);
    return true;
  }
}

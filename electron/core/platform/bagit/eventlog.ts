/**
 * The session's event log: JSON Lines, hash-chained, append-only, checkpointed.
 *
 * Each line is one JSON object with keys in a fixed order:
 * `{"seq":1,"at":<UTC ms>,"t":<session ms>?,"type":"…","data":…,"prev":"<hex>"}`.
 * `prev` is the SHA-256 of the previous line's exact UTF-8 bytes (without its LF); the first
 * line's `prev` is 64 zeros. Removing, reordering or editing any line therefore breaks the
 * link of the line after it, and the verifier names that line.
 *
 * A `checkpoint` entry (every few minutes while recording) states the chain head so far.
 * Its worth is in {@link EventLogOptions.onCheckpoint}: the recording code mirrors each
 * checkpoint into the case store's own hash-chained audit trail, a second record kept apart
 * from this file, so rewriting the early part of a long session (and re-chaining everything
 * after it) is detectable before the session is sealed.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export const GENESIS = '0'.repeat(64);
export const CHECKPOINT_TYPE = 'checkpoint';
export const RECOVERED_TYPE = 'log.recovered';

/** What the recording code appends. */
export interface EventInput {
  /** Dotted verb, e.g. `recording.started`, `marker.rights-explained`. */
  type: string;
  /** Session monotonic time in ms (ARCHITECTURE §2), when the event has one. */
  t?: number;
  data?: unknown;
}

/** One line as written. */
export interface EventRecord {
  seq: number;
  at: number;
  t?: number;
  type: string;
  data: unknown;
  prev: string;
}

/** A checkpoint as reported to {@link EventLogOptions.onCheckpoint}. */
export interface Checkpoint {
  seq: number;
  at: number;
  /** Hash of the last line before the checkpoint: the chain head it vouches for. */
  head: string;
  /** How many entries precede the checkpoint. */
  entries: number;
  /** Hash of the checkpoint line itself (the new head). */
  hash: string;
}

/**
 * When the writer fsyncs. `always`: after every entry (events are a few a minute, so the
 * cost is nothing and a power cut loses at most the entry being written). `checkpoint`:
 * at checkpoints and on close only, for callers that log at a high rate.
 */
export type FsyncPolicy = 'always' | 'checkpoint';

export interface EventLogOptions {
  fsync?: FsyncPolicy;
  /** Checkpoint interval; 0 disables automatic checkpoints. Default 5 minutes. */
  checkpointEveryMs?: number;
  now?: () => number;
  onCheckpoint?: (cp: Checkpoint) => void;
}

export class EventLogError extends Error {}

/** SHA-256 hex of one line (without its line feed). */
export function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** Serialises an entry with keys in the fixed order, so the same entry is always the same bytes. */
export function formatEntry(r: EventRecord): string {
  const obj: Record<string, unknown> = { seq: r.seq, at: r.at };
  if (r.t !== undefined) obj.t = r.t;
  obj.type = r.type;
  obj.data = r.data ?? null;
  obj.prev = r.prev;
  const line = JSON.stringify(obj);
  if (line.includes('\n')) throw new EventLogError('an entry serialised to several lines');
  return line;
}

export interface EventLogProblem {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface EventLogCheck {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** Hash of the last line (the chain head), or the genesis value for an empty log. */
  head: string;
  problems: EventLogProblem[];
  /** Bytes after the last line feed (a line cut off by a crash), if any. */
  partialTail: number;
}

/**
 * Checks a whole log: every line parses, `seq` counts up from 1, each `prev` is the hash of
 * the line before, and each checkpoint's head and count agree with the chain.
 */
export function verifyEventLogText(text: string): EventLogCheck {
  const problems: EventLogProblem[] = [];
  let body = text;
  let partialTail = 0;
  const lastLf = text.lastIndexOf('\n');
  if (lastLf !== text.length - 1) {
    partialTail = Buffer.byteLength(text.slice(lastLf + 1), 'utf8');
    body = text.slice(0, lastLf + 1);
  }
  const lines = body === '' ? [] : body.slice(0, -1).split('\n');
  let prev = GENESIS;
  let checkpoints = 0;
  // The seq expected next: one more than the previous line's, so a single removed entry is
  // reported once, where the gap is, not on every line after it.
  let expectedSeq = 1;
  lines.forEach((line, i) => {
    const n = i + 1;
    let entry: Partial<EventRecord> & { data?: { head?: unknown; entries?: unknown } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      problems.push({ line: n, reason: 'not valid JSON' });
      prev = lineHash(line);
      expectedSeq++;
      return;
    }
    if (entry.seq !== expectedSeq) {
      problems.push({
        line: n,
        reason: `seq is ${String(entry.seq)}, expected ${expectedSeq} (an entry is missing or out of order)`,
      });
    }
    expectedSeq = (typeof entry.seq === 'number' ? entry.seq : expectedSeq) + 1;
    if (entry.prev !== prev) {
      problems.push({
        line: n,
        reason: `prev does not match the hash of line ${n - 1} (the chain is broken: an entry before it was removed or changed)`,
      });
    }
    if (typeof entry.type !== 'string' || typeof entry.at !== 'number') {
      problems.push({ line: n, reason: 'missing type or at' });
    }
    if (entry.type === CHECKPOINT_TYPE) {
      checkpoints++;
      if (entry.data?.head !== prev || entry.data.entries !== (entry.seq ?? n) - 1) {
        problems.push({ line: n, reason: 'checkpoint does not match the chain before it' });
      }
    }
    prev = lineHash(line);
  });
  if (partialTail > 0) {
    problems.push({
      line: lines.length + 1,
      reason: `incomplete last line (${partialTail} bytes without a line feed)`,
    });
  }
  return {
    ok: problems.length === 0,
    entries: lines.length,
    checkpoints,
    head: prev,
    problems,
    partialTail,
  };
}

export async function verifyEventLogFile(path: string): Promise<EventLogCheck> {
  return verifyEventLogText(await fsp.readFile(path, 'utf8'));
}

/**
 * Append-only writer. Entries get their `seq` and `prev` synchronously, in call order; the
 * writes are queued, so callers may fire `append` without awaiting and the file still comes
 * out in order. The first write error poisons the writer: every later call rejects, because
 * a gap in a hash chain is worse than a loud stop.
 */
export class EventLogWriter {
  private seq: number;
  private headHash: string;
  private queue: Promise<void> = Promise.resolve();
  private failed: Error | null = null;
  private closed = false;
  private lastCheckpointAt: number;
  private sinceCheckpoint = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    seq: number,
    head: string,
    private readonly options: EventLogOptions,
  ) {
    this.seq = seq;
    this.headHash = head;
    this.now = options.now ?? Date.now;
    this.lastCheckpointAt = this.now();
    const every = options.checkpointEveryMs ?? 5 * 60_000;
    if (every > 0) {
      this.timer = setInterval(
        () => {
          if (this.sinceCheckpoint > 0 && this.now() - this.lastCheckpointAt >= every) {
            this.checkpoint().catch(() => {
              // recorded in `failed`; the next append reports it
            });
          }
        },
        Math.min(every, 60_000),
      );
      this.timer.unref();
    }
  }

  /**
   * Opens a log for appending, creating it if needed. An existing log is verified first and
   * refused if its chain is broken (the caller starts a new file and records why). A last
   * line cut off by a crash is not thrown away: its bytes go into a `log.recovered` entry,
   * and the file is cut back to its last complete line, so the chain stays whole.
   */
  static async open(path: string, options: EventLogOptions = {}): Promise<EventLogWriter> {
    let text = '';
    try {
      text = await fsp.readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const check = verifyEventLogText(text);
    const chainProblems = check.problems.filter(
      (p) => !p.reason.startsWith('incomplete last line'),
    );
    if (chainProblems.length > 0) {
      throw new EventLogError(
        `the event log ${path} is broken at line ${chainProblems[0]!.line}: ${chainProblems[0]!.reason}`,
      );
    }
    let recovered: Buffer | null = null;
    if (check.partialTail > 0) {
      const bytes = await fsp.readFile(path);
      recovered = bytes.subarray(bytes.length - check.partialTail);
      await fsp.truncate(path, bytes.length - check.partialTail);
    }
    const fh = await fsp.open(path, 'a', 0o644);
    const writer = new EventLogWriter(fh, path, check.entries, check.head, options);
    if (recovered) {
      await writer.append({
        type: RECOVERED_TYPE,
        data: {
          reason: 'incomplete last line after a crash',
          bytesBase64: recovered.toString('base64'),
        },
      });
    }
    return writer;
  }

  /** The chain head: hash of the last line written. */
  get head(): string {
    return this.headHash;
  }

  get count(): number {
    return this.seq;
  }

  append(input: EventInput): Promise<EventRecord> {
    const record = this.enqueue(input.type, input.data, input.t);
    const every = this.options.checkpointEveryMs ?? 5 * 60_000;
    if (every > 0 && this.now() - this.lastCheckpointAt >= every)
      void this.checkpoint().catch(() => {});
    return record;
  }

  /** Appends a checkpoint now (extra facts, such as media byte counts so far, go in `data`). */
  async checkpoint(extra: Record<string, unknown> = {}): Promise<EventRecord> {
    const head = this.headHash;
    const entries = this.seq;
    this.lastCheckpointAt = this.now();
    this.sinceCheckpoint = 0;
    const record = await this.enqueue(
      CHECKPOINT_TYPE,
      { ...extra, head, entries },
      undefined,
      true,
    );
    this.options.onCheckpoint?.({
      seq: record.seq,
      at: record.at,
      head,
      entries,
      hash: lineHash(formatEntry(record)),
    });
    return record;
  }

  private enqueue(
    type: string,
    data: unknown,
    t: number | undefined,
    forceSync = false,
  ): Promise<EventRecord> {
    if (this.closed) return Promise.reject(new EventLogError('the event log is closed'));
    if (this.failed) return Promise.reject(this.failed);
    const record: EventRecord = {
      seq: this.seq + 1,
      at: this.now(),
      type,
      data: data ?? null,
      prev: this.headHash,
    };
    if (t !== undefined) record.t = t;
    const line = formatEntry(record);
    this.seq = record.seq;
    this.headHash = lineHash(line);
    if (type !== CHECKPOINT_TYPE) this.sinceCheckpoint++;
    const sync = forceSync || (this.options.fsync ?? 'always') === 'always';
    const write = this.queue.then(async () => {
      if (this.failed) throw this.failed;
      try {
        await this.fh.write(`${line}\n`);
        if (sync) await this.fh.sync();
      } catch (e) {
        this.failed = e instanceof Error ? e : new Error(String(e));
        throw this.failed;
      }
    });
    this.queue = write.catch(() => {});
    return write.then(() => record);
  }

  /** Waits for queued writes and fsyncs. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failed) throw this.failed;
    await this.fh.sync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.fh.close();
    }
  }
}

/** Writes a whole log from entries already in memory (used when a session hands its events over at seal time). */
export async function writeEventLog(
  path: string,
  entries: readonly (EventInput & { at?: number })[],
  now: () => number = Date.now,
): Promise<{ head: string; count: number }> {
  let i = 0;
  const writer = await EventLogWriter.open(path, {
    fsync: 'checkpoint',
    checkpointEveryMs: 0,
    now: () => entries[i]?.at ?? now(),
  });
  try {
    for (; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.type === CHECKPOINT_TYPE) {
        // A checkpoint's head and count are facts of this chain: recompute them, keep the rest.
        const extra = { ...((e.data ?? {}) as Record<string, unknown>) };
        delete extra.head;
        delete extra.entries;
        await writer.checkpoint(extra);
      } else await writer.append(e);
    }
    return { head: writer.head, count: writer.count };
  } finally {
    await writer.close();
  }
}

/**
 * Compares a log with the checkpoints mirrored elsewhere while it was written (the audit
 * trail, via {@link EventLogOptions.onCheckpoint}). A log rewritten from an early entry
 * onward and re-chained is self-consistent, so {@link verifyEventLogText} alone cannot see
 * it; the mirrored heads can. Returns one problem per checkpoint that is absent or differs.
 */
export function checkAgainstCheckpoints(
  text: string,
  recorded: readonly Pick<Checkpoint, 'seq' | 'head'>[],
): EventLogProblem[] {
  const lines = text.split('\n');
  const problems: EventLogProblem[] = [];
  for (const cp of recorded) {
    const line = lines[cp.seq - 1];
    let head: unknown;
    try {
      const e = JSON.parse(line ?? '') as { type?: string; data?: { head?: unknown } };
      head = e.type === CHECKPOINT_TYPE ? e.data?.head : undefined;
    } catch {
      head = undefined;
    }
    if (head !== cp.head) {
      problems.push({
        line: cp.seq,
        reason:
          head === undefined
            ? 'a checkpoint recorded during the session is missing from the log'
            : 'the log before this checkpoint differs from what was recorded during the session',
      });
    }
  }
  return problems;
}

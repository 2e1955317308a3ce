/**
 * Anchors of the audit trail outside its database. The trail is hash-chained and the
 * database refuses edits, but whoever holds the file can drop the guards, delete entries and
 * chain the rest again: the chain alone would still hold. So the chain's head (its last
 * entry's number and hash) is written, signed with the workstation identity, to files beside
 * the database: when the core starts, every hour, and when it stops. A trail that no longer
 * holds the entry an anchor names, or holds another one under that number, was rewritten,
 * and the check says from which anchor on.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../platform/db/database';
import { AuditLog } from '../../platform/audit';
import { verifyDetachedCms } from '../../platform/pki/cms-verify';
import {
  knownFingerprints,
  loadOrCreateIdentity,
  type WorkstationIdentity,
} from '../../platform/pki/identity';

/** The folder of anchors, in the data directory. */
export const ANCHOR_DIR = 'audit-anchors';
const FORMAT = 'attest-audit-anchor/1';
const HOUR_MS = 3_600_000;

export type AnchorReason = 'start' | 'hourly' | 'stop';

export interface AuditAnchor {
  format: typeof FORMAT;
  /** The last entry when anchored (0: the trail was empty). */
  seq: number;
  hash: string;
  at: string;
  reason: AnchorReason;
  software: string;
}

export interface ChainCheck {
  /** The chain holds and agrees with every anchor. */
  ok: boolean;
  count: number;
  /** The first entry whose hash or link does not hold, if any. */
  brokenAt: number | null;
  /** Anchors found and checked. */
  anchors: number;
  /** What does not hold, one sentence each, naming the entry and the anchor. */
  problems: string[];
}

const head = (db: Db) => new AuditLog(db).head();

/** Writes a file whole (a temporary name, fsynced, renamed), readable by the owner only. */
function writeWhole(path: string, bytes: Buffer): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Writes one signed anchor of the trail's current head; returns its file name. */
export function writeAnchor(
  db: Db,
  dir: string,
  identity: WorkstationIdentity,
  reason: AnchorReason,
  at: Date,
  software: string,
): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const h = head(db);
  const anchor: AuditAnchor = {
    format: FORMAT,
    seq: h.seq,
    hash: h.hash,
    at: at.toISOString(),
    reason,
    software,
  };
  const bytes = Buffer.from(`${JSON.stringify(anchor)}\n`, 'utf8');
  const name = `${String(h.seq).padStart(10, '0')}-${at.getTime()}-${reason}`;
  // The signature first: an anchor file is only ever found with its signature beside it.
  writeWhole(
    join(dir, `${name}.p7s`),
    identity.signer.signDetachedSync(bytes, { signingTime: at }),
  );
  writeWhole(join(dir, `${name}.json`), bytes);
  return `${name}.json`;
}

/**
 * The anchors (each `.json` with its `.p7s`) a replica of a recording carries: every one
 * made from `fromMs` on, and the last one before it (the head the recording started from).
 * Names are `audit-anchors/<file>`.
 */
export function anchorFilesFrom(
  dataDir: string,
  fromMs: number,
): { name: string; bytes: Buffer }[] {
  const dir = join(dataDir, ANCHOR_DIR);
  if (!existsSync(dir)) return [];
  const made = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && existsSync(join(dir, f.replace(/\.json$/, '.p7s'))))
    .map((f) => ({ f, at: Number(f.split('-')[1]) }))
    .filter((a) => Number.isFinite(a.at))
    .sort((a, b) => a.at - b.at || (a.f < b.f ? -1 : 1));
  const before = made.filter((a) => a.at < fromMs).pop();
  return [...(before ? [before] : []), ...made.filter((a) => a.at >= fromMs)].flatMap(({ f }) =>
    [f, f.replace(/\.json$/, '.p7s')].map((name) => ({
      name: `${ANCHOR_DIR}/${name}`,
      bytes: readFileSync(join(dir, name)),
    })),
  );
}

/**
 * The chain, entry by entry, and every anchor in `dataDir`: each must be signed by a
 * certificate this workstation has had, and the entry it names must still be in the trail
 * with the hash it had.
 */
export async function checkChain(
  db: Db,
  dataDir: string,
  identityDir: string,
): Promise<ChainCheck> {
  const chain = new AuditLog(db).verify();
  const problems: string[] = [];
  if (!chain.ok) problems.push(`the chain does not hold at entry #${chain.brokenAt}`);
  const dir = join(dataDir, ANCHOR_DIR);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const known = await knownFingerprints(identityDir);
  const entry = db.prepare('SELECT hash FROM events WHERE seq = ?');
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    let a: AuditAnchor;
    try {
      a = JSON.parse(bytes.toString('utf8')) as AuditAnchor;
      if (a.format !== FORMAT || !Number.isInteger(a.seq)) throw new Error('not an anchor');
    } catch {
      problems.push(`${file}: not a readable anchor`);
      continue;
    }
    const when = `anchored ${a.at} (${a.reason})`;
    const sig = join(dir, file.replace(/\.json$/, '.p7s'));
    if (!existsSync(sig)) problems.push(`${file}: ${when}, has no signature`);
    else {
      const v = await verifyDetachedCms(readFileSync(sig), bytes, { trustAnchors: [] });
      const fp = v.signer?.fingerprintSha256.replace(/:/g, '').toLowerCase();
      if (!v.signatureValid) problems.push(`${file}: its signature does not hold`);
      else if (!fp || !known.includes(fp))
        problems.push(
          `${file}: signed by a certificate this workstation never had (SHA-256 ${fp ?? '?'})`,
        );
    }
    if (a.seq === 0) continue;
    const row = entry.get(a.seq) as { hash: string } | undefined;
    if (!row)
      problems.push(
        `entry #${a.seq} was ${when}, but the trail ends at #${chain.count}: entries were removed`,
      );
    else if (row.hash !== a.hash)
      problems.push(
        `entry #${a.seq} is not the one ${when}: the trail was rewritten at or before it`,
      );
  }
  return {
    ok: problems.length === 0,
    count: chain.count,
    brokenAt: chain.brokenAt,
    anchors: files.length,
    problems,
  };
}

/** The core's anchoring: at start, every hour, at stop; and the check of the chain. */
export class AuditAnchors {
  private identity: WorkstationIdentity | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly identityDir: string,
    private readonly software: string,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** Loads the workstation identity and anchors the head the core starts from. */
  async start(): Promise<void> {
    try {
      this.identity = await loadOrCreateIdentity(this.identityDir);
    } catch (e) {
      this.log(`audit anchors: no identity to sign with: ${e instanceof Error ? e.message : e}`);
      return;
    }
    if (this.stopped) return;
    this.anchor('start');
    this.timer = setInterval(() => this.anchor('hourly'), HOUR_MS);
    this.timer.unref();
  }

  /** Anchors the head now (synchronously: it runs as the core closes). */
  anchor(reason: AnchorReason): string | null {
    if (!this.identity) return null;
    try {
      return writeAnchor(
        this.db,
        join(this.dataDir, ANCHOR_DIR),
        this.identity,
        reason,
        new Date(this.now()),
        this.software,
      );
    } catch (e) {
      this.log(`audit anchor (${reason}) not written: ${e instanceof Error ? e.message : e}`);
      return null;
    }
  }

  /** The last anchor, before the store closes. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.anchor('stop');
  }

  verify(): Promise<ChainCheck> {
    return checkChain(this.db, this.dataDir, this.identityDir);
  }
}

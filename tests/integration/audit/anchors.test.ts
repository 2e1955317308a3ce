/**
 * The audit trail against someone who holds the database file: the database refuses any
 * entry but the next one (INSERT OR REPLACE included), and a trail rewritten behind the
 * app's back (guards dropped, entries deleted, the rest chained again, guards restored) is
 * caught by the signed heads anchored outside the database: `audit.verifyChain` and
 * `attest audit verify` name the anchor it no longer agrees with. Real SQLite, real keys.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { openCore } from '../../../electron/core/core';
import { ANCHOR_DIR } from '../../../electron/core/features/audit/anchors';
import { entryHash, GENESIS_HASH } from '../../../electron/core/platform/audit';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { seed } from '../../helpers/core';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

/** A data directory with a trail of some length, written by a core that started and stopped. */
async function recordedStore(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-anchors-'));
  dirs.push(dataDir);
  let t = Date.UTC(2026, 11, 6, 9, 0, 0);
  const core = openCore({ dataDir, now: () => (t += 1000), log: () => undefined });
  const client = connectInMemory(core);
  await core.settled(); // the start anchor is written once the identity loads
  await seed(client);
  client.close();
  core.close();
  await core.settled();
  return dataDir;
}

async function auditVerify(dataDir: string) {
  const c = capture();
  const code = await main(['audit', 'verify', '--data-dir', dataDir], { io: c.io });
  return { code, out: c.out.join(''), err: c.err.join('') };
}

describe('the audit trail against the database file', () => {
  it('takes only its next entry: INSERT OR REPLACE, a skipped number or a wrong link is refused', async () => {
    const dataDir = await recordedStore();
    const raw = new Database(join(dataDir, 'attest.db'));
    const last = raw.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as Record<
      string,
      unknown
    >;
    const insert = (verb: string, row: Record<string, unknown>) =>
      raw
        .prepare(
          `${verb} INTO events (seq, at, actor_user_id, actor, action, entity, entity_id, case_id, data, prev_hash, hash)
           VALUES (@seq, @at, @actor_user_id, @actor, @action, @entity, @entity_id, @case_id, @data, @prev_hash, @hash)`,
        )
        .run(row);
    expect(() => insert('INSERT OR REPLACE', { ...last, data: '{"forged":true}' })).toThrow(
      /takes only its next entry/,
    );
    expect(() =>
      insert('INSERT', { ...last, seq: (last.seq as number) + 2, prev_hash: last.hash }),
    ).toThrow(/takes only its next entry/);
    expect(() =>
      insert('INSERT', { ...last, seq: (last.seq as number) + 1, prev_hash: GENESIS_HASH }),
    ).toThrow(/takes only its next entry/);
    raw.close();
    expect((await auditVerify(dataDir)).code).toBe(0);
  });

  it('catches entries deleted and the chain re-computed with the guards dropped and restored', async () => {
    const dataDir = await recordedStore();
    const honest = await auditVerify(dataDir);
    expect(honest.code, honest.out + honest.err).toBe(0);
    expect(honest.out).toMatch(/锚点 anchors: [2-9]/);
    expect(honest.out).toContain('完好 INTACT');
    const anchors = readdirSync(join(dataDir, ANCHOR_DIR)).filter((f) => f.endsWith('.json'));
    expect(anchors.some((f) => f.endsWith('-start.json'))).toBe(true);
    expect(anchors.some((f) => f.endsWith('-stop.json'))).toBe(true);
    // Each anchor's signature holds with standard tools.
    const last = join(dataDir, ANCHOR_DIR, anchors.sort().at(-1)!);
    execFileSync('openssl', [
      ...['cms', '-verify', '-binary', '-inform', 'DER', '-noverify'],
      ...['-in', last.replace(/\.json$/, '.p7s'), '-content', last, '-out', '/dev/null'],
    ]);

    // What the reviewer did: drop the guards, delete entries, chain the rest again.
    const raw = new Database(join(dataDir, 'attest.db'));
    const triggers = raw
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
      .all() as { name: string; sql: string }[];
    expect(triggers.map((t) => t.name).sort()).toEqual([
      'events_next_only',
      'events_no_delete',
      'events_no_update',
    ]);
    for (const t of triggers) raw.exec(`DROP TRIGGER ${t.name}`);
    const before = (raw.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    // Everything between the first two entries and the last.
    const removed = raw
      .prepare('DELETE FROM events WHERE seq BETWEEN 3 AND ?')
      .run(before - 1).changes;
    expect(removed).toBeGreaterThanOrEqual(4);
    const rows = raw.prepare('SELECT * FROM events ORDER BY seq').all() as Record<string, never>[];
    raw.prepare('DELETE FROM events').run();
    let prev = GENESIS_HASH;
    rows.forEach((r, i) => {
      const row: Record<string, unknown> = {
        ...(r as Record<string, unknown>),
        seq: i + 1,
        prev_hash: prev,
      };
      delete row.hash;
      const hash = entryHash(row as never);
      raw
        .prepare(
          `INSERT INTO events (seq, at, actor_user_id, actor, action, entity, entity_id, case_id, data, prev_hash, hash)
           VALUES (@seq, @at, @actor_user_id, @actor, @action, @entity, @entity_id, @case_id, @data, @prev_hash, @hash)`,
        )
        .run({ ...row, hash });
      prev = hash;
    });
    for (const t of triggers) raw.exec(t.sql);
    raw.close();

    const forged = await auditVerify(dataDir);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('已被改动 ALTERED');
    expect(forged.out).toContain(`条目 entries: ${before - removed}`);
    expect(forged.out).toMatch(
      /entry #\d+ was anchored .* \(stop\), but the trail ends at #\d+: entries were removed/,
    );

    // The app says the same, and the core it opens writes its own start anchor meanwhile.
    const core = openCore({ dataDir, log: () => undefined });
    const client = connectInMemory(core);
    await seedSignIn(client);
    const check = await client.invoke('audit.verifyChain', {});
    expect(check.ok).toBe(false);
    expect(check.brokenAt).toBeNull();
    expect(check.problems.join('\n')).toMatch(/entries were removed/);
    client.close();
    core.close();
    await core.settled();
  });

  it('refuses an anchor that was edited, unsigned, or signed by a key this workstation never had', async () => {
    const dataDir = await recordedStore();
    const dir = join(dataDir, ANCHOR_DIR);
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('-stop.json'))
      .at(-1)!;
    const anchor = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { hash: string };
    // Moved to another head by whoever rewrote the trail: its signature no longer holds.
    writeFileSync(
      join(dir, file),
      `${JSON.stringify({ ...anchor, hash: createHash('sha256').update('x').digest('hex') })}\n`,
    );
    let r = await auditVerify(dataDir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}: its signature does not hold`);
    // Re-signed with a key of the forger's own.
    const key = join(dataDir, 'forger.key');
    const cert = join(dataDir, 'forger.pem');
    execFileSync('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=Attest workstation'],
    ]);
    execFileSync('openssl', [
      ...['cms', '-sign', '-binary', '-outform', 'DER', '-nosmimecap', '-md', 'sha256'],
      ...['-signer', cert, '-inkey', key, '-in', join(dir, file)],
      ...['-out', join(dir, file.replace(/\.json$/, '.p7s'))],
    ]);
    r = await auditVerify(dataDir);
    expect(r.out).toContain(`${file}: signed by a certificate this workstation never had`);
    rmSync(join(dir, file.replace(/\.json$/, '.p7s')));
    r = await auditVerify(dataDir);
    expect(r.out).toContain('has no signature');
    expect(r.code).toBe(1);
  });
});

async function seedSignIn(client: ReturnType<typeof connectInMemory>) {
  const { ADMIN } = await import('../../helpers/core');
  await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
}

describe('the data directory', () => {
  it('is closed to other accounts: the directory 0700, the case store, anchors and key 0600', async () => {
    const dataDir = await recordedStore();
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'attest.db'))).toBe(0o600);
    expect(mode(join(dataDir, ANCHOR_DIR))).toBe(0o700);
    for (const f of readdirSync(join(dataDir, ANCHOR_DIR)))
      expect(mode(join(dataDir, ANCHOR_DIR, f)), f).toBe(0o600);
    expect(mode(join(dataDir, 'identity', 'current', 'key.pem'))).toBe(0o600);
    // A directory an older version left open is closed when the core opens it.
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'attest.db'), 0o644);
    const again = openCore({ dataDir, log: () => undefined });
    again.close();
    await again.settled();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'attest.db'))).toBe(0o600);
  });
});

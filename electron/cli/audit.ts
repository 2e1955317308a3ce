/**
 * `attest audit verify [--data-dir DIR] [--json]`: the audit trail of a data directory,
 * checked entry by entry and against every signed head anchored outside its database
 * (features/audit/anchors.ts). The store is opened read-only: checking changes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { defaultDataDir } from '../core/paths';
import { checkChain } from '../core/features/audit/anchors';
import { identityDirOf } from '../core/platform/pki';

export const AUDIT_USAGE = 'attest audit verify [--data-dir DIR] [--json]';
export const AUDIT_SUMMARY =
  '核验审计日志 check the audit trail against its signed anchors (exit 0 only if it holds)';

export async function auditCommand(
  argv: readonly string[],
  io: { out(t: string): void; err(t: string): void },
): Promise<number> {
  let values: { 'data-dir'?: string; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (e) {
    io.err(`attest audit: ${(e as Error).message}\nusage: ${AUDIT_USAGE}\n`);
    return 2;
  }
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    io.err(`usage: ${AUDIT_USAGE}\n`);
    return 2;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const file = join(dataDir, 'attest.db');
  if (!existsSync(file)) {
    io.err(`attest audit: no case store in ${dataDir}\n`);
    return 1;
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const r = await checkChain(db, dataDir, identityDirOf(dataDir));
    if (values.json) io.out(`${JSON.stringify(r, null, 2)}\n`);
    else
      io.out(
        [
          `审计日志 audit trail: ${dataDir}`,
          `条目 entries: ${r.count}; 锚点 anchors: ${r.anchors}`,
          `结论 result: ${r.ok ? '完好 INTACT' : '已被改动 ALTERED'}`,
          ...r.problems.map((p) => `  ! ${p}`),
          '',
        ].join('\n'),
      );
    return r.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

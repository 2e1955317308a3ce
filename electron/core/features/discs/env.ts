/**
 * What the disc services share: their options, the agency's zone, the burner, and small
 * look-ups of other features' records (the case, a user's name) through those features.
 */
import { realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DiscStep, DriveDto } from '../../../shared/api/discs';
import type { Burner } from '../../platform/optical/burner';
import type { EvidenceGuard, ServiceDeps } from '../context';
import { caseHeader } from '../cases';
import { userDisplayName } from '../users';
import type { BundleSource } from './bundles';

export interface DiscsOptions {
  dataDir: string;
  version: string;
  bundles?: BundleSource;
  burner?: Burner;
  xorrisoBin?: string;
  resourcesDir?: string;
  /**
   * The folders disc images may be saved into (a USB stick's mount point, a share the
   * agency set up): the administrator's choice, from `ATTEST_EXPORT_DIRS` (separated by the
   * platform's path delimiter); `<dataDir>/exports` always.
   */
  exportDirs?: readonly string[];
  /** The agency certificate register as its file, written onto every disc (null while empty). */
  register?: () => { text: string; sha256: string } | null;
  /** The access check: a disc or an image is a copy of the case's evidence (R6.1, R6.3). */
  guard: EvidenceGuard;
}

/** The export folders a core may save disc images into. */
export function exportDirsOf(opts: DiscsOptions): string[] {
  const fromEnv = (process.env.ATTEST_EXPORT_DIRS ?? '').split(delimiter).filter(Boolean);
  return [join(opts.dataDir, 'exports'), ...(opts.exportDirs ?? fromEnv)];
}

/**
 * Where a disc image may be saved: an absolute local folder (no UNC path, nothing relative)
 * that is, after following links, one of the export folders or inside one. Returns the real
 * folder; a clear error names the folders that are allowed.
 */
export function exportFolder(opts: DiscsOptions, wanted: string): string {
  const allowed = exportDirsOf(opts);
  const refuse = (why: string) =>
    new AppError(
      'INVALID_INPUT',
      `${why}: disc images are saved only into the export folders (${allowed.join(', ')})`,
    );
  if (/^(\\\\|\/\/)/.test(wanted)) throw refuse('a network (UNC) path is not an export folder');
  if (!isAbsolute(wanted)) throw refuse('the folder must be given as a full path');
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch {
    throw refuse(`${wanted} does not exist`);
  }
  const inside = allowed.some((dir) => {
    let root: string;
    try {
      root = realpathSync(dir);
    } catch {
      return false;
    }
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
  if (!inside) throw refuse(`${wanted} is not an export folder`);
  return real;
}

export interface DiscsEnv {
  deps: ServiceDeps;
  opts: DiscsOptions;
  /** The agency's time zone (read at each use: the setting may change): set numbers, label and index times. */
  readonly tz: string;
  burner: Burner;
}

/** The case a disc set or index is for; NOT_FOUND when there is none. */
export function caseOf(
  env: DiscsEnv,
  caseId: number,
): { id: number; caseNo: string; cause: string; createdAt: number } {
  const c = caseHeader(env.deps.db, caseId);
  if (!c) throw new AppError('NOT_FOUND', `no case ${caseId}`);
  return c;
}

/** A user's display name for the record, `#id` when the user is gone. */
export function userName(env: DiscsEnv, id: number): string {
  return userDisplayName(env.deps.db, id) ?? `#${id}`;
}

/** Tells the clients how far one step on one disc has got. */
export function progress(
  env: DiscsEnv,
  setId: number,
  discId: number | null,
  discNumber: number,
  step: DiscStep,
  fraction: number | null,
  message: string | null = null,
): void {
  env.deps.emit('disc.progress', { setId, discId, discNumber, step, fraction, message });
}

/** The optical drives the burner sees; CONFLICT when they cannot be listed. */
export async function listDrives(env: DiscsEnv): Promise<DriveDto[]> {
  try {
    return await env.burner.listDrives();
  } catch (e) {
    throw new AppError('CONFLICT', `no drive can be listed: ${(e as Error).message}`);
  }
}

/** The xorriso binary option, when one is configured. */
export function xorrisoBin(env: DiscsEnv): { bin?: string } {
  return env.opts.xorrisoBin ? { bin: env.opts.xorrisoBin } : {};
}

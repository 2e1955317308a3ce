/**
 * What the disc services share: their options, the agency's zone, the burner, and small
 * look-ups of other features' records (the case, a user's name) through those features.
 */
import { AppError } from '../../../shared/errors';
import type { DiscStep, DriveDto } from '../../../shared/api/discs';
import type { Burner } from '../../platform/optical/burner';
import type { ServiceDeps } from '../context';
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
  timeZone?: string;
}

export interface DiscsEnv {
  deps: ServiceDeps;
  opts: DiscsOptions;
  /** The agency's time zone: set numbers, label and index times. */
  tz: string;
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

/**
 * Where the sealed bundles of a case come from, and planning them onto discs.
 *
 * Where bundles come from is a port ({@link BundleSource}): by default the bundles the
 * sealing feature recorded for the case; tests and tools hand in a scan of archive
 * directories instead, matching bags by their bag-info `Case-Number`.
 */
import { promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DiscBundleDto } from '../../../shared/api/discs';
import { planDiscs, type DiscPlan, type MediumId } from '../../../shared/rules/disc-plan';
import type { Db } from '../../platform/db/database';
import { sealedBundleRefs } from '../sealing';
import { caseOf, type DiscsEnv } from './env';
import { readSourceBundle, type SourceBundle } from './layout';

/** Where the sealed bundles of a case are. */
export interface BundleSource {
  bundlesOf(c: { id: number; caseNo: string }): Promise<SourceBundle[]>;
}

/** Recording order, then name. */
function byTime(a: SourceBundle, b: SourceBundle): number {
  return (
    (a.recordingStart ?? 0) - (b.recordingStart ?? 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Bags found under archive directories (at the top or one level down, as the sealing
 * service files them: `archive/<case>/<bag>`), matched by bag-info `Case-Number`.
 */
export class ArchiveBundleSource implements BundleSource {
  private readonly dirs: readonly string[];
  constructor(dirs: readonly string[]) {
    this.dirs = dirs;
  }
  async bundlesOf(c: { id: number; caseNo: string }): Promise<SourceBundle[]> {
    const out: SourceBundle[] = [];
    const visit = async (dir: string, depth: number): Promise<void> => {
      for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (!e.isDirectory() || e.name.startsWith('.')) continue;
        const path = join(dir, e.name);
        if (await fsp.stat(join(path, 'bagit.txt')).catch(() => null)) {
          const b = await readSourceBundle(path, e.name).catch(() => null);
          if (b && b.info['Case-Number']?.[0] === c.caseNo) out.push(b);
        } else if (depth > 0) await visit(path, depth - 1);
      }
    };
    for (const dir of this.dirs) await visit(dir, 1);
    return out.sort(byTime);
  }
}

/**
 * The bundles the sealing feature recorded for the case (paths relative to the data
 * directory); a bag that cannot be read is left out.
 */
export class CaseStoreBundleSource implements BundleSource {
  private readonly db: Db;
  private readonly dataDir: string;
  constructor(db: Db, dataDir: string) {
    this.db = db;
    this.dataDir = dataDir;
  }
  async bundlesOf(c: { id: number; caseNo: string }): Promise<SourceBundle[]> {
    const out: SourceBundle[] = [];
    for (const r of sealedBundleRefs(this.db, { caseId: c.id })) {
      const b = await readSourceBundle(
        isAbsolute(r.path) ? r.path : join(this.dataDir, ...r.path.split('/')),
        r.bagName,
      ).catch(() => null);
      if (b) out.push(b);
    }
    return out.sort(byTime);
  }
}

/** The case's bundles as the clerk chooses among them, and the plan of discs for a choice. */
export class DiscBundles {
  constructor(
    private readonly env: DiscsEnv,
    private readonly source: BundleSource,
  ) {}

  /** The case's sealed bundles by name; NOT_FOUND when there is no such case. */
  async sources(caseId: number): Promise<Map<string, SourceBundle>> {
    const c = caseOf(this.env, caseId);
    return new Map(
      (await this.source.bundlesOf({ id: c.id, caseNo: c.caseNo })).map((b) => [b.name, b]),
    );
  }

  /** The case's sealed bundles that can go on a disc. */
  async bundles(caseId: number): Promise<DiscBundleDto[]> {
    return [...(await this.sources(caseId)).values()].map((b) => ({
      name: b.name,
      path: b.path,
      sessionIdentifier: b.info['Session-Identifier']?.[0] ?? null,
      recordingStart: b.recordingStart,
      recordingEnd: Number.isFinite(Date.parse(b.info['Recording-End']?.[0] ?? ''))
        ? Date.parse(b.info['Recording-End']![0]!)
        : null,
      bytes: b.files.reduce((a, f) => a + f.bytes, 0),
      files: b.files.map((f) => ({ path: f.path, bytes: f.bytes })),
      tagManifestSha512: b.tagManifestSha512,
    }));
  }

  /** The chosen bundles in the order chosen; NOT_FOUND names one the case does not have. */
  pick(sources: Map<string, SourceBundle>, names: readonly string[]): SourceBundle[] {
    return names.map((n) => {
      const b = sources.get(n);
      if (!b) throw new AppError('NOT_FOUND', `the case has no sealed bundle ${n}`);
      return b;
    });
  }

  /** The discs the chosen bundles take on a medium (a preview; nothing is recorded). */
  async plan(input: {
    caseId: number;
    bundles: string[];
    medium: MediumId;
    copies: number;
  }): Promise<DiscPlan> {
    return planDiscs(
      this.pick(await this.sources(input.caseId), input.bundles),
      input.medium,
      input.copies,
    );
  }
}

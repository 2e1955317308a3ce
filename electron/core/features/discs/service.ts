/**
 * The clerk's disc workflow (issue 5; R5.1, R5.2, R4.4): the case's sealed bundles, the
 * plan, images, burning through the {@link Burner} port, read-back verification, the record
 * of every disc (migration 008 and the audit trail), the label sheet, and the case file
 * index with its filing deadline.
 *
 * Where bundles come from is a port too ({@link BundleSource}): by default every BagIt bag
 * under the archive directories whose bag-info says `Case-Number: <the case's number>`.
 * The sealing integration can hand in a source backed by its own table instead.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsc, existsSync, promises as fsp } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import {
  type DiscBundleDto,
  type CaseFileEntryDto,
  type CaseFileIndexDto,
  type DiscDto,
  type DiscImageDto,
  type DiscProblemDto,
  type DiscSetDto,
  type DiscStep,
  type DriveDto,
  type PdfDto,
} from '../../../shared/api/discs';
import { MEDIA, planDiscs, type DiscPlan, type MediumId } from '../../../shared/rules/disc-plan';
import { isoInZone } from '../sealing/baginfo';
import { buildDiscImage, placementOf, readSourceBundle, type SourceBundle } from './layout';
import { platformBurner, type Burner } from '../../platform/disc/burner';
import { renderCaseFileIndex, renderLabelSheet, type LabelDisc } from './label-pdf';
import { verifyDisc, type DiscSource, type DiscVerifyReport } from './disc-verify';
import { safeVolumeId } from '../../platform/disc/xorriso';
import { requireUser, type Caller, type ServiceDeps } from '../context';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Where the sealed bundles of a case are. */
export interface BundleSource {
  bundlesOf(c: { id: number; caseNo: string }): Promise<SourceBundle[]>;
}

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
 * The bundles the sealing service recorded for the case (table `sealed_bundles`, migration
 * 007; paths relative to the data directory); falls back to scanning `archive/` when that
 * table is not there.
 */
export class CaseStoreBundleSource implements BundleSource {
  private readonly db: ServiceDeps['db'];
  private readonly dataDir: string;
  constructor(db: ServiceDeps['db'], dataDir: string) {
    this.db = db;
    this.dataDir = dataDir;
  }
  async bundlesOf(c: { id: number; caseNo: string }): Promise<SourceBundle[]> {
    const table = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sealed_bundles'")
      .get();
    if (!table) return new ArchiveBundleSource([join(this.dataDir, 'archive')]).bundlesOf(c);
    const rows = this.db
      .prepare('SELECT bag_name, path FROM sealed_bundles WHERE case_id = ? ORDER BY id')
      .all(c.id) as { bag_name: string; path: string }[];
    const out: SourceBundle[] = [];
    for (const r of rows) {
      const b = await readSourceBundle(
        isAbsolute(r.path) ? r.path : join(this.dataDir, ...r.path.split('/')),
        r.bag_name,
      ).catch(() => null);
      if (b) out.push(b);
    }
    return out.sort(byTime);
  }
}

export interface DiscsOptions {
  dataDir: string;
  version: string;
  bundles?: BundleSource;
  burner?: Burner;
  xorrisoBin?: string;
  resourcesDir?: string;
  timeZone?: string;
}

interface SetRow {
  id: number;
  set_no: string;
  case_id: number;
  medium: MediumId;
  copies: number;
  disc_count: number;
  bundles: string;
  plan: string;
  purpose: string | null;
  created_by: number;
  created_at: number;
}
interface ImageRow {
  set_id: number;
  disc_no: number;
  path: string;
  volume_id: string;
  bytes: number;
  sectors: number;
  index_sha256: string;
  bundles: string;
  built_at: number;
}
interface DiscRow {
  id: number;
  set_id: number;
  disc_no: number;
  copy_no: number;
  serial: string;
  medium: MediumId;
  kind: 'burned' | 'image';
  drive: string | null;
  image_path: string | null;
  made_by: number;
  made_at: number;
  result: 'pending' | 'verified' | 'failed';
  verified_at: number | null;
  problems: string;
}

export class DiscsService {
  private readonly bundleSource: BundleSource;
  private readonly burner: Burner;
  private readonly tz: string;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly opts: DiscsOptions,
  ) {
    this.bundleSource = opts.bundles ?? new CaseStoreBundleSource(deps.db, opts.dataDir);
    this.burner = opts.burner ?? platformBurner();
    this.tz = opts.timeZone ?? 'Asia/Shanghai';
  }

  private caseRow(caseId: number): {
    id: number;
    case_no: string;
    cause: string;
    created_at: number;
  } {
    const row = this.deps.db
      .prepare('SELECT id, case_no, cause, created_at FROM cases WHERE id = ?')
      .get(caseId) as
      { id: number; case_no: string; cause: string; created_at: number } | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no case ${caseId}`);
    return row;
  }

  private userName(id: number): string {
    const r = this.deps.db.prepare('SELECT display_name FROM users WHERE id = ?').get(id) as
      { display_name: string } | undefined;
    return r?.display_name ?? `#${id}`;
  }

  private progress(
    setId: number,
    discId: number | null,
    discNumber: number,
    step: DiscStep,
    fraction: number | null,
    message: string | null = null,
  ): void {
    this.deps.emit('disc.progress', { setId, discId, discNumber, step, fraction, message });
  }

  private async sources(caseId: number): Promise<Map<string, SourceBundle>> {
    const c = this.caseRow(caseId);
    return new Map(
      (await this.bundleSource.bundlesOf({ id: c.id, caseNo: c.case_no })).map((b) => [b.name, b]),
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

  private pick(sources: Map<string, SourceBundle>, names: readonly string[]): SourceBundle[] {
    return names.map((n) => {
      const b = sources.get(n);
      if (!b) throw new AppError('NOT_FOUND', `the case has no sealed bundle ${n}`);
      return b;
    });
  }

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

  /**
   * `YYYYMMDD-NNN` in the agency's zone: the next number not taken by a recorded set, nor by
   * a folder a failed attempt left behind (its images are kept, never overwritten).
   */
  private nextSetNo(at: number): string {
    const day = isoInZone(at, this.tz).slice(0, 10).replace(/-/g, '');
    const taken = this.deps.db.prepare('SELECT 1 FROM disc_sets WHERE set_no = ?');
    for (let n = 1; ; n++) {
      const no = `${day}-${String(n).padStart(3, '0')}`;
      if (!taken.get(no) && !existsSync(join(this.opts.dataDir, 'discs', no))) return no;
    }
  }

  /**
   * Plans and builds the images of a new disc set, then reads each image back and checks
   * it as a burned disc is checked: a bad image is never offered for burning.
   */
  async image(
    caller: Caller,
    input: {
      caseId: number;
      bundles: string[];
      medium: MediumId;
      copies: number;
      purpose?: string | undefined;
    },
  ): Promise<DiscSetDto> {
    const user = requireUser(caller);
    const c = this.caseRow(input.caseId);
    const sources = await this.sources(input.caseId);
    const chosen = this.pick(sources, input.bundles);
    const plan = planDiscs(chosen, input.medium, input.copies);
    if (plan.refused) {
      throw new AppError(
        'CONFLICT',
        plan.refused.code === 'file-too-large'
          ? `${plan.refused.bundle}: ${plan.refused.file} is larger than one ${MEDIA[input.medium].label} disc; choose a larger medium`
          : `${plan.refused.bundle} is chosen twice`,
      );
    }
    const at = this.deps.now();
    const setNo = this.nextSetNo(at);
    const dir = join(this.opts.dataDir, 'discs', setNo);
    await fsp.mkdir(dir, { recursive: true });
    const placement = placementOf(plan.discs);
    // The set id is only known once the row exists; progress before it uses 0.
    const images: Omit<ImageRow, 'set_id'>[] = [];
    for (const d of plan.discs) {
      const stage = join(dir, `.stage-${d.number}-${randomBytes(4).toString('hex')}`);
      const out = join(dir, `disc-${d.number}.iso`);
      const volumeId = safeVolumeId(`ATT_${setNo.slice(2, 8)}_${setNo.slice(9)}_${d.number}`);
      try {
        const built = await buildDiscImage({
          disc: d,
          discCount: plan.discs.length,
          sources,
          placement,
          texts: {
            setNo,
            volumeId,
            medium: input.medium,
            caseNo: c.case_no,
            cause: c.cause,
            madeAt: isoInZone(at, this.tz),
            madeBy: user.displayName,
            software: `Attest ${this.opts.version}`,
            purpose: input.purpose ?? null,
          },
          out,
          stageDir: stage,
          maxSectors: MEDIA[input.medium].sectors,
          onProgress: (f) => this.progress(0, null, d.number, 'image', f),
          ...(this.opts.resourcesDir ? { resourcesDir: this.opts.resourcesDir } : {}),
          ...(this.opts.xorrisoBin ? { bin: this.opts.xorrisoBin } : {}),
        });
        const check = await verifyDisc(
          { kind: 'iso', path: out },
          {
            expectedIndexSha256: built.indexSha256,
            ...(this.opts.xorrisoBin ? { bin: this.opts.xorrisoBin } : {}),
            onProgress: (done, total) =>
              this.progress(0, null, d.number, 'verify', total ? done / total : null),
          },
        );
        if (!check.ok) {
          const p = check.problems[0]!;
          throw new AppError(
            'CONFLICT',
            `the image of disc ${d.number} does not match the sealed bundles (${p.code} ${p.file ?? ''}); the local bundle may be damaged: run attest verify on it`,
          );
        }
        images.push({
          disc_no: d.number,
          path: out,
          volume_id: volumeId,
          bytes: built.bytes,
          sectors: Math.ceil(built.bytes / 2048),
          index_sha256: built.indexSha256,
          bundles: JSON.stringify(d.bundles.map((b) => ({ name: b.name, part: b.part }))),
          built_at: this.deps.now(),
        });
      } finally {
        await fsp.rm(stage, { recursive: true, force: true });
      }
    }
    const { db, audit } = this.deps;
    const setId = db.transaction(() => {
      const id = Number(
        db
          .prepare(
            `INSERT INTO disc_sets (set_no, case_id, medium, copies, disc_count, bundles, plan, purpose, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            setNo,
            c.id,
            input.medium,
            input.copies,
            plan.discs.length,
            JSON.stringify(input.bundles),
            JSON.stringify(plan),
            input.purpose ?? null,
            user.id,
            at,
          ).lastInsertRowid,
      );
      const ins = db.prepare(
        `INSERT INTO disc_images (set_id, disc_no, path, volume_id, bytes, sectors, index_sha256, bundles, built_at)
         VALUES (@set_id, @disc_no, @path, @volume_id, @bytes, @sectors, @index_sha256, @bundles, @built_at)`,
      );
      for (const im of images) ins.run({ ...im, set_id: id });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'disc.imaged',
        entity: 'disc_set',
        entityId: id,
        caseId: c.id,
        data: {
          setNo,
          medium: input.medium,
          copies: input.copies,
          bundles: input.bundles,
          images: images.map((i) => ({
            disc: i.disc_no,
            bytes: i.bytes,
            volumeId: i.volume_id,
            indexSha256: i.index_sha256,
          })),
          warnings: plan.warnings,
        },
      });
      return id;
    })();
    this.deps.emit('case.changed', { caseId: c.id });
    return this.getSet(setId);
  }

  private getSetRow(setId: number): SetRow {
    const row = this.deps.db.prepare('SELECT * FROM disc_sets WHERE id = ?').get(setId) as
      SetRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no disc set ${setId}`);
    return row;
  }

  private discDto(r: DiscRow): DiscDto {
    return {
      id: r.id,
      setId: r.set_id,
      serial: r.serial,
      discNumber: r.disc_no,
      copyNumber: r.copy_no,
      medium: r.medium,
      kind: r.kind,
      drive: r.drive,
      imagePath: r.image_path,
      madeBy: this.userName(r.made_by),
      madeAt: r.made_at,
      result: r.result,
      verifiedAt: r.verified_at,
      problems: JSON.parse(r.problems) as DiscProblemDto[],
    };
  }

  getSet(setId: number): DiscSetDto {
    const s = this.getSetRow(setId);
    const { db } = this.deps;
    const images = (
      db
        .prepare('SELECT * FROM disc_images WHERE set_id = ? ORDER BY disc_no')
        .all(setId) as ImageRow[]
    ).map((i): DiscImageDto => ({
      discNumber: i.disc_no,
      path: i.path,
      volumeId: i.volume_id,
      bytes: i.bytes,
      sectors: i.sectors,
      indexSha256: i.index_sha256,
      bundles: JSON.parse(i.bundles) as DiscImageDto['bundles'],
    }));
    const discs = (
      db
        .prepare('SELECT * FROM discs WHERE set_id = ? ORDER BY disc_no, copy_no, id')
        .all(setId) as DiscRow[]
    ).map((r) => this.discDto(r));
    return {
      id: s.id,
      setNo: s.set_no,
      caseId: s.case_id,
      medium: s.medium,
      copies: s.copies,
      createdBy: this.userName(s.created_by),
      createdAt: s.created_at,
      images,
      discs,
      plan: JSON.parse(s.plan) as DiscPlan,
    };
  }

  list(caseId: number): DiscSetDto[] {
    this.caseRow(caseId);
    const ids = this.deps.db
      .prepare('SELECT id FROM disc_sets WHERE case_id = ? ORDER BY id')
      .all(caseId) as { id: number }[];
    return ids.map((r) => this.getSet(r.id));
  }

  async drives(): Promise<DriveDto[]> {
    try {
      return await this.burner.listDrives();
    } catch (e) {
      throw new AppError('CONFLICT', `no drive can be listed: ${(e as Error).message}`);
    }
  }

  private recordCheck(disc: DiscRow, report: DiscVerifyReport, by: number | null): DiscDto {
    const { db, audit, now } = this.deps;
    const at = now();
    const problems: DiscProblemDto[] = report.problems.map((p) => ({
      code: p.code,
      file: p.file,
      detail: p.detail,
    }));
    const set = this.getSetRow(disc.set_id);
    db.transaction(() => {
      db.prepare(
        'INSERT INTO disc_checks (disc_id, at, by_user, ok, files_checked, bytes_read, problems) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        disc.id,
        at,
        by,
        report.ok ? 1 : 0,
        report.filesChecked,
        report.bytesRead,
        JSON.stringify(problems),
      );
      if (disc.result === 'pending') {
        db.prepare('UPDATE discs SET result = ?, verified_at = ?, problems = ? WHERE id = ?').run(
          report.ok ? 'verified' : 'failed',
          at,
          JSON.stringify(problems),
          disc.id,
        );
      }
      audit.append({
        at,
        actorUserId: by,
        actor: by ? this.userName(by) : null,
        action: report.ok ? 'disc.verified' : 'disc.failed',
        entity: 'disc',
        entityId: disc.id,
        caseId: set.case_id,
        data: {
          serial: disc.serial,
          filesChecked: report.filesChecked,
          bytesRead: report.bytesRead,
          problems: problems.slice(0, 20),
          bundles: report.bundles.map((b) => ({
            name: b.name,
            ok: b.ok,
            tagManifestSha512: b.tagManifestSha512,
            signatureValid: b.signature?.valid ?? null,
          })),
        },
      });
    })();
    this.deps.emit('case.changed', { caseId: set.case_id });
    return this.discDto(db.prepare('SELECT * FROM discs WHERE id = ?').get(disc.id) as DiscRow);
  }

  /**
   * Burns one copy of one disc of a set and reads it back; with no drive, saves the image
   * (to `saveTo`, a directory, or where it was built) and checks that file instead. Either
   * way the disc is recorded with its serial before anything is written, and its result
   * after the read-back: a failed disc stays on the record as failed.
   */
  async burn(
    caller: Caller,
    input: {
      setId: number;
      discNumber: number;
      copyNumber: number;
      drive?: string | undefined;
      saveTo?: string | undefined;
    },
  ): Promise<DiscDto> {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const set = this.getSetRow(input.setId);
    if (input.copyNumber > set.copies)
      throw new AppError('INVALID_INPUT', `the set has ${set.copies} copies`);
    const image = db
      .prepare('SELECT * FROM disc_images WHERE set_id = ? AND disc_no = ?')
      .get(set.id, input.discNumber) as ImageRow | undefined;
    if (!image) throw new AppError('NOT_FOUND', `the set has no disc ${input.discNumber}`);
    let drive: DriveDto | null = null;
    let imagePath: string | null = null;
    if (input.drive) {
      drive = (await this.drives()).find((d) => d.id === input.drive) ?? null;
      if (!drive) throw new AppError('NOT_FOUND', `no drive ${input.drive}`);
      const media = await this.burner.mediaInfo(drive.id);
      if (!media.profile) throw new AppError('CONFLICT', 'there is no disc in the drive');
      if (!media.blank)
        throw new AppError(
          'CONFLICT',
          'the disc in the drive is not blank: an evidence disc is written once, on a blank disc',
        );
      if (media.freeSectors !== null && media.freeSectors < image.sectors)
        throw new AppError(
          'CONFLICT',
          `the image needs ${image.sectors} blocks, the disc holds ${media.freeSectors}`,
        );
    } else {
      imagePath = image.path;
      if (input.saveTo) {
        imagePath = join(
          input.saveTo,
          `${set.set_no}-disc-${input.discNumber}-copy-${input.copyNumber}.iso`,
        );
        await fsp.copyFile(image.path, imagePath, fsc.COPYFILE_EXCL);
      }
    }
    const prior = (
      db
        .prepare('SELECT count(*) AS n FROM discs WHERE set_id = ? AND disc_no = ? AND copy_no = ?')
        .get(set.id, input.discNumber, input.copyNumber) as { n: number }
    ).n;
    const serial = `${set.set_no}-D${input.discNumber}-C${input.copyNumber}${prior > 0 ? `-R${prior + 1}` : ''}`;
    const at = now();
    const discId = db.transaction(() => {
      const id = Number(
        db
          .prepare(
            `INSERT INTO discs (set_id, disc_no, copy_no, serial, medium, kind, drive, image_path, made_by, made_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            set.id,
            input.discNumber,
            input.copyNumber,
            serial,
            set.medium,
            drive ? 'burned' : 'image',
            drive ? drive.id : null,
            imagePath,
            user.id,
            at,
          ).lastInsertRowid,
      );
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: drive ? 'disc.burn.started' : 'disc.image.saved',
        entity: 'disc',
        entityId: id,
        caseId: set.case_id,
        data: {
          serial,
          setNo: set.set_no,
          disc: input.discNumber,
          copy: input.copyNumber,
          medium: set.medium,
          drive: drive?.path ?? null,
          imagePath,
        },
      });
      return id;
    })();
    this.deps.emit('case.changed', { caseId: set.case_id });
    const row = () => db.prepare('SELECT * FROM discs WHERE id = ?').get(discId) as DiscRow;
    let source: DiscSource;
    if (drive) {
      try {
        await this.burner.burn(drive.id, image.path, {
          onProgress: (p) =>
            this.progress(set.id, discId, input.discNumber, 'burn', p.fraction, p.message),
        });
      } catch (e) {
        // The burn failed: the disc is recorded failed (a half-written disc is not evidence).
        const report: DiscVerifyReport = {
          ok: false,
          source: drive.path,
          index: null,
          indexSha256: null,
          bundles: [],
          problems: [
            { code: 'unreadable', file: null, detail: `burning failed: ${(e as Error).message}` },
          ],
          filesChecked: 0,
          bytesRead: 0,
        };
        return this.recordCheck(row(), report, user.id);
      }
      source = this.burner.readSource(drive);
    } else {
      source = { kind: 'iso', path: imagePath! };
    }
    const report = await verifyDisc(source, {
      expectedIndexSha256: image.index_sha256,
      ...(this.opts.xorrisoBin ? { bin: this.opts.xorrisoBin } : {}),
      onProgress: (done, total) =>
        this.progress(set.id, discId, input.discNumber, 'verify', total ? done / total : null),
    });
    const result = this.recordCheck(row(), report, user.id);
    if (drive) await this.burner.eject(drive.id).catch(() => {});
    return result;
  }

  /** Reads a recorded disc again (a filed disc, years later) and appends the check. */
  async verify(caller: Caller, discId: number): Promise<DiscDto> {
    const user = requireUser(caller);
    const disc = this.deps.db.prepare('SELECT * FROM discs WHERE id = ?').get(discId) as
      DiscRow | undefined;
    if (!disc) throw new AppError('NOT_FOUND', `no disc ${discId}`);
    const image = this.deps.db
      .prepare('SELECT index_sha256 FROM disc_images WHERE set_id = ? AND disc_no = ?')
      .get(disc.set_id, disc.disc_no) as { index_sha256: string };
    let source: DiscSource;
    if (disc.kind === 'image') source = { kind: 'iso', path: disc.image_path! };
    else {
      const drive = (await this.drives()).find((d) => d.id === disc.drive);
      if (!drive) throw new AppError('NOT_FOUND', `the drive ${disc.drive} is not there`);
      source = this.burner.readSource(drive);
    }
    const report = await verifyDisc(source, {
      expectedIndexSha256: image.index_sha256,
      ...(this.opts.xorrisoBin ? { bin: this.opts.xorrisoBin } : {}),
      onProgress: (done, total) =>
        this.progress(disc.set_id, disc.id, disc.disc_no, 'verify', total ? done / total : null),
    });
    return this.recordCheck(disc, report, user.id);
  }

  /** The label sheet and disc record: a page per recorded disc (or per planned copy before any). */
  async labels(setId: number): Promise<PdfDto> {
    const s = this.getSet(setId);
    const c = this.caseRow(s.caseId);
    const sources = await this.sources(s.caseId);
    const discs: LabelDisc[] = [];
    const pages = s.discs.length
      ? s.discs.map((d) => ({ disc: d.discNumber, copy: d.copyNumber, row: d }))
      : s.images.flatMap((im) =>
          Array.from({ length: s.copies }, (_, k) => ({
            disc: im.discNumber,
            copy: k + 1,
            row: null as DiscDto | null,
          })),
        );
    for (const p of pages) {
      const im = s.images.find((i) => i.discNumber === p.disc)!;
      discs.push({
        serial: p.row?.serial ?? `${s.setNo}-D${p.disc}-C${p.copy}`,
        discNumber: p.disc,
        discCount: s.images.length,
        copyNumber: p.copy,
        copies: s.copies,
        volumeId: im.volumeId,
        medium: s.medium,
        madeBy: p.row?.madeBy ?? s.createdBy,
        madeAt: p.row?.madeAt ?? s.createdAt,
        productionMethod: `Attest ${this.opts.version}：封存包原样写入 ISO 9660 第 3 级 + Rock Ridge + Joliet 映像（xorriso），${p.row?.kind === 'image' ? '保存为映像文件' : `${this.burner.kind === 'imapi2' ? 'IMAPI2' : 'xorriso'} 刻录并封盘`}`,
        verification: p.row
          ? p.row.result === 'verified'
            ? `${isoInZone(p.row.verifiedAt!, this.tz).replace('T', ' ').slice(0, 16)} 逐文件读回，与封存包清单核对一致`
            : p.row.result === 'failed'
              ? `核验失败：${p.row.problems
                  .map((x) => `${x.code} ${x.file ?? ''}`)
                  .slice(0, 3)
                  .join('；')}（此盘不得作为证据归档）`
              : '尚未核验'
          : '尚未刻录',
        bundles: im.bundles.map((b) => {
          const src = sources.get(b.name);
          return {
            name: b.name,
            part: b.part,
            tagManifestSha512: src?.tagManifestSha512 ?? '',
            info: src?.info ?? {},
          };
        }),
      });
    }
    const pdf = await renderLabelSheet({
      setNo: s.setNo,
      caseNo: c.case_no,
      cause: c.cause,
      purpose: (this.getSetRow(setId).purpose ?? null) || null,
      discs,
      timeZone: this.tz,
    });
    const fileName = `${s.setNo}-labels.pdf`;
    const savedAt = join(this.opts.dataDir, 'discs', s.setNo, fileName);
    await fsp.writeFile(savedAt, pdf);
    return { fileName, data: Buffer.from(pdf).toString('base64'), savedAt };
  }

  policy(): { filingDays: number; warnDays: number } {
    const r = this.deps.db
      .prepare('SELECT filing_days, warn_days FROM case_file_policy WHERE id = 1')
      .get() as { filing_days: number; warn_days: number };
    return { filingDays: r.filing_days, warnDays: r.warn_days };
  }

  setPolicy(
    caller: Caller,
    input: { filingDays: number; warnDays: number },
  ): { filingDays: number; warnDays: number } {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    db.transaction(() => {
      const at = now();
      db.prepare(
        'UPDATE case_file_policy SET filing_days = ?, warn_days = ?, updated_by = ?, updated_at = ? WHERE id = 1',
      ).run(input.filingDays, input.warnDays, user.id, at);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'case_file.policy',
        entity: 'case_file_policy',
        entityId: 1,
        caseId: null,
        data: input,
      });
    })();
    return this.policy();
  }

  private tableExists(name: string): boolean {
    return !!this.deps.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(name);
  }

  /** The case file index (R5.2): every record of the case in time order, and the deadline. */
  async caseFileIndex(caseId: number): Promise<CaseFileIndexDto> {
    const { db, now } = this.deps;
    const c = this.caseRow(caseId);
    const entries: CaseFileEntryDto[] = [];
    entries.push({
      at: c.created_at,
      kind: 'case-opened',
      title: `立案 ${c.case_no}`,
      detail: c.cause,
      location: null,
    });
    for (const p of db
      .prepare(
        'SELECT from_phase, to_phase, note, at FROM phase_changes WHERE case_id = ? ORDER BY at, id',
      )
      .all(caseId) as {
      from_phase: string;
      to_phase: string;
      note: string | null;
      at: number;
    }[])
      entries.push({
        at: p.at,
        kind: 'phase',
        title: `${p.from_phase} → ${p.to_phase}`,
        detail: p.note ?? '',
        location: null,
      });
    for (const a of db
      .prepare(
        'SELECT role, decision, opinion, decided_at FROM approvals WHERE case_id = ? ORDER BY decided_at, id',
      )
      .all(caseId) as {
      role: string;
      decision: string;
      opinion: string;
      decided_at: number;
    }[])
      entries.push({
        at: a.decided_at,
        kind: 'approval',
        title: `${a.role}: ${a.decision}`,
        detail: a.opinion,
        location: null,
      });
    const sessions = db
      .prepare(
        'SELECT id, kind, status, place, room, scheduled_at, started_at, ended_at, created_at FROM sessions WHERE case_id = ? ORDER BY id',
      )
      .all(caseId) as {
      id: number;
      kind: string;
      status: string;
      place: string;
      room: string | null;
      scheduled_at: number | null;
      started_at: number | null;
      ended_at: number | null;
      created_at: number;
    }[];
    const hasSegments = this.tableExists('media_segments');
    const hasSignings = this.tableExists('signings');
    for (const s of sessions) {
      const officers = (
        db
          .prepare(
            'SELECT o.name, o.certificate_no FROM session_officers so JOIN officers o ON o.id = so.officer_id WHERE so.session_id = ?',
          )
          .all(s.id) as {
          name: string;
          certificate_no: string;
        }[]
      )
        .map((o) => `${o.name}（${o.certificate_no}）`)
        .join('、');
      let location: string | null = null;
      if (hasSegments) {
        const seg = db
          .prepare(
            'SELECT count(*) AS n, sum(bytes) AS bytes FROM media_segments WHERE session_id = ?',
          )
          .get(s.id) as { n: number; bytes: number | null };
        if (seg.n > 0)
          location = `${join(this.opts.dataDir, 'sessions', String(s.id), 'media')}（${seg.n} 个片段，${seg.bytes ?? 0} 字节）`;
      }
      entries.push({
        at: s.started_at ?? s.scheduled_at ?? s.created_at,
        kind: 'session',
        title: `${s.kind} · ${s.place}${s.room ? ` ${s.room}` : ''}`,
        detail: `${s.status}${s.started_at && s.ended_at ? `，${isoInZone(s.started_at, this.tz).slice(11, 16)}–${isoInZone(s.ended_at, this.tz).slice(11, 16)}` : ''}；执法人员 ${officers || '—'}`,
        location,
      });
      if (hasSignings) {
        const sg = db
          .prepare(
            "SELECT finished_at, pdf_path, pdf_sha256, page_count FROM signings WHERE session_id = ? AND state = 'finished'",
          )
          .get(s.id) as
          | { finished_at: number; pdf_path: string; pdf_sha256: string; page_count: number }
          | undefined;
        if (sg)
          entries.push({
            at: sg.finished_at,
            kind: 'transcript',
            title: `笔录（${sg.page_count} 页）`,
            detail: `SHA-256 ${sg.pdf_sha256}`,
            location: join(this.opts.dataDir, sg.pdf_path),
          });
      }
    }
    const bundles = [...(await this.sources(caseId)).values()];
    const hasJobs = this.tableExists('replication_jobs');
    for (const b of bundles) {
      const madeAt = Date.parse(b.info['Made-At']?.[0] ?? '');
      entries.push({
        at: Number.isFinite(madeAt) ? madeAt : b.recordingStart,
        kind: 'bundle',
        title: `封存包 ${b.name}`,
        detail: `${b.files.length} 个文件；标签清单 SHA-512 ${b.tagManifestSha512.slice(0, 32)}…`,
        location: b.path,
      });
      if (hasJobs) {
        const bagIds = this.tableExists('sealed_bundles')
          ? (
              db
                .prepare('SELECT bag_id FROM sealed_bundles WHERE case_id = ? AND bag_name = ?')
                .all(caseId, b.name) as { bag_id: string }[]
            ).map((r) => r.bag_id)
          : [];
        const jobs = db
          .prepare(
            `SELECT j.remote_name, j.state, j.verified_at, j.deadline_at, t.name AS target, t.kind
             FROM replication_jobs j JOIN storage_targets t ON t.id = j.target_id
             WHERE j.bag_id IN (SELECT value FROM json_each(?)) OR j.bag_path = ? ORDER BY j.id`,
          )
          .all(JSON.stringify(bagIds), b.path) as {
          remote_name: string;
          state: string;
          verified_at: number | null;
          deadline_at: number;
          target: string;
          kind: string;
        }[];
        for (const j of jobs)
          entries.push({
            at: j.verified_at ?? j.deadline_at,
            kind: 'replica',
            title: `异地副本 ${b.name}`,
            detail:
              j.state === 'stored'
                ? '已读回核验'
                : `待存储（期限 ${isoInZone(j.deadline_at, this.tz).slice(0, 16)}）`,
            location: `${j.target}（${j.kind}）:${j.remote_name}`,
          });
      }
    }
    for (const s of this.list(caseId))
      for (const d of s.discs)
        entries.push({
          at: d.madeAt,
          kind: 'disc',
          title: `证据光盘 ${d.serial}`,
          detail: `${MEDIA[d.medium].label}；第 ${d.discNumber}/${s.images.length} 张，副本 ${d.copyNumber}/${s.copies}；${d.result === 'verified' ? '核验通过' : d.result === 'failed' ? '核验失败' : '未核验'}；${
            s.images
              .find((i) => i.discNumber === d.discNumber)
              ?.bundles.map((b) => b.name)
              .join('、') ?? ''
          }`,
          location: d.kind === 'image' ? d.imagePath : `光盘 ${d.serial}`,
        });
    entries.sort((a, b) => (a.at ?? Number.MAX_SAFE_INTEGER) - (b.at ?? Number.MAX_SAFE_INTEGER));
    const policy = this.policy();
    const ended = db
      .prepare(
        "SELECT max(at) AS at FROM phase_changes WHERE case_id = ? AND to_phase = 'archiving'",
      )
      .get(caseId) as { at: number | null };
    const matterEndedAt = ended.at ?? null;
    const deadline = matterEndedAt === null ? null : matterEndedAt + policy.filingDays * DAY_MS;
    const t = now();
    const deadlineStatus: CaseFileIndexDto['deadlineStatus'] =
      deadline === null
        ? 'running'
        : t > deadline
          ? 'overdue'
          : deadline - t <= policy.warnDays * DAY_MS
            ? 'warn'
            : 'ok';
    return {
      caseId,
      caseNo: c.case_no,
      cause: c.cause,
      matterEndedAt,
      filingDays: policy.filingDays,
      warnDays: policy.warnDays,
      deadline,
      deadlineStatus,
      entries,
      generatedAt: t,
    };
  }

  async caseFilePdf(caseId: number): Promise<PdfDto> {
    const idx = await this.caseFileIndex(caseId);
    const pdf = await renderCaseFileIndex(idx, { timeZone: this.tz });
    const dir = join(this.opts.dataDir, 'case-files', String(caseId));
    await fsp.mkdir(dir, { recursive: true });
    const fileName = `案卷目录-${idx.caseNo.replace(/[\\/:*?"<>|]/g, '_')}-${isoInZone(idx.generatedAt, this.tz).slice(0, 10)}.pdf`;
    const savedAt = join(dir, fileName);
    await fsp.writeFile(savedAt, pdf);
    return { fileName, data: Buffer.from(pdf).toString('base64'), savedAt };
  }
}

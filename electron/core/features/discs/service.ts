/**
 * The clerk's disc workflow (R5.1, R5.2, R4.4): the case's sealed bundles and the plan
 * (bundles.ts), images (imaging.ts), burning through the {@link Burner} port (burning.ts),
 * read-back verification (checks.ts), the record of every disc (records.ts, store.ts and
 * the audit trail), the label sheet (labels.ts), and the case file index with its filing
 * deadline (case-file.ts). This class wires them and is what the handlers call.
 */
import type {
  CaseFileIndexDto,
  ListedDiscBundleDto,
  DiscDto,
  DiscSetDto,
  DriveDto,
  PdfDto,
} from '../../../shared/api/discs';
import type { DiscPlan, MediumId } from '../../../shared/rules/disc-plan';
import { platformBurner } from '../../platform/optical/burner';
import type { Caller, ServiceDeps } from '../context';
import { sealedBundleRefs } from '../sealing';
import { CaseStoreBundleSource, DiscBundles } from './bundles';
import { DiscBurning } from './burning';
import { CaseFile } from './case-file';
import { DiscChecks } from './checks';
import { listDrives, type DiscsEnv, type DiscsOptions } from './env';
import { DiscImaging } from './imaging';
import { DiscLabels } from './labels';
import { DiscRecords } from './records';

export type { DiscsOptions } from './env';

export class DiscsService {
  private readonly env: DiscsEnv;
  private readonly sources: DiscBundles;
  private readonly records: DiscRecords;
  private readonly imaging: DiscImaging;
  private readonly checks: DiscChecks;
  private readonly burning: DiscBurning;
  private readonly labelSheets: DiscLabels;
  private readonly caseFile: CaseFile;

  constructor(deps: ServiceDeps, opts: DiscsOptions) {
    this.env = {
      deps,
      opts,
      get tz() {
        return deps.timeZone();
      },
      burner: opts.burner ?? platformBurner(),
    };
    this.sources = new DiscBundles(
      this.env,
      opts.bundles ?? new CaseStoreBundleSource(deps.db, opts.dataDir),
    );
    this.records = new DiscRecords(this.env);
    this.imaging = new DiscImaging(this.env, this.sources, this.records);
    this.checks = new DiscChecks(this.env, this.records);
    this.burning = new DiscBurning(this.env, this.records, this.checks);
    this.labelSheets = new DiscLabels(this.env, this.sources, this.records);
    this.caseFile = new CaseFile(this.env, this.sources, this.records);
  }

  /** The case's sealed bundles that can go on a disc; where each lies only for those who may copy it. */
  async bundles(caller: Caller, caseId: number): Promise<ListedDiscBundleDto[]> {
    const sessions = this.sessionsOf(caseId);
    return (await this.sources.bundles(caseId)).map((b) => {
      const sessionId = sessions.get(b.name);
      const may = this.env.opts.guard.allows(caller, {
        caseId,
        mode: 'copy',
        sessionIds: sessionId === undefined ? [] : [sessionId],
      });
      return may ? b : { ...b, path: null };
    });
  }

  /** The session of each sealed bundle of the case, by bag name. */
  private sessionsOf(caseId: number): Map<string, number> {
    return new Map(
      sealedBundleRefs(this.env.deps.db, { caseId }).map((r) => [r.bagName, r.sessionId]),
    );
  }

  /** A disc (or its image) copies the case's evidence: the team's right or a copy grant. */
  private requireCopy(
    caller: Caller,
    caseId: number,
    bundles: readonly string[],
    what: string,
    grantId: number | undefined,
  ): { basis: 'team' | 'grant'; grantId: number | null } {
    const sessions = this.sessionsOf(caseId);
    const basis = this.env.opts.guard.require(caller, {
      caseId,
      mode: 'copy',
      sessionIds: bundles.flatMap((n) => {
        const id = sessions.get(n);
        return id === undefined ? [] : [id];
      }),
      what,
      grantId,
      entity: 'case',
      entityId: caseId,
      detail: { bundles },
    });
    // What the disc's audit entries name: the team's right, or the grant it was made under.
    return { basis: basis.kind, grantId: basis.kind === 'grant' ? basis.grantId : null };
  }

  /** The discs the chosen bundles take (a preview; nothing is recorded). */
  plan(input: {
    caseId: number;
    bundles: string[];
    medium: MediumId;
    copies: number;
  }): Promise<DiscPlan> {
    return this.sources.plan(input);
  }

  /** Plans and builds the images of a new disc set, each checked before it is offered. */
  image(
    caller: Caller,
    input: {
      caseId: number;
      bundles: string[];
      medium: MediumId;
      copies: number;
      purpose?: string | undefined;
      grantId?: number | undefined;
    },
  ): Promise<DiscSetDto> {
    const check = () =>
      this.requireCopy(caller, input.caseId, input.bundles, '制作证据光盘映像', input.grantId);
    check();
    return this.imaging.image(
      caller,
      {
        caseId: input.caseId,
        bundles: input.bundles,
        medium: input.medium,
        copies: input.copies,
        purpose: input.purpose,
      },
      check,
    );
  }

  getSet(setId: number): DiscSetDto {
    return this.records.getSet(setId);
  }

  list(caseId: number): DiscSetDto[] {
    return this.records.list(caseId);
  }

  drives(): Promise<DriveDto[]> {
    return listDrives(this.env);
  }

  /** Burns (or saves) one copy of one disc of a set and reads it back. */
  burn(
    caller: Caller,
    input: {
      setId: number;
      discNumber: number;
      copyNumber: number;
      drive?: string | undefined;
      saveTo?: string | undefined;
      grantId?: number | undefined;
    },
  ): Promise<DiscDto> {
    const set = this.records.getSet(input.setId);
    const image = set.images.find((i) => i.discNumber === input.discNumber);
    const basis = this.requireCopy(
      caller,
      set.caseId,
      (image ?? set.images[0])?.bundles.map((b) => b.name) ?? [],
      input.drive ? '刻录证据光盘' : '保存证据光盘映像',
      input.grantId,
    );
    return this.burning.burn(caller, {
      basis,
      setId: input.setId,
      discNumber: input.discNumber,
      copyNumber: input.copyNumber,
      drive: input.drive,
      saveTo: input.saveTo,
    });
  }

  /** Reads a recorded disc again (a filed disc, years later) and appends the check. */
  verify(caller: Caller, discId: number): Promise<DiscDto> {
    return this.checks.verify(caller, discId);
  }

  /** The label sheet and disc record of a set. */
  labels(setId: number): Promise<PdfDto> {
    return this.labelSheets.labels(setId);
  }

  policy(): { filingDays: number; warnDays: number } {
    return this.caseFile.policy();
  }

  setPolicy(
    caller: Caller,
    input: { filingDays: number; warnDays: number },
  ): { filingDays: number; warnDays: number } {
    return this.caseFile.setPolicy(caller, input);
  }

  /** The case file index: every record of the case in time order, and the deadline. */
  caseFileIndex(caseId: number): Promise<CaseFileIndexDto> {
    return this.caseFile.index(caseId);
  }

  caseFilePdf(caseId: number): Promise<PdfDto> {
    return this.caseFile.pdf(caseId);
  }
}

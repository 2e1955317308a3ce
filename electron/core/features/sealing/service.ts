/**
 * Sealing a finished session into the archive (R4.2, R4.3, R4.4, R5.1; ARCHITECTURE §5).
 * An ended session whose transcript was signed (or whose refusal the officers signed)
 * becomes a BagIt bag under `<dataDir>/archive/<case number>/<session id>-<time>/`:
 *
 * ```
 * data/media/<source>-<segment>.mp4     every camera, microphone and program segment, bit for bit
 * data/transcript/transcript.pdf        the signed record (PAdES)
 * data/transcript/transcript.json       the text as frozen for signing
 * data/transcript/signatures.json       every signature with its strokes (x, y, t, pressure)
 * data/preflight.json                   the pre-flight checks of devices, disk and clock (R3.6)
 * data/session.json                     the session, its segments with the hashes recorded
 *                                       while writing, the offsets between sources, the signing
 * data/session-events.jsonl             the audit trail and timeline of the session, hash-chained
 * ```
 *
 * with bag-info built from the case, the session, its officers and devices, signed with the
 * workstation's certificate (the one the transcript PDF is signed with). The bag is built
 * under a temporary name and renamed whole; the session becomes `sealed` together with the
 * bundle's row; every enabled storage target gets a replication job due within 24 hours of the
 * recording's end (R4.1). Nothing here deletes or alters a sealed bag (R4.3, R6.3).
 *
 * The steps of a seal are in seal.ts, the readiness rules in rules.ts, verification of a
 * recorded bundle in verification.ts, the SQL in store.ts.
 */
import { confirmedLongTermReason } from '../filing';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { CASE_WRITERS } from '../../../shared/api/index';
import type {
  BundleDto,
  ListedBundleDto,
  BundleVerificationDto,
  SealCheckDto,
  SealInput,
} from '../../../shared/api/sealing';
import { AppError } from '../../../shared/errors';
import { storageDeadlineOf } from '../../../shared/rules/deadline';
import { cleanIncompleteSeals } from '../../platform/bagit/bagit';
import { removeTree } from '../../platform/fs';
import type { TsaOptions } from '../../platform/pki/tsa';
import { identityDirOf } from '../../platform/pki';
import { caseHeader } from '../cases';
import { requireRole, type Caller, type ServiceDeps } from '../context';
import { recordedSegmentsOf } from '../recording';
import { sessionHead } from '../sessions';
import { latestSigningOfSession } from '../signing';
import { reportSigningOf } from '../hearings';
import { userDisplayName } from '../users';
import { continuityWarnings } from './continuity';
import { dataPath, opusPreSkipUs } from './files';
import { PURPOSE, defaultRetention, sealBlockers, sealRefusal } from './rules';
import { sealSession, type SealCollaborators, type SealContext } from './seal';
import {
  bundleById,
  bundleIdOfSession,
  bundleIds,
  latestVerificationOf,
  longTermReasonOfCase,
  recordedBundlePaths,
  type BundleRow,
} from './store';
import { BundleVerifier } from './verification';
import type { VerifyOptions } from './verify-report';

export interface SealServiceOptions {
  version: string;
  log?: (line: string) => void;
  /** Where the workstation identity lives (default `<dataDir>/identity`, shared with signing). */
  identityDir?: string;
  /** Options of `bundles.verify` (tests turn the slow tools off). */
  verify?: VerifyOptions;
  /** RFC 3161 time-stamping of the seal, when the agency has a TSA. */
  tsa?: TsaOptions;
}

export class SealService {
  private ready: Promise<void> = Promise.resolve();
  private readonly busy = new Set<number>();
  private readonly log: (line: string) => void;
  private readonly verifier: BundleVerifier;
  private readonly context: SealContext;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: SealCollaborators,
    private readonly dataDir: string,
    opts: SealServiceOptions,
  ) {
    this.log = opts.log ?? (() => undefined);
    this.verifier = new BundleVerifier(
      deps,
      (id) => this.get(id),
      opts.verify ?? {},
      () => services.trust.register(),
    );
    this.context = {
      deps,
      services,
      dataDir,
      archiveDir: this.archiveDir,
      software: `Attest ${opts.version}`,
      identityDir: opts.identityDir ?? identityDirOf(dataDir),
      tsa: () => opts.tsa ?? services.trust.tsa(),
      log: this.log,
    };
  }

  /** The archive: one folder per case, one bag per sealed session. */
  get archiveDir(): string {
    return join(this.dataDir, 'archive');
  }

  // -------------------------------------------------------------------------------------
  // Life cycle

  /**
   * At core start: removes bags a crash left half-built (they are only ever copies; the
   * originals stay in the session folders), then starts replication. Seals wait for the
   * clean-up, so it can never remove a bag being built now.
   */
  /** Cleans away half-built seals (settles when done) and resumes the replication queue. */
  start(): Promise<void> {
    this.ready = this.cleanIncomplete().catch((e: unknown) =>
      this.log(`sealing: clean-up failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.services.storage.start();
    return this.ready;
  }

  async stop(): Promise<void> {
    await this.services.storage.stop();
  }

  private async cleanIncomplete(): Promise<void> {
    if (!existsSync(this.archiveDir)) return;
    const removed = await cleanIncompleteSeals(this.archiveDir);
    for (const e of await fsp.readdir(this.archiveDir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.'))
        removed.push(...(await cleanIncompleteSeals(join(this.archiveDir, e.name))));
    }
    if (removed.length > 0)
      this.log(`sealing: removed ${removed.length} incomplete seal(s): ${removed.join(', ')}`);
    await this.setAsideUnrecorded();
  }

  /**
   * A bag renamed into the archive by a seal that stopped before its database row was
   * written (a crash, a power cut) is whole and signed but belongs to no bundle: the session
   * is still unsealed and will be sealed again under a new name. The bag is kept, never
   * deleted: renamed in place to `.unrecorded-<name>` (out of every listing), logged, and
   * put on the audit trail with its tag manifest's hash.
   */
  private async setAsideUnrecorded(): Promise<void> {
    const recorded = recordedBundlePaths(this.deps.db);
    for (const c of await fsp.readdir(this.archiveDir, { withFileTypes: true })) {
      if (!c.isDirectory() || c.name.startsWith('.')) continue;
      const caseDir = join(this.archiveDir, c.name);
      for (const b of await fsp.readdir(caseDir, { withFileTypes: true })) {
        if (!b.isDirectory() || b.name.startsWith('.')) continue;
        const rel = `archive/${c.name}/${b.name}`;
        if (recorded.has(rel)) continue;
        const aside = join(caseDir, `.unrecorded-${b.name}`);
        await fsp.rename(join(caseDir, b.name), aside);
        const tag = await fsp.readFile(join(aside, 'tagmanifest-sha512.txt')).catch(() => null);
        const tagManifestSha512 = tag ? createHash('sha512').update(tag).digest('hex') : null;
        this.deps.audit.append({
          at: this.deps.now(),
          actorUserId: null,
          actor: null,
          action: 'bundle.unrecorded',
          entity: 'archive',
          entityId: null,
          caseId: null,
          data: { path: rel, keptAs: `archive/${c.name}/.unrecorded-${b.name}`, tagManifestSha512 },
        });
        this.log(
          `sealing: ${rel} was sealed but never recorded (the seal stopped before its record was written); kept as .unrecorded-${b.name}, the session can be sealed again`,
        );
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Reading

  private toDto(r: BundleRow): BundleDto {
    const { db } = this.deps;
    const v = latestVerificationOf(db, r.id);
    return {
      id: r.id,
      sessionId: r.session_id,
      caseId: r.case_id,
      caseNo: caseHeader(db, r.case_id)?.caseNo ?? '',
      sessionKind: sessionHead(db, r.session_id)!.kind,
      bagName: r.bag_name,
      bagId: r.bag_id,
      path: dataPath(this.dataDir, r.path),
      sealedAt: r.sealed_at,
      sealedBy: userDisplayName(db, r.sealed_by) ?? '',
      tagManifestSha512: r.tag_manifest_sha512,
      payloadFiles: r.payload_files,
      payloadBytes: r.payload_bytes,
      eventLog: { head: r.event_log_head, entries: r.event_log_entries },
      signer: { subject: r.signer_subject, fingerprintSha256: r.signer_fingerprint },
      timestamp: r.timestamp,
      retention: {
        choice: r.retention_choice,
        class: r.retention_class,
        reason: r.retention_reason,
        retainUntil: r.retain_until,
      },
      recordedEndAt: r.recorded_end_at,
      deadlineAt: storageDeadlineOf(r.recorded_end_at),
      lastVerification: v
        ? {
            at: v.at,
            by: v.user_id === null ? null : (userDisplayName(db, v.user_id) ?? null),
            ok: v.ok === 1,
            recordedHashMatches: v.recorded_hash_matches === 1,
            errors: v.errors,
            warnings: v.warnings,
          }
        : null,
    };
  }

  get(bundleId: number): BundleDto {
    const r = bundleById(this.deps.db, bundleId);
    if (!r) throw new AppError('NOT_FOUND', `no sealed bundle ${bundleId}`);
    return this.toDto(r);
  }

  /** Sealed bundles of a case or a session (or all), newest first. */
  /** The bundles as a caller sees them: where each lies only for those who may copy it. */
  listFor(
    caller: Caller,
    filter: { caseId?: number | undefined; sessionId?: number | undefined },
  ): ListedBundleDto[] {
    return this.list(filter).map((b) =>
      this.services.guard.allows(caller, {
        caseId: b.caseId,
        mode: 'view',
        sessionIds: [b.sessionId],
      })
        ? b
        : { ...b, path: null },
    );
  }

  list(filter: { caseId?: number | undefined; sessionId?: number | undefined }): BundleDto[] {
    return bundleIds(this.deps.db, filter).map((id) => this.get(id));
  }

  // -------------------------------------------------------------------------------------
  // Readiness

  /** Whether the session may be sealed now; every reason it may not. */
  check(sessionId: number): SealCheckDto {
    const { db } = this.deps;
    const session = this.services.sessions.get(sessionId);
    const c = this.services.cases.get(session.caseId);
    const bundleId = bundleIdOfSession(db, sessionId);
    const segments = bundleId === undefined ? recordedSegmentsOf(db, sessionId) : [];
    const blockers = sealBlockers({
      session,
      bundleId,
      busy: this.busy.has(sessionId),
      signingState: latestSigningOfSession(db, sessionId)?.state ?? null,
      hearingReport:
        session.kind !== 'hearing' ? null : reportSigningOf(db, sessionId) ? 'signed' : 'unsigned',
      segments,
      fileExists: (path) => existsSync(dataPath(this.dataDir, path)),
    });
    const warnings = continuityWarnings(
      segments.map((s) => ({
        ...s,
        // A file with sound: its packets run one Opus pre-skip past its last sample.
        tailUs:
          s.kind !== 'camera' && s.state !== 'open' && s.bytes > 0
            ? opusPreSkipUs(dataPath(this.dataDir, s.path))
            : 0,
      })),
    );
    return {
      sessionId,
      ready: blockers.length === 0,
      blockers,
      warnings,
      timeStampAuthority: this.context.tsa()?.url ?? null,
      defaultRetention: defaultRetention(
        confirmedLongTermReason(db, c.id) ?? longTermReasonOfCase(db, c.id),
      ),
      defaultEvidentiaryPurpose: PURPOSE[session.kind],
      bundleId: bundleId ?? null,
    };
  }

  // -------------------------------------------------------------------------------------
  // Sealing

  /** Seals the session (see the file's comment). Refused while anything is missing. */
  async seal(caller: Caller, input: SealInput): Promise<BundleDto> {
    const user = requireRole(caller, CASE_WRITERS, 'sealing a session');
    await this.ready;
    const sessionId = input.id;
    const check = this.check(sessionId);
    const refusal = sealRefusal(check.blockers);
    if (refusal) throw refusal;
    this.busy.add(sessionId);
    const staging = join(
      this.dataDir,
      'tmp',
      `seal-${sessionId}-${randomBytes(6).toString('hex')}`,
    );
    try {
      const { bundleId, caseId } = await sealSession(this.context, user, input, check, staging);
      this.deps.emit('bundle.changed', { bundleId, sessionId, caseId });
      this.deps.emit('case.changed', { caseId });
      return this.get(bundleId);
    } finally {
      this.busy.delete(sessionId);
      await removeTree(staging).catch(() => undefined);
    }
  }

  // -------------------------------------------------------------------------------------
  // Verification

  /** The latest recorded verification of a bundle, with its report, or null. */
  verification(bundleId: number): BundleVerificationDto | null {
    return this.verifier.latest(bundleId);
  }

  /**
   * Verifies the bag as `attest verify` does, and that its tag manifest is still the one
   * recorded when it was sealed; the result is recorded and audited.
   */
  verify(caller: Caller, bundleId: number): Promise<BundleVerificationDto> {
    return this.verifier.verify(caller, bundleId);
  }
}

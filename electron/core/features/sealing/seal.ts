/**
 * Sealing one session, as a sequence of steps: gather the session record, collect the media
 * and the signed record's files (each checked against what was recorded), write the records
 * for the bag, build bag-info, write the event log, seal the bag, record the bundle (the
 * session becomes `sealed` with it), queue its replication. The readiness check comes first,
 * in the service; a refused step throws and leaves nothing recorded.
 */
import type { ComplianceReport } from '../../../shared/rules/compliance';
import type { Signer } from '../../platform/pki';
import { zhName } from '../../../shared/names-zh';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { SealCheckDto, SealInput } from '../../../shared/api/sealing';
import type { UserDto } from '../../../shared/domain';
import { storageDeadlineOf } from '../../../shared/rules/deadline';
import { sealBag, SealError, type SealResult, type SourceFile } from '../../platform/bagit/bagit';
import { AppError } from '../../../shared/errors';
import type { BagInfo } from '../../platform/bagit/bagformat';
import { loadOrCreateIdentity } from '../../platform/pki';
import type { TsaOptions } from '../../platform/pki/tsa';
import type { CasesService } from '../cases';
import type { EvidenceGuard, ServiceDeps } from '../context';
import type { TranscriptState } from '../../../shared/rules/transcript';
import type { OfficersService } from '../registers';
import { markSealed, type SessionsService } from '../sessions';
import type { StorageService } from '../storage';
import type { TrustService } from '../trust';
import { collectMediaFiles, collectTranscriptFiles } from './files';
import { gatherSessionRecord, writeRecordFiles, type SealMeta, type SessionRecord } from './record';
import { PURPOSE, bagNamesOf, retentionOf, type BagNames } from './rules';
import { bagInfoOf } from './seal-bag-info';
import { eventLogOf, type SealEvent } from './seal-eventlog';
import { insertBundle } from './store';

/** The services a seal reads from and hands on to. */
export interface SealCollaborators {
  sessions: SessionsService;
  cases: CasesService;
  officers: OfficersService;
  storage: StorageService;
  trust: TrustService;
  /** The access check: who may open a bundle's files. */
  guard: EvidenceGuard;
  /** The transcript as it stands (its markers go into the bag's record and event log). */
  transcripts: { get(sessionId: number): { state: TranscriptState } };
  /** The session's compliance report as it stands at the seal (sealed as `compliance.json`). */
  compliance: {
    session(sessionId: number): ComplianceReport;
    /** Keeps the findings sealed with a bundle; called in the transaction that records it. */
    recordSealed(bundleId: number, sessionId: number, report: ComplianceReport): void;
    /** The report printed and signed (sealed as `compliance.pdf`). */
    print(
      report: ComplianceReport,
      o: { title: string; subject: string; timeZone: string; signer: Signer },
    ): Promise<Buffer>;
  };
}

/** What the steps of a seal work with. */
export interface SealContext {
  deps: ServiceDeps;
  services: SealCollaborators;
  dataDir: string;
  /** `<dataDir>/archive`: one folder per case, one bag per sealed session. */
  archiveDir: string;
  /** e.g. `Attest 0.1.0`. */
  software: string;
  /** Where the workstation identity lives (shared with signing). */
  identityDir: string;
  /** The time-stamping authority now (the trust settings can change it between seals). */
  tsa: () => TsaOptions | undefined;
  log: (line: string) => void;
}

/**
 * Seals the session of `input` (already checked ready: `check`), building the bag's own
 * records under `staging`. Returns the new bundle's id and its case.
 */
export async function sealSession(
  ctx: SealContext,
  user: UserDto,
  input: SealInput,
  check: SealCheckDto,
  staging: string,
): Promise<{ bundleId: number; caseId: number }> {
  const record = gatherSessionRecord(ctx.deps, ctx.services, input.id);
  const sources = [
    ...(await collectMediaFiles(ctx.dataDir, record)),
    ...(await collectTranscriptFiles(ctx.dataDir, record)),
  ];
  const at = ctx.deps.now();
  const seal: SealMeta = {
    user,
    at,
    retention: retentionOf(input, check.defaultRetention, record.endedAt),
    evidentiaryPurpose: input.evidentiaryPurpose ?? PURPOSE[record.session.kind],
    software: ctx.software,
    identity: await loadOrCreateIdentity(ctx.identityDir),
    warnings: check.warnings,
    auditHead: ctx.deps.audit.head(),
  };
  sources.push(...(await writeRecordFiles(staging, record, seal)));
  // Each applicable rule with its evidence, as the officer saw it before sealing.
  const report = ctx.services.compliance.session(record.session.id);
  const compliance = join(staging, 'compliance.json');
  await fsp.writeFile(compliance, `${JSON.stringify(report, null, 2)}\n`);
  const printed = join(staging, 'compliance.pdf');
  await fsp.writeFile(
    printed,
    await ctx.services.compliance.print(report, {
      title: '合规检查报告',
      subject: `${record.case.caseNo} · ${zhName('sessionKind', record.session.kind)}（第 ${record.session.id} 号）`,
      timeZone: record.timeZone,
      signer: seal.identity.signer,
    }),
  );
  sources.push(
    { path: compliance, name: 'compliance.json' },
    { path: printed, name: 'compliance.pdf' },
  );
  const bagInfo = bagInfoOf(record, seal, (id) => ctx.services.officers.get(id));
  const events = eventLogOf(ctx.deps, record, at, user);
  const names = bagNamesOf(record.case.caseNo, record.session.id, at, record.timeZone);
  const sealed = await sealTheBag(ctx, record, seal, { sources, bagInfo, events, names });
  const bundleId = recordBundle(ctx, record, seal, { bagInfo, names, sealed, report });
  queueReplication(ctx, record, seal, { bundleId, names, sealed });
  ctx.log(`sealing: session ${record.session.id} sealed as ${names.relPath}`);
  return { bundleId, caseId: record.case.id };
}

/** Builds, signs and (optionally) time-stamps the bag; it appears whole under its final name. */
async function sealTheBag(
  ctx: SealContext,
  r: SessionRecord,
  seal: SealMeta,
  bag: { sources: SourceFile[]; bagInfo: BagInfo; events: SealEvent[]; names: BagNames },
): Promise<SealResult> {
  const tsa = ctx.tsa();
  try {
    return await sealBag({
      sourceFiles: bag.sources,
      bagInfo: bag.bagInfo,
      eventLog: { entries: bag.events },
      signer: seal.identity.signer,
      outDir: join(ctx.archiveDir, bag.names.caseDir),
      bagName: bag.names.bagName,
      now: () => seal.at,
      timeZone: r.timeZone,
      softwareAgent: ctx.software,
      ...(tsa ? { tsa } : {}),
    });
  } catch (e) {
    // A file changed since it was written: said as a conflict, like any other refusal.
    if (e instanceof SealError) throw new AppError('CONFLICT', e.message);
    throw e;
  }
}

/**
 * Records the bundle, the session sealed with it and the audit entry, together. When that
 * fails the bag stays (it is whole and signed; nothing is deleted) and the log says where.
 */
function recordBundle(
  ctx: SealContext,
  r: SessionRecord,
  seal: SealMeta,
  bag: { bagInfo: BagInfo; names: BagNames; sealed: SealResult; report: ComplianceReport },
): number {
  const { db, audit } = ctx.deps;
  const { sealed, names } = bag;
  const { user, at, retention } = seal;
  try {
    return db.transaction(() => {
      const id = insertBundle(db, {
        sessionId: r.session.id,
        caseId: r.case.id,
        bagId: names.bagId,
        bagName: names.bagName,
        path: names.relPath,
        tagManifestSha512: sealed.tagManifestSha512,
        payloadFiles: sealed.payloadFiles,
        payloadBytes: sealed.payloadBytes,
        eventLogHead: sealed.eventLog.head,
        eventLogEntries: sealed.eventLog.entries,
        signerSubject: sealed.signer.subject,
        signerFingerprint: sealed.signer.fingerprintSha256,
        timestamp: sealed.timestamp === null ? 'none' : sealed.timestamp.ok ? 'ok' : 'failed',
        retentionChoice: retention.choice,
        retentionClass: retention.class,
        retentionReason: retention.reason,
        retainUntil: retention.retainUntil,
        recordedEndAt: r.endedAt,
        sealedAt: at,
        sealedBy: user.id,
        bagInfo: bag.bagInfo,
      });
      markSealed(db, r.session.id);
      ctx.services.compliance.recordSealed(id, r.session.id, bag.report);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.sealed',
        entity: 'session',
        entityId: r.session.id,
        caseId: r.case.id,
        data: {
          bundleId: id,
          bagId: names.bagId,
          path: names.relPath,
          tagManifestSha512: sealed.tagManifestSha512,
          payloadFiles: sealed.payloadFiles,
          payloadBytes: sealed.payloadBytes,
          eventLogHead: sealed.eventLog.head,
          signer: sealed.signer.fingerprintSha256,
          retention,
          deadlineAt: storageDeadlineOf(r.endedAt),
          timestamp: sealed.timestamp,
        },
      });
      return id;
    })();
  } catch (e) {
    ctx.log(
      `sealing: the bag ${sealed.path} was made but could not be recorded: ${e instanceof Error ? e.message : String(e)}`,
    );
    throw e;
  }
}

/** Queues the bag on every enabled storage target, due within 24 hours of the end (R4.1). */
function queueReplication(
  ctx: SealContext,
  r: SessionRecord,
  seal: SealMeta,
  bag: { bundleId: number; names: BagNames; sealed: SealResult },
): void {
  ctx.services.storage.enqueueBundle({
    id: bag.bundleId,
    bagId: bag.names.bagId,
    absolutePath: bag.sealed.path,
    sessionId: r.session.id,
    recordedEndAt: r.endedAt,
    retainUntil: seal.retention.retainUntil,
  });
}

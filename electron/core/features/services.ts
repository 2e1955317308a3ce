import { LiveService, type LanLiveConfig, type RelayConfig } from './live';
import { Sfu, type SfuOptions } from '../platform/sfu/sfu';
import type { AppInfo } from '../../shared/api/index';
import type { AgencySettings } from './app/settings';
import type { Keystore } from '../platform/keystore';
import { identityDirOf, protectKeysWith, REGISTER_FILE } from '../platform/pki';
import { join } from 'node:path';
import type { AuditLog } from '../platform/audit';
import { AccessService, BundleFiles, PartyCopies } from './access';
import { anchorFilesFrom, AuditAnchors } from './audit/anchors';
import { AuditViewer } from './audit/viewer';
import type { ServiceDeps } from './context';
import { CasesService } from './cases/service';
import { DiscsService, type DiscsOptions } from './discs/service';
import { HearingProcedures, HearingsService } from './hearings';
import { ApprovalsService } from './approvals';
import { DocumentsService, ServiceRecords } from './documents';
import { FilingService, RetentionService } from './filing';
import { InitiationService } from './initiation';
import { ComplianceService, recordSealedFindings, renderComplianceReport } from './compliance';
import { GuideService } from './guide';
import { StatisticsService } from './statistics';
import { renderCaseFileIndex } from './discs';
import { bundleRetentions } from './sealing';
import { RecordingService, recordedPreflightsOf, type MediaOptions } from './recording';
import { SealService, type SealServiceOptions } from './sealing/service';
import { DevicesService, OfficersService } from './registers/service';
import { SessionsService } from './sessions/service';
import { SigningService, TabletService, type LanTabletConfig } from './signing';
import { StorageService, type StorageOptions } from './storage/service';
import { TranscriptsService } from './transcript/service';
import { TrustService } from './trust/service';
import { UsersService } from './users/service';

export interface Services {
  info(): AppInfo;
  /** The agency's settings (its time zone). */
  settings: AgencySettings;
  users: UsersService;
  officers: OfficersService;
  devices: DevicesService;
  sessions: SessionsService;
  cases: CasesService;
  transcripts: TranscriptsService;
  signing: SigningService;
  /** The LAN signing tablet's pairing. */
  tablet: TabletService;
  recording: RecordingService;
  /** Sealed bundles. */
  sealing: SealService;
  /** Storage targets and the replication queue. */
  storage: StorageService;
  /** Evidence discs and the case file index. */
  discs: DiscsService;
  audit: AuditLog;
  /** The audit trail's signed heads outside the database, and the check against them. */
  anchors: AuditAnchors;
  /** The audit viewer: the trail filtered, paged and exported. */
  auditViewer: AuditViewer;
  /** The agency certificate register, the workstation's certificate, the time-stamping authority. */
  trust: TrustService;
  /** Case teams, access requests and grants: the check every read of evidence goes through. */
  access: AccessService;
  /** A sealed bundle's files: listed, classified, opened under the access check. */
  bundleFiles: BundleFiles;
  /** Party copies (R6.2): requests, decisions, copy bags and their register. */
  copies: PartyCopies;
  /** Hearings: the moderator's report, signed and sealed with the session. */
  hearings: HearingsService;
  /** A case's hearing procedure: the notice of the right, the request, the notice of the hearing. */
  hearingProcedures: HearingProcedures;
  /** How cases start: applications, complaints, emergency starts. */
  initiation: InitiationService;
  /** Approval forms (审批表). */
  approvals: ApprovalsService;
  /** Issued documents, their service (`documents.records`) and execution. */
  documents: DocumentsService;
  /** The filing act and the deadline board. */
  filing: FilingService;
  /** Long-term proposals and the retention register. */
  retention: RetentionService;
  /** The compliance report of a session and of a case. */
  compliance: ComplianceService;
  /** The agency's phrase guide (执法用语指引). */
  guide: GuideService;
  /** Supervision statistics (R6.4). */
  statistics: StatisticsService;
  /** The live room: forwarding to the SFU and audited viewings. */
  live: LiveService;
}

export function createServices(
  deps: ServiceDeps,
  meta: {
    dataDir: string;
    version: string;
    settings: AgencySettings;
    media?: Partial<MediaOptions> | undefined;
    log?: ((line: string) => void) | undefined;
    /** The LAN signing tablet, when this workstation offers one. */
    lanTablet?: LanTabletConfig | undefined;
    /** Sealing and replication tunables (tests: no slow verify tools, a fast queue). */
    sealing?: Partial<Omit<SealServiceOptions, 'version' | 'log'>> & { storage?: StorageOptions };
    /** Disc tunables (tests: a stand-in burner, a bundle source). */
    discs?: Partial<Omit<DiscsOptions, 'dataDir' | 'version'>> | undefined;
    /** The time-stamping authority the environment names (`ATTEST_TSA_URL`), when the settings name none. */
    environmentTsaUrl?: string | undefined;
    /** The OS keystore protecting secrets at rest (the app's; none in the web host and CLI). */
    keystore?: Keystore | undefined;
    /** The live room's SFU (where it listens, which worker). */
    sfu?: SfuOptions | undefined;
    /** The live room's pages on the LAN, when this workstation offers them. */
    lanLive?: LanLiveConfig | undefined;
    /** The relay the rooms pipe to (a case-handling centre's server), when there is one. */
    relay?: RelayConfig | undefined;
  },
): Services {
  const identityDir = meta.sealing?.identityDir ?? identityDirOf(meta.dataDir);
  protectKeysWith(identityDir, meta.keystore ?? null);
  const trust = new TrustService(deps, {
    identityDir,
    environmentTsaUrl: meta.environmentTsaUrl,
    keystore: meta.keystore,
  });
  const users = new UsersService(deps);
  const access = new AccessService(deps);
  // Ending a session finishes its recording first. Recording is made after sessions (it uses
  // them), so this port forwards to it once it exists.
  const guide = new GuideService(deps);
  const live = new LiveService(
    deps,
    access,
    new Sfu({ ...meta.sfu, log: meta.log }),
    (conn, sessionId) => recording.recordsOn(conn, sessionId),
    meta.log,
    meta.lanLive ? { config: meta.lanLive, tlsDir: identityDirOf(meta.dataDir) } : undefined,
    meta.relay,
  );
  const sessions = new SessionsService(deps, {
    sessionEnded: (id) => {
      recording.sessionEnded(id);
      live.sessionEnded(id);
    },
    mediaEndMs: (id) => recording.mediaEndMs(id),
    checkedSources: (id) => {
      const last = recordedPreflightsOf(deps.db, id).at(-1);
      if (!last) return null;
      const sources =
        (JSON.parse(last.preflight) as { sources?: { kind: string }[] }).sources ?? [];
      return {
        cameras: sources.filter((s) => s.kind === 'camera').length,
        microphones: sources.filter((s) => s.kind === 'microphone').length,
      };
    },
    avRequirement: (kind, matter) => guide.avRequirement(kind, matter),
  });
  const officers = new OfficersService(deps);
  // The approval forms decide when a case may leave review; they are made after cases (they
  // read them), so this port forwards to them once they exist.
  const cases = new CasesService(deps, sessions, {
    decisionApproved: (caseId) => approvals.decisionApproved(caseId),
  });
  const approvals: ApprovalsService = new ApprovalsService(
    deps,
    { cases, users, guard: access },
    { dataDir: meta.dataDir, identityDir },
  );
  const documents = new DocumentsService(
    deps,
    { cases, guard: access, decisionApproved: (id) => approvals.decisionApproved(id) },
    { dataDir: meta.dataDir, identityDir },
  );
  documents.records = new ServiceRecords(
    deps,
    {
      cases,
      guard: access,
      decisionApproved: (id) => approvals.decisionApproved(id),
      sessions,
    },
    documents,
    { dataDir: meta.dataDir, identityDir },
  );
  const retention = new RetentionService(deps, {
    cases,
    guard: access,
    bundles: () => bundleRetentions(deps.db),
  });
  const transcripts = new TranscriptsService(deps, access);
  const storage = new StorageService(deps, meta.dataDir, {
    // Beside every replicated bag: the agency register as it is now, and the audit trail's
    // signed heads from a day before the recording ended on (R4.3: a history no one can
    // quietly rewrite, kept where the workstation cannot reach it).
    companion: {
      stagingDir: join(meta.dataDir, 'replica-staging'),
      files: async (job) => {
        const register = trust.registerFile();
        return [
          ...(register ? [{ name: REGISTER_FILE, bytes: Buffer.from(register.text, 'utf8') }] : []),
          ...anchorFilesFrom(meta.dataDir, job.recordedEndAt - 24 * 3_600_000),
        ];
      },
    },
    keystore: meta.keystore,
    secretRefusal: () => trust.secretRefusal(),
    ...meta.sealing?.storage,
    ...(meta.log ? { log: meta.log } : {}),
  });
  const sealing = new SealService(
    deps,
    {
      sessions,
      cases,
      officers,
      storage,
      trust,
      guard: access,
      transcripts,
      // Made after sealing (it reads the filing, which reads the discs); forwarded once it exists.
      compliance: {
        session: (id) => compliance.session(id),
        recordSealed: (bundleId, sessionId, report) =>
          recordSealedFindings(deps.db, bundleId, sessionId, report),
        print: renderComplianceReport,
      },
    },
    meta.dataDir,
    {
      ...meta.sealing,
      version: meta.version,
      ...(meta.log ? { log: meta.log } : {}),
    },
  );
  const signing = new SigningService(
    deps,
    { sessions, cases, officers, transcripts, users, guard: access, guide },
    meta.dataDir,
  );
  const recording: RecordingService = new RecordingService(
    deps,
    sessions,
    users,
    meta.dataDir,
    access,
    meta.media,
    meta.log,
    (sessionId, sourceId) => live.remotes.source(sessionId, sourceId),
  );
  const bundleFiles = new BundleFiles(deps, access, meta.dataDir);
  const anchors = new AuditAnchors(
    deps.db,
    meta.dataDir,
    identityDir,
    `Attest ${meta.version}`,
    deps.now,
    meta.log ?? (() => undefined),
  );
  const initiation = new InitiationService(deps, cases);
  const discs = new DiscsService(deps, {
    register: () => trust.registerFile(),
    guard: access,
    ...meta.discs,
    dataDir: meta.dataDir,
    version: meta.version,
  });
  const filing = new FilingService(
    deps,
    {
      cases,
      index: (caseId) => discs.caseFileIndex(caseId),
      policy: () => discs.policy(),
      print: (idx, signOff) => renderCaseFileIndex(idx, { timeZone: deps.timeZone(), signOff }),
      documents,
      retention,
    },
    { dataDir: meta.dataDir, identityDir },
  );
  const compliance = new ComplianceService(deps, {
    sessions,
    cases,
    transcripts,
    initiation,
    approvals,
    documents,
    retention,
    filing,
  });
  return {
    info: () => ({
      name: 'Attest',
      version: meta.version,
      needsSetup: users.count() === 0,
      dataDir: meta.dataDir,
      timeZone: deps.timeZone(),
      now: deps.now(),
    }),
    settings: meta.settings,
    users,
    officers,
    devices: new DevicesService(deps),
    sessions,
    cases,
    transcripts,
    signing,
    tablet: new TabletService(deps, signing, meta.dataDir, meta.lanTablet, meta.log),
    recording,
    sealing,
    storage,
    discs,
    audit: deps.audit,
    auditViewer: new AuditViewer(deps, {
      verify: () => anchors.verify(),
      identityDir,
    }),
    trust,
    anchors,
    access,
    bundleFiles,
    hearings: new HearingsService(
      deps,
      { sessions, cases, officers, users, guard: access },
      { dataDir: meta.dataDir, identityDir },
    ),
    hearingProcedures: new HearingProcedures(deps, {
      cases,
      officers,
      guard: access,
      calendar: () => meta.settings.calendar(),
    }),
    copies: new PartyCopies(deps, access, bundleFiles, {
      dataDir: meta.dataDir,
      identityDir,
      tsa: () => meta.sealing?.tsa ?? trust.tsa(),
      software: `Attest ${meta.version}`,
    }),
    initiation,
    approvals,
    documents,
    filing,
    retention,
    compliance,
    guide,
    statistics: new StatisticsService(deps, {
      filingPolicy: () => discs.policy(),
      identityDir,
    }),
    live,
  };
}

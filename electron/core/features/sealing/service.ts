/**
 * Sealing a finished session into the archive (issue 4; R4.2, R4.3, R4.4, R5.1; ARCHITECTURE
 * §5). An ended session whose transcript was signed (or whose refusal the officers signed)
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
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { CASE_WRITERS } from '../../../shared/api/index';
import type { CaseDetailDto, SessionDto, SessionKind, UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import {
  RETENTION_YEARS,
  type BundleDto,
  type BundleVerificationDto,
  type RetentionChoice,
  type SealBlocker,
  type SealCheckDto,
  type SealInput,
  type VerifyReportDto,
} from '../../../shared/api/sealing';
import { storageDeadlineOf } from '../../../shared/rules/deadline';
import { loadOrCreateIdentity } from '../../platform/pki';
import {
  buildBagInfo,
  cleanIncompleteSeals,
  formatReport,
  isoInZone,
  sealBag,
  verifyBag,
  type EventInput,
  type SessionRecordInfo,
  type SourceFile,
  type VerifyOptions,
  type VerifyReport,
} from './';
import { hashFile, removeTree } from '../../platform/fs';
import type { TsaOptions } from '../../platform/pki/tsa';
import type { CasesService } from '../cases/service';
import { requireRole, type Caller, type ServiceDeps } from '../context';
import { markSealed } from '../sessions';
import type { OfficersService } from '../registers/service';
import type { SessionsService } from '../sessions/service';
import type { StorageService } from '../storage/service';

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

interface BundleRow {
  id: number;
  session_id: number;
  case_id: number;
  bag_id: string;
  bag_name: string;
  path: string;
  tag_manifest_sha512: string;
  payload_files: number;
  payload_bytes: number;
  event_log_head: string;
  event_log_entries: number;
  signer_subject: string;
  signer_fingerprint: string;
  timestamp: 'none' | 'ok' | 'failed';
  retention_choice: RetentionChoice;
  retention_class: 'standard' | 'long-term';
  retention_reason: string | null;
  retain_until: number | null;
  recorded_end_at: number;
  sealed_at: number;
  sealed_by: number;
  case_no: string;
  session_kind: SessionKind;
  sealed_by_name: string;
}

interface VerificationRow {
  id: number;
  bundle_id: number;
  at: number;
  ok: number;
  recorded_hash_matches: number;
  errors: number;
  warnings: number;
  report: string;
  by_name: string | null;
}

interface SegmentRow {
  id: number;
  source_id: string;
  segment: number;
  kind: 'camera' | 'microphone' | 'program';
  path: string;
  codec: string;
  width: number | null;
  height: number | null;
  frame_rate: number | null;
  sample_rate: number | null;
  channels: number | null;
  first_capture_time_us: number;
  session_time_us: number;
  opened_at: number;
  closed_at: number | null;
  state: 'open' | 'closed' | 'recovered';
  close_reason: string | null;
  bytes: number;
  fragments: number;
  duration_us: number | null;
  sha256: string | null;
  discarded_bytes: number;
  recovery: string | null;
}

interface SigningRow {
  id: number;
  document_id: string;
  state: 'open' | 'refused' | 'finished';
  finished_at: number | null;
  pdf_path: string | null;
  pdf_sha256: string | null;
  content_hash: string | null;
  page_count: number | null;
}

interface PreflightSource {
  sourceId: string;
  kind: string;
  deviceNo: string;
  role: string;
  label: string;
}

const KIND_ZH: Record<SessionKind, string> = {
  interview: '询问',
  hearing: '听证',
  summons: '约谈',
  inspection: '现场检查',
};

/** What the record proves (证明对象, R5.1), by the kind of session, unless the officer says more. */
const PURPOSE: Record<SessionKind, string> = {
  interview:
    '询问过程的音像记录与询问笔录，证明询问的经过及当事人的陈述 (the interview as it happened and what the party stated)',
  hearing:
    '听证过程的音像记录与听证笔录，证明听证的经过及各方的陈述、申辩和质证 (the hearing as it happened and what each side stated)',
  summons:
    '约谈过程的音像记录与笔录，证明约谈的经过及当事人的陈述 (the summons talk as it happened and what the party stated)',
  inspection:
    '现场检查过程的音像记录与笔录，证明检查的经过及现场情况 (the on-site inspection as it happened and what was found)',
};

const RETENTION_REASON: Record<Exclude<RetentionChoice, 'long-term'>, string> = {
  'av-1y': '音像资料保存期限不少于1年 audio/video kept at least 1 year (R4.4; 004:32)',
  'case-3y': '随案卷保存3年 kept with the case file for 3 years (R4.4; 003:30)',
};

/**
 * A directory name from a case number, kept readable (Chinese stays) and safe on Windows,
 * macOS and Linux: no path separators, reserved characters, control characters, leading
 * dots or reserved device names.
 */
export function safeDirName(text: string, max = 80): string {
  let out = text
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  out = [...out].slice(0, max).join('');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(out)) out = `_${out}`;
  return out || 'case';
}

/** The same instant a calendar number of years later (29 February → 1 March). */
function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/**
 * Why a segment holds no bytes, as the record says it: nothing was written, or (a recovery
 * found) bytes were written and then lost. Lost media is never described as empty.
 */
export function emptySegmentNote(recovery: string | null): string {
  const r = recovery
    ? (JSON.parse(recovery) as { journaledBytes?: number; reason?: string; cutFiles?: string[] })
    : null;
  if (r && (r.journaledBytes ?? 0) > 0) {
    const cut = r.cutFiles?.length ? `; what was cut is kept in ${r.cutFiles.join(', ')}` : '';
    return `MEDIA LOST: ${r.journaledBytes} bytes had been written and confirmed, but the file holds none after recovery (${r.reason ?? 'no reason recorded'})${cut}`;
  }
  return 'empty segment: nothing was written, so no file is sealed';
}

function counts(report: VerifyReportDto): { errors: number; warnings: number } {
  return {
    errors: report.problems.filter((p) => p.severity === 'error').length,
    warnings: report.problems.filter((p) => p.severity === 'warning').length,
  };
}

export class SealService {
  private ready: Promise<void> = Promise.resolve();
  private readonly busy = new Set<number>();
  private readonly verifying = new Map<number, Promise<BundleVerificationDto>>();
  private readonly log: (line: string) => void;
  private readonly tables = new Map<string, boolean>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: {
      sessions: SessionsService;
      cases: CasesService;
      officers: OfficersService;
      storage: StorageService;
    },
    private readonly dataDir: string,
    private readonly opts: SealServiceOptions,
  ) {
    this.log = opts.log ?? (() => undefined);
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
  start(): void {
    this.ready = this.cleanIncomplete().catch((e: unknown) =>
      this.log(`sealing: clean-up failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    this.services.storage.start();
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
  }

  // -------------------------------------------------------------------------------------
  // Reading

  private hasTable(name: string): boolean {
    let has = this.tables.get(name);
    if (has === undefined) {
      has = Boolean(
        this.deps.db
          .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
          .get(name),
      );
      this.tables.set(name, has);
    }
    return has;
  }

  private abs(rel: string): string {
    return join(this.dataDir, ...rel.split('/'));
  }

  private segments(sessionId: number): SegmentRow[] {
    if (!this.hasTable('media_segments')) return [];
    return this.deps.db
      .prepare(
        'SELECT * FROM media_segments WHERE session_id = ? ORDER BY kind, source_id, segment',
      )
      .all(sessionId) as SegmentRow[];
  }

  private signing(sessionId: number): SigningRow | null {
    if (!this.hasTable('signings')) return null;
    return (
      (this.deps.db
        .prepare('SELECT * FROM signings WHERE session_id = ? ORDER BY id DESC LIMIT 1')
        .get(sessionId) as SigningRow | undefined) ?? null
    );
  }

  private bundleRow(where: string, ...params: unknown[]): BundleRow | undefined {
    return this.deps.db
      .prepare(
        `SELECT b.*, c.case_no, s.kind AS session_kind, u.display_name AS sealed_by_name
         FROM sealed_bundles b JOIN cases c ON c.id = b.case_id JOIN sessions s ON s.id = b.session_id
         JOIN users u ON u.id = b.sealed_by ${where}`,
      )
      .get(...params) as BundleRow | undefined;
  }

  private latestVerification(bundleId: number): VerificationRow | undefined {
    return this.deps.db
      .prepare(
        `SELECT v.*, u.display_name AS by_name FROM bundle_verifications v
         LEFT JOIN users u ON u.id = v.user_id WHERE v.bundle_id = ? ORDER BY v.id DESC LIMIT 1`,
      )
      .get(bundleId) as VerificationRow | undefined;
  }

  private toDto(r: BundleRow): BundleDto {
    const v = this.latestVerification(r.id);
    return {
      id: r.id,
      sessionId: r.session_id,
      caseId: r.case_id,
      caseNo: r.case_no,
      sessionKind: r.session_kind,
      bagName: r.bag_name,
      bagId: r.bag_id,
      path: this.abs(r.path),
      sealedAt: r.sealed_at,
      sealedBy: r.sealed_by_name,
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
            by: v.by_name,
            ok: v.ok === 1,
            recordedHashMatches: v.recorded_hash_matches === 1,
            errors: v.errors,
            warnings: v.warnings,
          }
        : null,
    };
  }

  get(bundleId: number): BundleDto {
    const r = this.bundleRow('WHERE b.id = ?', bundleId);
    if (!r) throw new AppError('NOT_FOUND', `no sealed bundle ${bundleId}`);
    return this.toDto(r);
  }

  list(filter: { caseId?: number | undefined; sessionId?: number | undefined }): BundleDto[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.caseId !== undefined) {
      where.push('case_id = ?');
      params.push(filter.caseId);
    }
    if (filter.sessionId !== undefined) {
      where.push('session_id = ?');
      params.push(filter.sessionId);
    }
    const ids = this.deps.db
      .prepare(
        `SELECT id FROM sealed_bundles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`,
      )
      .all(...params) as { id: number }[];
    return ids.map((r) => this.get(r.id));
  }

  // -------------------------------------------------------------------------------------
  // Readiness

  private defaultRetention(c: CaseDetailDto): SealCheckDto['defaultRetention'] {
    // Once a case is kept long-term (a dispute, a complaint, obstruction), its later
    // sessions are too, for the same reason.
    const earlier = this.deps.db
      .prepare(
        "SELECT retention_reason FROM sealed_bundles WHERE case_id = ? AND retention_class = 'long-term' ORDER BY id DESC LIMIT 1",
      )
      .get(c.id) as { retention_reason: string } | undefined;
    if (earlier) return { choice: 'long-term', reason: earlier.retention_reason };
    // At least as long as the case file (R4.4): three years where a case file is kept.
    return { choice: 'case-3y', reason: null };
  }

  /** Whether the session may be sealed now; every reason it may not. */
  check(sessionId: number): SealCheckDto {
    const session = this.services.sessions.get(sessionId);
    const c = this.services.cases.get(session.caseId);
    const blockers: SealCheckDto['blockers'] = [];
    const block = (code: SealBlocker, detail: string) => blockers.push({ code, detail });
    const bundle = this.deps.db
      .prepare('SELECT id FROM sealed_bundles WHERE session_id = ?')
      .get(sessionId) as { id: number } | undefined;
    if (bundle || session.status === 'sealed') block('sealed', 'the session is already sealed');
    else if (session.status !== 'ended' || session.endedAt === null)
      block(
        'not-ended',
        `the session is ${session.status}; it is sealed after the recording ended`,
      );
    if (!bundle) {
      if (this.busy.has(sessionId)) block('busy', 'the session is being sealed now');
      if (this.hasTable('signings')) {
        const s = this.signing(sessionId);
        if (s?.state === 'refused')
          block(
            'refusal-unfinished',
            'the refusal is recorded; two officers sign and finish the record first (R2.2)',
          );
        else if (s?.state !== 'finished')
          block('unsigned', 'the transcript has not been signed and finished yet');
      } else if (!existsSync(join(this.dataDir, 'sessions', String(sessionId), 'transcript.pdf'))) {
        block('unsigned', 'there is no signed transcript (transcript.pdf) yet');
      }
      const segments = this.segments(sessionId);
      if (segments.some((s) => s.state === 'open'))
        block('media-open', 'a media segment is still being written');
      const written = segments.filter((s) => s.state !== 'open' && s.bytes > 0);
      if (written.length === 0) block('no-media', 'no audio or video was recorded in this session');
      const missing = written.filter((s) => !existsSync(this.abs(s.path)));
      if (missing.length > 0)
        block('media-missing', `media files are missing: ${missing.map((s) => s.path).join(', ')}`);
    }
    return {
      sessionId,
      ready: blockers.length === 0,
      blockers,
      defaultRetention: this.defaultRetention(c),
      defaultEvidentiaryPurpose: PURPOSE[session.kind],
      bundleId: bundle?.id ?? null,
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
    const first = check.blockers[0];
    if (first) {
      const conflict: readonly SealBlocker[] = ['sealed', 'busy', 'media-open', 'not-ended'];
      const code = conflict.includes(first.code) ? 'CONFLICT' : 'RULE_VIOLATION';
      throw new AppError(code, check.blockers.map((b) => b.detail).join('; '));
    }
    this.busy.add(sessionId);
    const staging = join(
      this.dataDir,
      'tmp',
      `seal-${sessionId}-${randomBytes(6).toString('hex')}`,
    );
    try {
      return await this.sealNow(user, input, check, staging);
    } finally {
      this.busy.delete(sessionId);
      await removeTree(staging).catch(() => undefined);
    }
  }

  private async sealNow(
    user: UserDto,
    input: SealInput,
    check: SealCheckDto,
    staging: string,
  ): Promise<BundleDto> {
    const { db, audit, now } = this.deps;
    const session = this.services.sessions.get(input.id);
    const c = this.services.cases.get(session.caseId);
    const startedAt = session.startedAt!;
    const endedAt = session.endedAt!;
    const tz = session.timeZone ?? 'Asia/Shanghai';

    // 1. The media, checked against the hashes recorded while they were written: a file
    //    changed since is refused here, not sealed as if it were the recording.
    const segments = this.segments(session.id).filter((s) => s.state !== 'open');
    const written = segments.filter((s) => s.bytes > 0);
    const sources: SourceFile[] = [];
    const changed: string[] = [];
    for (const s of written) {
      const path = this.abs(s.path);
      const st = await fsp.stat(path);
      if (st.size !== s.bytes || (s.sha256 !== null && (await hashFile(path)).sha256 !== s.sha256))
        changed.push(s.path);
      sources.push({ path, name: `media/${basename(s.path)}` });
    }
    if (changed.length > 0) {
      throw new AppError(
        'CONFLICT',
        `media files differ from what was recorded (size or SHA-256): ${changed.join(', ')}; they are not sealed`,
      );
    }

    // 2. The signed record, its text and the strokes.
    const signing = this.signing(session.id);
    const sessionDir = join(this.dataDir, 'sessions', String(session.id));
    const pdfPath = signing?.pdf_path
      ? this.abs(signing.pdf_path)
      : join(sessionDir, 'transcript.pdf');
    if (signing?.pdf_sha256 && (await hashFile(pdfPath)).sha256 !== signing.pdf_sha256) {
      throw new AppError(
        'CONFLICT',
        'the transcript PDF differs from the one signed (SHA-256); it is not sealed',
      );
    }
    const docDir = join(pdfPath, '..');
    sources.push({ path: pdfPath, name: 'transcript/transcript.pdf' });
    // The transcript's JSON and the strokes as written when the record was signed: their
    // hashes are on the finish act, and a missing or changed file is not sealed.
    const finish = signing
      ? (db
          .prepare(
            "SELECT data FROM signing_acts WHERE signing_id = ? AND kind = 'finish' ORDER BY id DESC LIMIT 1",
          )
          .get(signing.id) as { data: string | null } | undefined)
      : undefined;
    const signedFiles =
      (JSON.parse(finish?.data ?? 'null') as { files?: Record<string, string> } | null)?.files ??
      {};
    for (const name of ['transcript.json', 'signatures.json']) {
      const path = join(docDir, name);
      const expected = signedFiles[name];
      if (
        expected !== undefined &&
        (!existsSync(path) || (await hashFile(path)).sha256 !== expected)
      ) {
        throw new AppError(
          'CONFLICT',
          `${name} is missing or differs from the one written when the record was signed; it is not sealed`,
        );
      }
      if (existsSync(path)) sources.push({ path, name: `transcript/${name}` });
    }

    // 3. The records written for the bag: pre-flight checks and the session as recorded.
    const preflights = this.hasTable('recording_preflights')
      ? (
          db
            .prepare(
              `SELECT p.id, p.preflight, p.core, p.saved_at, u.display_name AS saved_by
               FROM recording_preflights p LEFT JOIN users u ON u.id = p.saved_by
               WHERE p.session_id = ? ORDER BY p.id`,
            )
            .all(session.id) as {
            id: number;
            preflight: string;
            core: string;
            saved_at: number;
            saved_by: string | null;
          }[]
        ).map((p) => ({
          id: p.id,
          savedAt: new Date(p.saved_at).toISOString(),
          savedBy: p.saved_by,
          preflight: JSON.parse(p.preflight) as { sources?: PreflightSource[] },
          core: JSON.parse(p.core) as unknown,
        }))
      : [];
    const deviceOf = new Map<string, PreflightSource>();
    for (const p of preflights)
      for (const s of p.preflight.sources ?? []) deviceOf.set(s.sourceId, s);

    const at = now();
    const retention = this.retentionOf(input, check, endedAt);
    const purpose = input.evidentiaryPurpose ?? PURPOSE[session.kind];
    const identity = await loadOrCreateIdentity(
      this.opts.identityDir ?? join(this.dataDir, 'identity'),
    );

    await fsp.mkdir(staging, { recursive: true });
    const offsets =
      this.hasTable('media_segments') &&
      (
        db.prepare('SELECT media_offsets FROM sessions WHERE id = ?').get(session.id) as {
          media_offsets?: string | null;
        }
      ).media_offsets;
    const record = {
      schema: 'attest.session-record/1',
      case: {
        id: c.id,
        caseNo: c.caseNo,
        cause: c.cause,
        matterKind: c.matterKind,
        phase: c.phase,
      },
      session: {
        id: session.id,
        kind: session.kind,
        place: session.place,
        room: session.room,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(endedAt).toISOString(),
        startedAtLocal: isoInZone(startedAt, tz),
        endedAtLocal: isoInZone(endedAt, tz),
        timeZone: tz,
        officers: session.officers,
        participants: session.participants,
      },
      media: segments.map((s) => ({
        file: s.bytes > 0 ? `data/media/${basename(s.path)}` : null,
        sourceId: s.source_id,
        segment: s.segment,
        kind: s.kind,
        device: deviceOf.get(s.source_id) ?? null,
        codec: s.codec,
        width: s.width,
        height: s.height,
        frameRate: s.frame_rate,
        sampleRate: s.sample_rate,
        channels: s.channels,
        firstCaptureTimeUs: s.first_capture_time_us,
        sessionTimeUs: s.session_time_us,
        openedAt: new Date(s.opened_at).toISOString(),
        closedAt: s.closed_at === null ? null : new Date(s.closed_at).toISOString(),
        state: s.state,
        closeReason: s.close_reason,
        bytes: s.bytes,
        fragments: s.fragments,
        durationUs: s.duration_us,
        /** As hashed while it was written; the manifests hold the same value. */
        sha256: s.sha256,
        discardedBytes: s.discarded_bytes,
        recovery: s.recovery ? (JSON.parse(s.recovery) as unknown) : null,
        ...(s.bytes === 0 ? { note: emptySegmentNote(s.recovery) } : {}),
      })),
      offsets: offsets ? (JSON.parse(offsets) as unknown) : null,
      transcript: signing
        ? {
            documentId: signing.document_id,
            state: signing.state,
            finishedAt:
              signing.finished_at === null ? null : new Date(signing.finished_at).toISOString(),
            pdf: 'data/transcript/transcript.pdf',
            pdfSha256: signing.pdf_sha256,
            contentHash: signing.content_hash,
            pageCount: signing.page_count,
          }
        : { pdf: 'data/transcript/transcript.pdf' },
      seal: {
        by: { userId: user.id, name: user.displayName },
        at: new Date(at).toISOString(),
        retention: {
          choice: retention.choice,
          class: retention.class,
          reason: retention.reason,
          retainUntil:
            retention.retainUntil === null ? null : new Date(retention.retainUntil).toISOString(),
        },
        evidentiaryPurpose: purpose,
        workstation: { hostname: hostname(), software: `Attest ${this.opts.version}` },
        certificate: { subject: identity.subject, fingerprintSha256: identity.fingerprintSha256 },
      },
    };
    await fsp.writeFile(join(staging, 'session.json'), `${JSON.stringify(record, null, 2)}\n`);
    sources.push({ path: join(staging, 'session.json'), name: 'session.json' });
    await fsp.writeFile(
      join(staging, 'preflight.json'),
      `${JSON.stringify(preflights, null, 2)}\n`,
    );
    sources.push({ path: join(staging, 'preflight.json'), name: 'preflight.json' });

    // 4. bag-info (R4.2, R5.1, R4.4).
    const officerUnits = session.officers
      .map((o) => this.services.officers.get(o.officerId).unit)
      .filter((u): u is string => Boolean(u));
    const partyNames = session.participants.filter((p) => p.role === 'party').map((p) => p.name);
    const parties =
      partyNames.length > 0
        ? partyNames
        : c.parties.length > 0
          ? c.parties.map((p) => p.name)
          : ['无 none recorded'];
    const cams = written.filter((s) => s.kind === 'camera');
    const mics = written.filter((s) => s.kind === 'microphone');
    const program = written.filter((s) => s.kind === 'program');
    const distinct = (rows: SegmentRow[]) => new Set(rows.map((r) => r.source_id)).size;
    const codecs = [...new Set(written.map((s) => s.codec))].join(', ');
    const fixed =
      session.kind === 'inspection'
        ? '现场音像记录 on-site A/V recording'
        : '固定式音像监控 fixed A/V monitoring (R3.2)';
    const devices = [...new Set(written.map((s) => s.source_id))].map((sourceId) => {
      const d = deviceOf.get(sourceId);
      const kind = written.find((s) => s.source_id === sourceId)!.kind;
      return d
        ? `${d.deviceNo} (${kind}, source ${sourceId}, ${d.role})`
        : kind === 'program'
          ? `${sourceId} (program, composited by workstation ${hostname()})`
          : `${sourceId} (${kind})`;
    });
    const info: SessionRecordInfo = {
      caseNumber: c.caseNo,
      caseCause: c.cause,
      parties,
      officers: session.officers.map((o) => ({ name: o.name, certificateNo: o.certificateNo })),
      deviceNumbers: devices,
      recordingStart: startedAt,
      recordingEnd: endedAt,
      place: session.room ? `${session.place} ${session.room}` : session.place,
      recordingMethod:
        `${fixed}: ${distinct(cams)} camera(s), ${distinct(mics)} microphone(s)` +
        (program.length > 0 ? ', program (picture-in-picture, time and case caption)' : '') +
        `; fragmented MP4 (${codecs}), written and hashed as recorded`,
      madeBy: user.officerId
        ? (() => {
            const o = this.services.officers.get(user.officerId);
            return `${o.name} (执法证号 certificate ${o.certificateNo})`;
          })()
        : user.displayName,
      madeAt: at,
      productionMethod:
        `Attest ${this.opts.version} workstation ${hostname()}: media copied bit for bit from the recording, ` +
        `transcript PDF signed (PAdES); sealed as a BagIt bag with a detached CMS signature ` +
        `(certificate SHA-256 ${identity.fingerprintSha256})`,
      evidentiaryPurpose: purpose,
      retention: {
        class: retention.class,
        ...(retention.reason ? { reason: retention.reason } : {}),
        ...(retention.retainUntil !== null ? { retainUntil: retention.retainUntil } : {}),
      },
      sessionId: String(session.id),
      sessionKind: `${session.kind} ${KIND_ZH[session.kind]}`,
      description: `${KIND_ZH[session.kind]} ${c.caseNo} ${c.cause}`,
      timeZone: tz,
      ...(officerUnits[0] ? { sourceOrganization: officerUnits[0] } : {}),
    };
    const bagInfo = buildBagInfo(info);

    // 5. The event log, and the bag.
    const entries = this.eventLog(session, signing, at, user);
    const caseDir = safeDirName(c.caseNo);
    const stamp = isoInZone(at, tz).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const bagName = `${session.id}-${stamp}`;
    const bagId = `${caseDir}_${bagName}`;
    const sealed = await sealBag({
      sourceFiles: sources,
      bagInfo,
      eventLog: { entries },
      signer: identity.signer,
      outDir: join(this.archiveDir, caseDir),
      bagName,
      now: () => at,
      timeZone: tz,
      softwareAgent: `Attest ${this.opts.version}`,
      ...(this.opts.tsa ? { tsa: this.opts.tsa } : {}),
    });
    const relPath = ['archive', caseDir, bagName].join('/');

    // 6. The record: the bundle, the session sealed with it, the audit entry; then the jobs.
    let bundleId: number;
    try {
      bundleId = db.transaction(() => {
        const id = Number(
          db
            .prepare(
              `INSERT INTO sealed_bundles (session_id, case_id, bag_id, bag_name, path, tag_manifest_sha512,
                 payload_files, payload_bytes, event_log_head, event_log_entries, signer_subject,
                 signer_fingerprint, timestamp, retention_choice, retention_class, retention_reason,
                 retain_until, recorded_end_at, sealed_at, sealed_by, bag_info)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              session.id,
              c.id,
              bagId,
              bagName,
              relPath,
              sealed.tagManifestSha512,
              sealed.payloadFiles,
              sealed.payloadBytes,
              sealed.eventLog.head,
              sealed.eventLog.entries,
              sealed.signer.subject,
              sealed.signer.fingerprintSha256,
              sealed.timestamp === null ? 'none' : sealed.timestamp.ok ? 'ok' : 'failed',
              retention.choice,
              retention.class,
              retention.reason,
              retention.retainUntil,
              endedAt,
              at,
              user.id,
              JSON.stringify(bagInfo),
            ).lastInsertRowid,
        );
        markSealed(db, session.id);
        audit.append({
          at,
          actorUserId: user.id,
          actor: user.displayName,
          action: 'session.sealed',
          entity: 'session',
          entityId: session.id,
          caseId: c.id,
          data: {
            bundleId: id,
            bagId,
            path: relPath,
            tagManifestSha512: sealed.tagManifestSha512,
            payloadFiles: sealed.payloadFiles,
            payloadBytes: sealed.payloadBytes,
            eventLogHead: sealed.eventLog.head,
            signer: sealed.signer.fingerprintSha256,
            retention,
            deadlineAt: storageDeadlineOf(endedAt),
            timestamp: sealed.timestamp,
          },
        });
        return id;
      })();
    } catch (e) {
      // The bag stays (it is whole and signed; nothing is deleted): say where, loudly.
      this.log(
        `sealing: the bag ${sealed.path} was made but could not be recorded: ${e instanceof Error ? e.message : String(e)}`,
      );
      throw e;
    }
    this.services.storage.enqueueBundle({
      id: bundleId,
      bagId,
      absolutePath: sealed.path,
      sessionId: session.id,
      recordedEndAt: endedAt,
      retainUntil: retention.retainUntil,
    });
    this.log(`sealing: session ${session.id} sealed as ${relPath}`);
    this.deps.emit('bundle.changed', { bundleId, sessionId: session.id, caseId: c.id });
    this.deps.emit('case.changed', { caseId: c.id });
    return this.get(bundleId);
  }

  private retentionOf(
    input: SealInput,
    check: SealCheckDto,
    endedAt: number,
  ): {
    choice: RetentionChoice;
    class: 'standard' | 'long-term';
    reason: string | null;
    retainUntil: number | null;
  } {
    const choice = input.retention?.choice ?? check.defaultRetention.choice;
    if (choice === 'long-term') {
      const reason = input.retention?.reason ?? check.defaultRetention.reason;
      if (!reason)
        throw new AppError('RULE_VIOLATION', 'long-term retention needs its reason (R4.4)');
      return { choice, class: 'long-term', reason, retainUntil: null };
    }
    return {
      choice,
      class: 'standard',
      reason: input.retention?.reason || RETENTION_REASON[choice],
      retainUntil: addYears(endedAt, RETENTION_YEARS[choice]),
    };
  }

  /**
   * The session's event log: its audit entries (with their sequence number and hash in the
   * case store's own chain, so the two can be checked against each other) and its timeline
   * (segments, faults, signing acts), merged in time order, ending with the seal request.
   */
  private eventLog(
    session: SessionDto,
    signing: SigningRow | null,
    at: number,
    user: UserDto,
  ): (EventInput & { at: number })[] {
    const { db } = this.deps;
    const start = session.startedAt ?? 0;
    const signingIds = this.hasTable('signings')
      ? (
          db.prepare('SELECT id FROM signings WHERE session_id = ?').all(session.id) as {
            id: number;
          }[]
        ).map((r) => r.id)
      : [];
    const auditRows = db
      .prepare(
        `SELECT seq, at, actor, action, entity, entity_id, data, hash FROM events
         WHERE (entity = 'session' AND entity_id = ?)
            OR (entity = 'signing' AND entity_id IN (${signingIds.map(() => '?').join(', ') || 'NULL'}))
         ORDER BY seq`,
      )
      .all(session.id, ...signingIds) as {
      seq: number;
      at: number;
      actor: string | null;
      action: string;
      entity: string;
      entity_id: number | null;
      data: string;
      hash: string;
    }[];
    const merged: { at: number; order: number; entry: EventInput & { at: number } }[] = [];
    for (const r of auditRows) {
      merged.push({
        at: r.at,
        order: merged.length,
        entry: {
          at: r.at,
          ...(session.startedAt !== null && r.at >= start ? { t: r.at - start } : {}),
          type: `audit.${r.action}`,
          data: {
            auditSeq: r.seq,
            auditHash: r.hash,
            actor: r.actor,
            entity: r.entity,
            entityId: r.entity_id,
            data: JSON.parse(r.data) as unknown,
          },
        },
      });
    }
    if (this.hasTable('session_events')) {
      const timeline = db
        .prepare(
          `SELECT e.id, e.at, e.at_us, e.kind, e.source_id, m.segment, e.user_id, e.data
           FROM session_events e LEFT JOIN media_segments m ON m.id = e.segment_id
           WHERE e.session_id = ? ORDER BY e.id`,
        )
        .all(session.id) as {
        id: number;
        at: number;
        at_us: number | null;
        kind: string;
        source_id: string | null;
        segment: number | null;
        user_id: number | null;
        data: string;
      }[];
      for (const e of timeline) {
        merged.push({
          at: e.at,
          order: merged.length,
          entry: {
            at: e.at,
            ...(e.at_us !== null ? { t: Math.round(e.at_us / 1000) } : {}),
            type: `timeline.${e.kind}`,
            data: {
              timelineId: e.id,
              sourceId: e.source_id,
              segment: e.segment,
              userId: e.user_id,
              data: JSON.parse(e.data) as unknown,
            },
          },
        });
      }
    }
    merged.sort((a, b) => a.at - b.at || a.order - b.order);
    const entries = merged.map((m) => m.entry);
    entries.push({
      at,
      ...(session.startedAt !== null ? { t: at - start } : {}),
      type: 'seal.requested',
      data: {
        by: { userId: user.id, name: user.displayName },
        sessionId: session.id,
        signing: signing
          ? { documentId: signing.document_id, pdfSha256: signing.pdf_sha256, state: signing.state }
          : null,
      },
    });
    return entries;
  }

  // -------------------------------------------------------------------------------------
  // Verification

  private verificationDto(v: VerificationRow): BundleVerificationDto {
    const report = JSON.parse(v.report) as VerifyReportDto;
    return {
      bundleId: v.bundle_id,
      at: v.at,
      by: v.by_name,
      ok: v.ok === 1,
      recordedHashMatches: v.recorded_hash_matches === 1,
      errors: v.errors,
      warnings: v.warnings,
      report,
      text: {
        'zh-CN': formatReport(report as VerifyReport, 'zh-CN'),
        en: formatReport(report as VerifyReport, 'en'),
      },
    };
  }

  verification(bundleId: number): BundleVerificationDto | null {
    this.get(bundleId);
    const v = this.latestVerification(bundleId);
    return v ? this.verificationDto(v) : null;
  }

  /**
   * Verifies the bag as `attest verify` does, and also that its tag manifest is still the one
   * recorded when it was sealed (a bag swapped for another validly signed one is caught).
   * The result is recorded (append-only) and audited.
   */
  verify(caller: Caller, bundleId: number): Promise<BundleVerificationDto> {
    const running = this.verifying.get(bundleId);
    if (running) return running;
    const run = this.verifyNow(caller, bundleId).finally(() => this.verifying.delete(bundleId));
    this.verifying.set(bundleId, run);
    return run;
  }

  private async verifyNow(caller: Caller, bundleId: number): Promise<BundleVerificationDto> {
    const bundle = this.get(bundleId);
    const report = (await verifyBag(bundle.path, this.opts.verify ?? {})) as VerifyReportDto;
    let recorded = '';
    try {
      recorded = createHash('sha512')
        .update(await fsp.readFile(join(bundle.path, 'tagmanifest-sha512.txt')))
        .digest('hex');
    } catch {
      // missing: the report says so; it cannot match
    }
    const matches = recorded === bundle.tagManifestSha512;
    if (!matches) {
      report.problems.push({
        severity: 'error',
        code: 'tag-hash-mismatch',
        file: 'tagmanifest-sha512.txt',
        detail: `differs from the tag manifest recorded when the bundle was sealed (SHA-512 ${bundle.tagManifestSha512.slice(0, 16)}…)`,
      });
      report.checks['tag-manifest'] = 'fail';
      report.ok = false;
    }
    const { errors, warnings } = counts(report);
    const at = this.deps.now();
    const user = caller.user;
    const { db } = this.deps;
    const id = db.transaction(() => {
      const vid = Number(
        db
          .prepare(
            `INSERT INTO bundle_verifications (bundle_id, at, user_id, ok, recorded_hash_matches, errors, warnings, report)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            bundleId,
            at,
            user?.id ?? null,
            report.ok ? 1 : 0,
            matches ? 1 : 0,
            errors,
            warnings,
            JSON.stringify(report),
          ).lastInsertRowid,
      );
      this.deps.audit.append({
        at,
        actorUserId: user?.id ?? null,
        actor: user?.displayName ?? null,
        action: 'bundle.verified',
        entity: 'session',
        entityId: bundle.sessionId,
        caseId: bundle.caseId,
        data: {
          bundleId,
          ok: report.ok,
          recordedHashMatches: matches,
          errors,
          warnings,
          checks: report.checks,
        },
      });
      return vid;
    })();
    this.deps.emit('bundle.changed', {
      bundleId,
      sessionId: bundle.sessionId,
      caseId: bundle.caseId,
    });
    const row = db
      .prepare(
        `SELECT v.*, u.display_name AS by_name FROM bundle_verifications v
         LEFT JOIN users u ON u.id = v.user_id WHERE v.id = ?`,
      )
      .get(id) as VerificationRow;
    return this.verificationDto(row);
  }
}

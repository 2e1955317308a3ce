/**
 * The session record a seal is made from, gathered through the features that own it (the
 * session and its case, the media segments and pre-flight checks, the signing), and the two
 * records written into the bag from it: `data/session.json` (the session as recorded, its
 * media with the hashes taken while writing, the offsets between sources, the signing, the
 * seal) and `data/preflight.json` (the checks of devices, disk and clock, R3.6).
 */
import { promises as fsp } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { SealWarning } from '../../../shared/api/sealing';
import type { CaseDetailDto, SessionDto, UserDto } from '../../../shared/domain';
import type { SourceFile } from '../../platform/bagit/bagit';
import type { WorkstationIdentity } from '../../platform/pki';
import type { ServiceDeps } from '../context';
import type { CasesService } from '../cases';
import { recordedPreflightsOf, recordedSegmentsOf, type RecordedSegment } from '../recording';
import { sessionEvents, storedMediaOffsets, type SessionsService } from '../sessions';
import { latestSigningOfSession, signedFilesOf, type SigningRow } from '../signing';
import { reportSigningOf, type ReportSigningRow } from '../hearings';
import { userDisplayName } from '../users';
import { remoteParticipationOf, type RemoteParticipation } from '../live';
import { remoteSourceId } from '../../../shared/api/live';
import { isoInZone } from '../../../shared/time';
import { ZH_ENUMS } from '../../../shared/names-zh';
import {
  answersText,
  missingSteps,
  type Marker,
  type TranscriptState,
} from '../../../shared/rules/transcript';
import { emptySegmentNote, type Retention } from './rules';

/** A recording device as the pre-flight check listed it. */
export interface PreflightSource {
  sourceId: string;
  kind: string;
  deviceNo: string;
  role: string;
  label: string;
}

/** A pre-flight check as sealed. */
export interface PreflightEntry {
  id: number;
  savedAt: string;
  savedBy: string | null;
  preflight: { sources?: PreflightSource[] };
  core: unknown;
}

/** Everything recorded of a session that its seal is made from. */
export interface SessionRecord {
  session: SessionDto;
  case: CaseDetailDto;
  /** When the recording started and ended (an ended session has both). */
  startedAt: number;
  endedAt: number;
  /** The zone the session was recorded in. */
  timeZone: string;
  /** Every media segment, by kind, source and number. */
  segments: RecordedSegment[];
  signing: SigningRow | null;
  /** A hearing's report as its moderator signed it (files and their hashes), or null. */
  hearingReport: ReportSigningRow | null;
  /** SHA-256 of the files written when the record was signed, by name. */
  signedFiles: Record<string, string>;
  preflights: PreflightEntry[];
  /** The device behind each source, as the pre-flight checks listed it. */
  deviceOf: Map<string, PreflightSource>;
  /** Who took part through the live room, and when (their sources are `remote-<invite>-…`). */
  remote: RemoteParticipation[];
  /** The measured offsets between sources, or null. */
  offsets: unknown;
  /** The transcript's markers (procedure steps, interruptions, refusal) in time order. */
  markers: Marker[];
  /** The steps of the session's order never marked. */
  missingSteps: string[];
  /** Each step of the capture ladder: which source ran at which rate from when, and why. */
  captureSteps: { sourceId: string; at: number; data: CaptureStepData }[];
}

interface CaptureStepData {
  direction: 'down' | 'up';
  fps: number;
  fullFps: number;
  /** Absent on steps recorded before the picture could be halved: 1. */
  scale?: number;
  reason: string;
}

/** Step 1: gathers the session record. Reads only; the session has ended (its check said so). */
export function gatherSessionRecord(
  deps: Pick<ServiceDeps, 'db' | 'timeZone'>,
  services: {
    sessions: SessionsService;
    cases: CasesService;
    transcripts: { get(sessionId: number): { state: TranscriptState } };
  },
  sessionId: number,
): SessionRecord {
  const { db } = deps;
  const session = services.sessions.get(sessionId);
  const transcript = services.transcripts.get(sessionId).state;
  const signing = latestSigningOfSession(db, session.id);
  const preflights = recordedPreflightsOf(db, session.id).map((p): PreflightEntry => ({
    id: p.id,
    savedAt: new Date(p.savedAt).toISOString(),
    savedBy: userDisplayName(db, p.savedBy) ?? null,
    preflight: JSON.parse(p.preflight) as { sources?: PreflightSource[] },
    core: JSON.parse(p.core) as unknown,
  }));
  const deviceOf = new Map<string, PreflightSource>();
  for (const p of preflights)
    for (const s of p.preflight.sources ?? []) deviceOf.set(s.sourceId, s);
  return {
    session,
    case: services.cases.get(session.caseId),
    startedAt: session.startedAt!,
    endedAt: session.endedAt!,
    timeZone: session.timeZone ?? deps.timeZone(),
    segments: recordedSegmentsOf(db, session.id),
    signing,
    hearingReport: reportSigningOf(db, session.id) ?? null,
    signedFiles: signing ? signedFilesOf(db, signing.id) : {},
    preflights,
    deviceOf,
    remote: remoteParticipationOf(db, session.id),
    offsets: storedMediaOffsets(db, session.id),
    markers: [...transcript.markers].sort((a, b) => a.at - b.at),
    missingSteps: missingSteps(session.kind, transcript),
    captureSteps: sessionEvents(db, session.id)
      .filter((e) => e.kind === 'capture.stepped')
      .map((e) => ({ sourceId: e.sourceId ?? '', at: e.at, data: e.data as CaptureStepData })),
  };
}

/** The facts of the seal itself, as session.json records them. */
export interface SealMeta {
  user: UserDto;
  at: number;
  retention: Retention;
  evidentiaryPurpose: string;
  /** e.g. `Attest 0.1.0`. */
  software: string;
  /** The workstation's identity: it signs the bag, and session.json names it. */
  identity: WorkstationIdentity;
  /** Where consecutive files of a source do not meet (the seal check's warnings). */
  warnings: SealWarning[];
  /** The audit trail's last entry when sealing began. */
  auditHead: { seq: number; hash: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The content of data/session.json. */
export function sessionRecordDocument(r: SessionRecord, seal: SealMeta): unknown {
  const { session, case: c, signing, timeZone: tz } = r;
  return {
    schema: 'attest.session-record/1',
    case: { id: c.id, caseNo: c.caseNo, cause: c.cause, matterKind: c.matterKind, phase: c.phase },
    session: {
      id: session.id,
      kind: session.kind,
      place: session.place,
      room: session.room,
      startedAt: iso(r.startedAt),
      endedAt: iso(r.endedAt),
      startedAtLocal: isoInZone(r.startedAt, tz),
      endedAtLocal: isoInZone(r.endedAt, tz),
      timeZone: tz,
      officers: session.officers,
      participants: session.participants,
      /**
       * Those who took part through the live room: each visit (a drop and a rejoin are two);
       * their pictures and sound are the media of sources `remote-<invitation>-cam|mic`.
       * They did not sign on the desk's tablet.
       */
      remoteParticipants: r.remote.map((p) => ({
        invitation: p.inviteId,
        name: p.name,
        role: p.role,
        sources: [remoteSourceId(p.inviteId, 'video'), remoteSourceId(p.inviteId, 'audio')],
        visits: p.visits.map((v) => ({
          joinedAt: iso(v.joinedAt),
          leftAt: v.leftAt === null ? null : iso(v.leftAt),
          why: v.why,
          identityCheckedOnVideo: v.identity
            ? {
                at: iso(v.identity.at),
                credential: v.identity.credential,
                by: v.identity.checkedBy,
              }
            : null,
        })),
      })),
    },
    media: r.segments
      .filter((s) => s.state !== 'open')
      .map((s) => ({
        file: s.bytes > 0 ? `data/media/${basename(s.path)}` : null,
        sourceId: s.sourceId,
        segment: s.segment,
        kind: s.kind,
        device: r.deviceOf.get(s.sourceId) ?? null,
        codec: s.codec,
        ...(s.encoder ? { encoder: s.encoder } : {}),
        width: s.width,
        height: s.height,
        frameRate: s.frameRate,
        sampleRate: s.sampleRate,
        channels: s.channels,
        firstCaptureTimeUs: s.firstCaptureTimeUs,
        sessionTimeUs: s.sessionTimeUs,
        openedAt: iso(s.openedAt),
        closedAt: s.closedAt === null ? null : iso(s.closedAt),
        state: s.state,
        closeReason: s.closeReason,
        bytes: s.bytes,
        fragments: s.fragments,
        durationUs: s.durationUs,
        /** As hashed while it was written; the manifests hold the same value. */
        sha256: s.sha256,
        sha512: s.sha512,
        discardedBytes: s.discardedBytes,
        recovery: s.recovery ? (JSON.parse(s.recovery) as unknown) : null,
        ...(s.bytes === 0 ? { note: emptySegmentNote(s.recovery) } : {}),
      })),
    offsets: r.offsets,
    /**
     * Where the recorder chose to give up frames because the machine could not keep up (the
     * capture ladder): each source's rate from each step on, and what was measured. A source
     * not listed ran at its full rate throughout.
     */
    captureSteps: r.captureSteps.map((c) => ({
      sourceId: c.sourceId,
      device: r.deviceOf.get(c.sourceId)?.deviceNo ?? null,
      direction: c.data.direction,
      fps: c.data.fps,
      fullFps: c.data.fullFps,
      scale: c.data.scale ?? 1,
      reason: c.data.reason,
      atMs: c.at - r.startedAt,
      at: isoInZone(c.at, tz),
    })),
    /**
     * The procedure as the transcript marked it (R1.3, R2.5, R3.4): each step, interruption
     * and refusal at its session time and wall-clock time, and the steps never marked.
     */
    procedure: {
      markers: r.markers.map((m) => ({
        kind: m.kind,
        name: ZH_ENUMS.markerKind[m.kind],
        atMs: m.at,
        at: isoInZone(r.startedAt + m.at, tz),
        note: m.note,
        // The party's answers to the notice, as fields and as the record words them.
        ...(m.answers ? { answers: m.answers, answersText: answersText(m.answers) } : {}),
      })),
      missingSteps: r.missingSteps,
    },
    /**
     * Where two consecutive files of a source do not meet, beyond the tolerance of their kind
     * (empty when every file follows the one before): a hole is recorded, not hidden.
     */
    continuity: seal.warnings,
    transcript: signing
      ? {
          documentId: signing.document_id,
          state: signing.state,
          finishedAt: signing.finished_at === null ? null : iso(signing.finished_at),
          pdf: 'data/transcript/transcript.pdf',
          pdfSha256: signing.pdf_sha256,
          contentHash: signing.content_hash,
          pageCount: signing.page_count,
        }
      : { pdf: 'data/transcript/transcript.pdf' },
    // A hearing's report, signed by its moderator in person (R2.3).
    ...(r.hearingReport
      ? {
          hearingReport: {
            pdf: 'data/hearing/hearing-report.pdf',
            pdfSha256: r.hearingReport.pdf_sha256,
            json: 'data/hearing/hearing-report.json',
            signedAt: iso(r.hearingReport.signed_at),
            moderatorOfficerId: r.hearingReport.officer_id,
            presence: r.hearingReport.presence,
          },
        }
      : {}),
    seal: {
      by: { userId: seal.user.id, name: seal.user.displayName },
      at: iso(seal.at),
      retention: {
        choice: seal.retention.choice,
        class: seal.retention.class,
        reason: seal.retention.reason,
        retainUntil: seal.retention.retainUntil === null ? null : iso(seal.retention.retainUntil),
      },
      evidentiaryPurpose: seal.evidentiaryPurpose,
      workstation: { hostname: hostname(), software: seal.software },
      certificate: {
        subject: seal.identity.subject,
        fingerprintSha256: seal.identity.fingerprintSha256,
      },
    },
  };
}

/** Writes session.json and preflight.json into `staging`; returns them as payload files. */
export async function writeRecordFiles(
  staging: string,
  r: SessionRecord,
  seal: SealMeta,
): Promise<SourceFile[]> {
  await fsp.mkdir(staging, { recursive: true });
  const session = join(staging, 'session.json');
  await fsp.writeFile(session, `${JSON.stringify(sessionRecordDocument(r, seal), null, 2)}\n`);
  const preflight = join(staging, 'preflight.json');
  await fsp.writeFile(preflight, `${JSON.stringify(r.preflights, null, 2)}\n`);
  return [
    { path: session, name: 'session.json' },
    { path: preflight, name: 'preflight.json' },
  ];
}

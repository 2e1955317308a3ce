/**
 * The pure rules of sealing: when a session may be sealed (and why not), how long a bundle
 * is kept (R4.4), what the record proves by default (R5.1), how a bag is named, and how a
 * segment without bytes is described. No I/O: the service gathers the facts and asks here.
 */
import type { SessionDto, SessionKind } from '../../../shared/domain';
import {
  RETENTION_YEARS,
  type RetentionChoice,
  type SealBlocker,
  type SealCheckDto,
  type SealInput,
  type VerifyReportDto,
} from '../../../shared/api/sealing';
import { AppError } from '../../../shared/errors';
import { allowedRetentionChoices } from '../../../shared/rules/retention';
import { isoInZone } from '../../../shared/time';

/** What the record proves (证明对象, R5.1), by the kind of session, unless the officer says more. */
export const PURPOSE: Record<SessionKind, string> = {
  interview: '询问过程的音像记录与询问笔录，证明询问的经过及当事人的陈述',
  hearing: '听证过程的音像记录与听证笔录，证明听证的经过及各方的陈述、申辩和质证',
  summons: '约谈过程的音像记录与笔录，证明约谈的经过及当事人的陈述',
  inspection: '现场检查过程的音像记录与笔录，证明检查的经过及现场情况',
};

const RETENTION_REASON: Record<Exclude<RetentionChoice, 'long-term'>, string> = {
  'av-1y': '音像资料保存期限不少于1年',
  'case-3y': '随案卷保存3年',
};

// ---------------------------------------------------------------------------------------
// Readiness

/** The facts a seal is judged by, gathered from the session, its signing and its media. */
export interface SealFacts {
  session: Pick<SessionDto, 'status' | 'endedAt'>;
  /** The session's bundle, once sealed. */
  bundleId: number | undefined;
  /** A seal of this session is being made now. */
  busy: boolean;
  signingState: 'open' | 'refused' | 'finished' | null;
  /** A hearing's report (signed by its moderator or not); null for other sessions. */
  hearingReport?: 'signed' | 'unsigned' | null;
  segments: readonly { state: string; bytes: number; path: string }[];
  /** Whether a segment's file (path relative to the data directory) is on disk. */
  fileExists(path: string): boolean;
}

/** Every reason the session cannot be sealed now; none when it can. */
export function sealBlockers(f: SealFacts): SealCheckDto['blockers'] {
  const blockers: SealCheckDto['blockers'] = [];
  const block = (code: SealBlocker, detail: string) => blockers.push({ code, detail });
  if (f.bundleId !== undefined || f.session.status === 'sealed')
    block('sealed', 'the session is already sealed');
  else if (f.session.status !== 'ended' || f.session.endedAt === null)
    block(
      'not-ended',
      `the session is ${f.session.status}; it is sealed after the recording ended`,
    );
  if (f.bundleId !== undefined) return blockers;
  if (f.busy) block('busy', 'the session is being sealed now');
  if (f.signingState === 'refused')
    block(
      'refusal-unfinished',
      'the refusal is recorded; two officers sign and finish the record first (R2.2)',
    );
  else if (f.signingState !== 'finished')
    block('unsigned', 'the transcript has not been signed and finished yet');
  if (f.hearingReport === 'unsigned')
    block('hearing-report', 'the moderator has not signed the hearing report (听证报告) yet');
  if (f.segments.some((s) => s.state === 'open'))
    block('media-open', 'a media segment is still being written');
  const written = f.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  if (written.length === 0) block('no-media', 'no audio or video was recorded in this session');
  const missing = written.filter((s) => !f.fileExists(s.path));
  if (missing.length > 0)
    block('media-missing', `media files are missing: ${missing.map((s) => s.path).join(', ')}`);
  return blockers;
}

/** The refusal of a seal with blockers: a conflict when waiting helps, else a rule violation. */
export function sealRefusal(blockers: SealCheckDto['blockers']): AppError | null {
  const first = blockers[0];
  if (!first) return null;
  const conflict: readonly SealBlocker[] = ['sealed', 'busy', 'media-open', 'not-ended'];
  const code = conflict.includes(first.code) ? 'CONFLICT' : 'RULE_VIOLATION';
  return new AppError(code, blockers.map((b) => b.detail).join('; '));
}

// ---------------------------------------------------------------------------------------
// Retention (R4.4)

export interface Retention {
  choice: RetentionChoice;
  class: 'standard' | 'long-term';
  reason: string | null;
  retainUntil: number | null;
}

/**
 * The retention a seal offers by default: long-term once the case has a bundle kept
 * long-term (a dispute, a complaint, obstruction: its later sessions are too, for the same
 * reason, given as `longTermReason`), else at least as long as the case file (R4.4): three
 * years.
 */
export function defaultRetention(
  longTermReason: string | undefined,
): SealCheckDto['defaultRetention'] {
  if (longTermReason !== undefined) return { choice: 'long-term', reason: longTermReason };
  return { choice: 'case-3y', reason: null };
}

/** The same instant a calendar number of years later (29 February → 1 March). */
function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/**
 * The retention of a seal: the officer's choice, else the default; long-term needs its reason.
 * Audio/video is kept at least as long as its case file (R4.4): three years, or long-term once
 * the case is (the default then says so), so a shorter choice is refused.
 */
export function retentionOf(
  input: Pick<SealInput, 'retention'>,
  defaults: SealCheckDto['defaultRetention'],
  endedAt: number,
): Retention {
  const choice = input.retention?.choice ?? defaults.choice;
  if (!allowedRetentionChoices(defaults.choice).includes(choice))
    throw new AppError(
      'RULE_VIOLATION',
      `音像记录的保存期限不得短于案卷：本案案卷${defaults.choice === 'long-term' ? '长期保存' : '保存3年'} (R4.4)`,
    );
  if (choice === 'long-term') {
    const reason = input.retention?.reason ?? defaults.reason;
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

// ---------------------------------------------------------------------------------------
// Names

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

/** Where a bag goes: `archive/<case dir>/<session id>-<local time of the seal>`. */
export interface BagNames {
  /** The case's folder under the archive. */
  caseDir: string;
  bagName: string;
  /** The bag's id on every storage target. */
  bagId: string;
  /** Relative to the data directory, '/'-separated. */
  relPath: string;
}

export function bagNamesOf(
  caseNo: string,
  sessionId: number,
  at: number,
  timeZone: string,
): BagNames {
  const caseDir = safeDirName(caseNo);
  const stamp = isoInZone(at, timeZone).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const bagName = `${sessionId}-${stamp}`;
  return {
    caseDir,
    bagName,
    bagId: `${caseDir}_${bagName}`,
    relPath: ['archive', caseDir, bagName].join('/'),
  };
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

/** Errors and warnings of a verification report. */
export function problemCounts(report: VerifyReportDto): { errors: number; warnings: number } {
  return {
    errors: report.problems.filter((p) => p.severity === 'error').length,
    warnings: report.problems.filter((p) => p.severity === 'warning').length,
  };
}

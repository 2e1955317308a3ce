/**
 * The verifier's report as data: the problems it can find (each with a stable code), the
 * check each belongs to, and how a check's status follows from its problems. The UI and
 * `--json` read it as it is; verify-format.ts renders it for people.
 */
import type { AgencyRegister } from '../../platform/pki/register';
import {
  VERIFY_CHECK_IDS,
  type VerifyCheckId,
  type VerifyCheckStatus,
} from '../../../shared/api/sealing';
import type { CertificateSummary } from '../../platform/pki/cms-verify';

export type Severity = 'error' | 'warning' | 'notice';

/** Stable problem codes; {@link formatReport} has a sentence for each in both languages. */
export type ProblemCode =
  | 'bag-not-found'
  | 'bagit-missing'
  | 'bagit-invalid'
  | 'manifest-missing'
  | 'manifest-syntax'
  | 'file-missing'
  | 'hash-mismatch'
  | 'manifests-disagree'
  | 'unlisted-file'
  | 'not-regular-file'
  | 'oxum-missing'
  | 'oxum-mismatch'
  | 'bag-info-missing'
  | 'bag-info-syntax'
  | 'bag-info-field-missing'
  | 'tag-manifest-missing'
  | 'tag-manifest-incomplete'
  | 'tag-file-missing'
  | 'tag-hash-mismatch'
  | 'unlisted-tag-file'
  | 'signature-missing'
  | 'signature-invalid'
  | 'signer-untrusted'
  | 'signer-unverified'
  | 'register-mismatch'
  | 'timestamp-invalid'
  | 'timestamp-absent'
  | 'timestamp-before-recording'
  | 'event-log-missing'
  | 'event-log-broken'
  | 'event-log-head-mismatch'
  | 'media-undecodable'
  | 'media-decode-warnings'
  | 'media-timestamps-out-of-order'
  | 'media-check-skipped'
  | 'pdf-signature-invalid'
  | 'pdf-unsigned'
  | 'pdf-check-skipped'
  | 'copy-source-missing'
  | 'copy-source-mismatch'
  | 'copy-source-signature-invalid'
  | 'copy-source-untrusted'
  | 'copy-file-differs';

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  /** The file concerned, relative to the bag root; null for the bag as a whole. */
  file: string | null;
  /** Technical detail (expected and found values, a tool's message), untranslated. */
  detail: string;
}

/** The checks, as the contract names them (electron/shared/api/sealing.ts). */
export type CheckId = VerifyCheckId;
export type CheckStatus = VerifyCheckStatus;

/** The order the checks run and are reported in. */
export const CHECK_ORDER: readonly CheckId[] = VERIFY_CHECK_IDS;

/** Which check each problem belongs to (a check fails when any of its errors occur). */
const CHECK_OF: Readonly<Record<ProblemCode, CheckId>> = {
  'bag-not-found': 'bagit',
  'bagit-missing': 'bagit',
  'bagit-invalid': 'bagit',
  'manifest-missing': 'payload',
  'manifest-syntax': 'payload',
  'file-missing': 'payload',
  'hash-mismatch': 'payload',
  'manifests-disagree': 'payload',
  'unlisted-file': 'payload',
  'not-regular-file': 'payload',
  'oxum-missing': 'payload-oxum',
  'oxum-mismatch': 'payload-oxum',
  'bag-info-missing': 'bag-info',
  'bag-info-syntax': 'bag-info',
  'bag-info-field-missing': 'bag-info',
  'tag-manifest-missing': 'tag-manifest',
  'tag-manifest-incomplete': 'tag-manifest',
  'tag-file-missing': 'tag-manifest',
  'tag-hash-mismatch': 'tag-manifest',
  'unlisted-tag-file': 'tag-manifest',
  'signature-missing': 'signature',
  'signature-invalid': 'signature',
  'signer-untrusted': 'signature',
  'signer-unverified': 'signature',
  'register-mismatch': 'signature',
  'timestamp-invalid': 'timestamp',
  'timestamp-absent': 'timestamp',
  'timestamp-before-recording': 'timestamp',
  'event-log-missing': 'event-log',
  'event-log-broken': 'event-log',
  'event-log-head-mismatch': 'event-log',
  'media-undecodable': 'media',
  'media-decode-warnings': 'media',
  'media-timestamps-out-of-order': 'media',
  'media-check-skipped': 'media',
  'pdf-signature-invalid': 'pdf',
  'pdf-unsigned': 'pdf',
  'pdf-check-skipped': 'pdf',
  // A party copy's proof of its source belongs with the bag's own signature; its files
  // with the payload.
  'copy-source-missing': 'signature',
  'copy-source-mismatch': 'signature',
  'copy-source-signature-invalid': 'signature',
  'copy-source-untrusted': 'signature',
  'copy-file-differs': 'payload',
};

/** Findings that mean a check did not run (rather than passed or failed). */
const SKIPPED: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'media-check-skipped',
  'pdf-check-skipped',
  'timestamp-absent',
]);

/**
 * What the verifier concludes: every check holds and the signer is one the reader trusts;
 * something is wrong; or everything holds but nothing said who may sign (anyone can make a
 * key with any name, so a valid signature alone proves nothing about who sealed).
 */
export type VerifyVerdict = 'passed' | 'failed' | 'signer-unverified';

/** How the signer came to be trusted. */
export type SignerTrust = 'trust-anchor' | 'register' | 'fingerprint' | 'tag-manifest';

export interface VerifyReport {
  path: string;
  /** True only when the verdict is `passed`. */
  ok: boolean;
  verdict: VerifyVerdict;
  checks: Record<CheckId, CheckStatus>;
  problems: Problem[];
  payload: { files: number; bytes: number };
  bagInfo: Record<string, string[]>;
  signature: {
    valid: boolean;
    signer: CertificateSummary | null;
    signingTime: string | null;
    chainValid: boolean | null;
    /** What vouched for the signer; null when nothing given did. */
    trustedBy: SignerTrust | null;
  } | null;
  timestamp: { valid: boolean; genTime: string | null; tsa: CertificateSummary | null } | null;
  /** The agency certificate register the signer was checked against, when one was given. */
  register: { sha256: string | null; cas: number; workstations: number; withdrawn: number } | null;
  eventLog: { file: string; entries: number; checkpoints: number; head: string } | null;
  media: { file: string; durationSeconds: number | null }[];
  pdfs: { file: string; signatures: number; valid: boolean }[];
  /** For a party copy: its source, and how many of its files match the source's manifest. */
  copy: {
    sourceBag: string;
    sourceTagManifestSha512: string;
    files: number;
    identical: number;
    leftOut: string[];
    sourceSigner: CertificateSummary | null;
  } | null;
}

export interface VerifyOptions {
  /** DER certificates the seal's signer may chain to (e.g. the agency CA). */
  trustAnchors?: readonly Buffer[];
  /** SHA-256 fingerprints (hex, colons allowed) of signer certificates to accept. */
  expectFingerprints?: readonly string[];
  /**
   * SHA-512 (hex) of the tag manifest as it was sealed (the disc label's QR, the case file):
   * a bag whose tag manifest has exactly this hash is the one sealed, whoever signed it.
   */
  expectTagManifests?: readonly string[];
  /**
   * The agency certificate register (its file's SHA-256 when read from one): a signer that
   * chains to one of its CAs, or is one of its workstations, is the agency's.
   */
  register?: AgencyRegister & { sha256?: string };
  /** SHA-256 (hex) the register file must have (the disc label prints it). */
  expectRegisterSha256?: string;
  /** DER certificates the TSA must chain to. */
  tsaTrustAnchors?: readonly Buffer[];
  /** ffprobe executable; null skips the media check. Default `ffprobe` on PATH. */
  ffprobe?: string | null;
  /** ffmpeg executable for a full decode of every media file (slow: real time / ~50). */
  deepMediaCheck?: { ffmpeg?: string } | false;
  /** pdfsig executable; null skips the PDF check. Default `pdfsig` on PATH. */
  pdfsig?: string | null;
  /** Progress of the hashing pass (the slow part). */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** A report with every check passing and nothing found yet. */
export function emptyReport(path: string): VerifyReport {
  return {
    path,
    ok: false,
    verdict: 'failed',
    checks: Object.fromEntries(CHECK_ORDER.map((c) => [c, 'pass'])) as Record<CheckId, CheckStatus>,
    problems: [],
    payload: { files: 0, bytes: 0 },
    bagInfo: {},
    signature: null,
    timestamp: null,
    register: null,
    eventLog: null,
    media: [],
    pdfs: [],
    copy: null,
  };
}

/**
 * Settles each check from its problems (an error fails it; a finding that it did not run
 * skips it; a warning warns) and the verdict: failed on any error, otherwise passed only
 * when the signer is trusted.
 */
export function settleReport(report: VerifyReport): VerifyReport {
  for (const c of CHECK_ORDER) {
    const mine = report.problems.filter((p) => CHECK_OF[p.code] === c);
    if (mine.some((p) => p.severity === 'error')) report.checks[c] = 'fail';
    else if (mine.some((p) => SKIPPED.has(p.code))) report.checks[c] = 'skipped';
    else if (mine.some((p) => p.severity === 'warning')) report.checks[c] = 'warn';
  }
  report.verdict = report.problems.some((p) => p.severity === 'error')
    ? 'failed'
    : report.problems.some((p) => p.code === 'signer-unverified')
      ? 'signer-unverified'
      : 'passed';
  report.ok = report.verdict === 'passed';
  return report;
}

/** What each check works with: the bag, the report it adds its findings to, the options. */
export interface VerifyContext {
  path: string;
  report: VerifyReport;
  opts: VerifyOptions;
  add(severity: Severity, code: ProblemCode, file: string | null, detail?: string): void;
  /** A file of the bag as text, or null when it cannot be read. */
  readText(rel: string): Promise<string | null>;
}

/**
 * Sealing and verification of case bundles (issue 4, ARCHITECTURE §5): BagIt bags with
 * SHA-512/SHA-256 manifests, the facts the rules require in bag-info, a hash-chained event
 * log, a detached CMS signature over the tag manifest and an optional RFC 3161 time-stamp.
 */
export { sealBag, cleanIncompleteSeals, SealError } from './bagit';
export type {
  SealOptions,
  SealResult,
  SealedFile,
  SourceFile,
  EventLogSource,
  SealProgress,
} from './bagit';
export {
  SIGNATURE_FILE,
  TIMESTAMP_FILE,
  TAG_MANIFEST,
  SEAL_README,
  DEFAULT_EVENT_LOG_NAME,
} from './bagit';
export { buildBagInfo, missingRequiredLabels, LABELS, REQUIRED_LABELS, isoInZone } from './baginfo';
export type { SessionRecordInfo, RetentionClass, OfficerInfo } from './baginfo';
export type { BagInfo } from './bagformat';
export type { Signer } from './signer';
export { verifyDetachedCms, summariseCertificate } from './cms';
export type { CmsVerification, CertificateSummary } from './cms';
export { requestTimestamp, verifyTimestampResponse, buildTimestampRequest } from './tsa';
export type { TsaOptions } from './tsa';
export { EventLogWriter, verifyEventLogText, verifyEventLogFile, writeEventLog } from './eventlog';
export type { EventInput, EventRecord, EventLogOptions, Checkpoint, FsyncPolicy } from './eventlog';
export { verifyBag, formatReport } from './verify';
export type {
  VerifyReport,
  VerifyOptions,
  Problem,
  ProblemCode,
  CheckId,
  CheckStatus,
} from './verify';
export { verifyCommand, VERIFY_USAGE, VERIFY_SUMMARY } from './cli';

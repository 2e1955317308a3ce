/**
 * Sealing and verification of case bundles (ARCHITECTURE §5): BagIt bags with SHA-512/SHA-256
 * manifests, the facts the rules require in bag-info, a hash-chained event log, a detached
 * CMS signature over the tag manifest and an optional RFC 3161 time-stamp. Other features
 * read sealed bundles through the queries of store.ts exported here.
 */
export { sealBag, cleanIncompleteSeals, SealError } from '../../platform/bagit/bagit';
export type {
  SealOptions,
  SealResult,
  SealedFile,
  SourceFile,
  EventLogSource,
  SealProgress,
} from '../../platform/bagit/bagit';
export {
  SIGNATURE_FILE,
  TIMESTAMP_FILE,
  TAG_MANIFEST,
  SEAL_README,
  DEFAULT_EVENT_LOG_NAME,
} from '../../platform/bagit/bagit';
export {
  buildBagInfo,
  missingRequiredLabels,
  LABELS,
  REQUIRED_LABELS,
} from '../../platform/bagit/baginfo';
export type { SessionRecordInfo, RetentionClass, OfficerInfo } from '../../platform/bagit/baginfo';
export type { BagInfo } from '../../platform/bagit/bagformat';
export type { Signer } from '../../platform/pki/cms-sign';
export { verifyDetachedCms, summariseCertificate } from '../../platform/pki/cms-verify';
export type { CmsVerification, CertificateSummary } from '../../platform/pki/cms-verify';
export {
  requestTimestamp,
  verifyTimestampResponse,
  buildTimestampRequest,
} from '../../platform/pki/tsa';
export type { TsaOptions } from '../../platform/pki/tsa';
export {
  EventLogWriter,
  verifyEventLogText,
  verifyEventLogFile,
  writeEventLog,
} from '../../platform/bagit/eventlog';
export type {
  EventInput,
  EventRecord,
  EventLogOptions,
  Checkpoint,
  FsyncPolicy,
} from '../../platform/bagit/eventlog';
export { verifyBag } from './bundle-verify';
export { formatReport } from './verify-format';
export type {
  VerifyReport,
  VerifyOptions,
  Problem,
  ProblemCode,
  CheckId,
  CheckStatus,
} from './verify-report';
export type { SealService, SealServiceOptions } from './service';
export {
  sealedBundleByBagId,
  sealedBundleRef,
  sealedBundleRefs,
  type SealedBundleRef,
  bundleRetentions,
} from './store';
export { verifyCommand, VERIFY_USAGE, VERIFY_SUMMARY } from '../../../cli/verify';
export { makeCopyBag, COPY_EVENT_LOG, COPY_SOURCE_DIR, type CopyBagInput } from './copy-bag';
export { safeDirName } from './rules';
export * from './stats';

/**
 * Replication of sealed bags to network storage (issue 4, R4.1, ARCHITECTURE §6): the
 * persistent queue, the storage-target port and its adapters (folder, SFTP, WebDAV, S3).
 */
export {
  ReplicationQueue,
  backoffDelay,
  deadlineStatus,
  bagDeadlineStatus,
  DEFAULT_WARN_WITHIN_MS,
} from './queue';
export type {
  ReplicationJob,
  JobState,
  FailureKind,
  QueueOptions,
  EnqueueInput,
  BackoffPolicy,
  DeadlineStatus,
  JobProgress,
} from './queue';
export { TargetStore, createTarget, configSchemas, secretSchemas } from './targets';
export type { TargetRow, TargetConfig } from './targets';
export { DbSecretStore, redact } from './secrets';
export type { SecretStore, SecretProtector, SecretProtection } from './secrets';
export { expectedManifestOf, LocalBagError } from './manifest';
export { FolderTarget } from './folder';
export type { FolderTargetConfig } from './folder';
export { SftpTarget, sshFingerprint } from './sftp';
export type { SftpTargetConfig, SftpTargetSecret } from './sftp';
export { WebDavTarget } from './webdav';
export type { WebDavTargetConfig, WebDavTargetSecret } from './webdav';
export { S3Target } from './s3';
export type { S3TargetConfig, S3TargetSecret } from './s3';
export { TargetError, compareWithManifest } from './types';
export type {
  StorageTarget,
  TargetKind,
  ExpectedManifest,
  PutOptions,
  PutResult,
  RemoteVerification,
  RemoteProblem,
  TransferProgress,
} from './types';
export { STORAGE_DEADLINE_MS } from '../db/migrations/004_replication';

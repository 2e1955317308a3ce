/**
 * Replication of sealed bags to network storage (R4.1, ARCHITECTURE §6): the persistent
 * queue, the storage-target port and its adapters (folder, SFTP, WebDAV, S3), and the
 * service that runs them in the core.
 */
export type { StorageService, StorageOptions, BundleForReplication } from './service';
export { ReplicationQueue, backoffDelay } from './queue';
export type { QueueOptions, EnqueueInput, BackoffPolicy, JobProgress } from './queue';
export type { ReplicationJob, JobState, FailureKind } from './store';
export { TargetStore, createTarget, configSchemas, secretSchemas } from './targets/index';
export type { TargetRow, TargetConfig } from './targets/index';
export { DbSecretStore, redact } from './secret-store';
export type { SecretStore, SecretProtector, SecretProtection } from './secret-store';
export { expectedManifestOf, LocalBagError } from './manifest';
export { FolderTarget } from './targets/folder';
export type { FolderTargetConfig } from './targets/folder';
export { SftpTarget, sshFingerprint } from './targets/sftp';
export type { SftpTargetConfig, SftpTargetSecret } from './targets/sftp';
export { WebDavTarget } from './targets/webdav';
export type { WebDavTargetConfig, WebDavTargetSecret } from './targets/webdav';
export { S3Target } from './targets/s3';
export type { S3TargetConfig, S3TargetSecret } from './targets/s3';
export { TargetError, compareWithManifest } from './targets/port';
export type {
  StorageTarget,
  TargetKind,
  ExpectedManifest,
  PutOptions,
  PutResult,
  RemoteVerification,
  RemoteProblem,
  TransferProgress,
} from './targets/port';
export { replicasOfBag, type BagReplicaRow } from './store';
export * from './stats';

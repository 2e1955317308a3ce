/**
 * S3-compatible object storage (MinIO, Ceph RGW, cloud). How an agency with many rooms
 * grows (ARCHITECTURE §6).
 *
 * A bag is stored as one serialized bag, `<prefix><bagName>.tar` (RFC 8493 §4, see tar.ts),
 * sent as a multipart upload: S3 shows an object only once CompleteMultipartUpload
 * succeeds, so an interrupted upload is never visible under the final key (the parts of an
 * abandoned upload are invisible and are removed by AbortMultipartUpload here, or by the
 * bucket's lifecycle rule for incomplete uploads if the abort could not be sent).
 *
 * Write-once retention (R4.3, R4.4): when the bucket reports Object Lock enabled, the
 * object is created with `ObjectLockMode: COMPLIANCE` and a RetainUntilDate, so nobody,
 * the root account included, can delete or overwrite that version before then. With
 * `objectLock: 'required'` a bucket without Object Lock is refused.
 *
 * Each part carries its SHA-256 (x-amz-checksum-sha256) so a server that supports
 * additional checksums rejects a part damaged in transit; the copy is then read back
 * whole and every file inside compared with the bag's manifest.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { walkFiles } from '../../../platform/fs';
import { readTar, tarSize, tarStream } from '../../../platform/tar';
import {
  assertProbe,
  TargetError,
  compareWithManifest,
  type ExpectedManifest,
  type PutOptions,
  type PutResult,
  type RemoteVerification,
  type StorageTarget,
  type TransferProgress,
} from './port';

export interface S3TargetConfig {
  /** e.g. `https://minio.agency.local:9000`; absent for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Key prefix, e.g. `attest/room-2/`. */
  prefix?: string;
  /** Path-style URLs (MinIO, Ceph and most on-premises stores need this). */
  forcePathStyle?: boolean;
  /** `auto`: use Object Lock when the bucket has it; `required`: refuse a bucket without it; `off`: never set it. */
  objectLock?: 'auto' | 'required' | 'off';
  /** Retention when a job gives none: default 3 years (case files, R4.4). */
  defaultRetentionDays?: number;
  /** Multipart part size in MiB (default 16; raised automatically to stay under 10,000 parts). */
  partSizeMiB?: number;
}

export interface S3TargetSecret {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const MiB = 1024 * 1024;

function errorName(e: unknown): string {
  return (e as { name?: string }).name ?? '';
}

export class S3Target implements StorageTarget {
  readonly kind = 's3' as const;
  /** The SDK client (exposed so tests can observe requests through its middleware stack). */
  readonly client: S3Client;

  constructor(
    private readonly config: S3TargetConfig,
    secret: S3TargetSecret,
  ) {
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint),
      credentials: {
        accessKeyId: secret.accessKeyId,
        secretAccessKey: secret.secretAccessKey,
        ...(secret.sessionToken ? { sessionToken: secret.sessionToken } : {}),
      },
      // We send our own SHA-256 per part; the SDK's default CRC trailers (aws-chunked
      // encoding) are not understood by several S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 1, // the replication queue owns retries and their backoff
    });
  }

  describe(): string {
    return `s3 ${this.config.endpoint ?? 'aws'} bucket ${this.config.bucket}/${this.config.prefix ?? ''}`;
  }

  private key(remoteName: string): string {
    return `${this.config.prefix ?? ''}${remoteName}.tar`;
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return true;
    } catch (e) {
      if (errorName(e) === 'NotFound' || errorName(e) === 'NoSuchKey') return false;
      throw e;
    }
  }

  /** Whether the bucket has Object Lock enabled; `null` when the server cannot say. */
  async objectLockEnabled(): Promise<boolean | null> {
    try {
      const r = await this.client.send(
        new GetObjectLockConfigurationCommand({ Bucket: this.config.bucket }),
      );
      return r.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
    } catch (e) {
      if (errorName(e) === 'ObjectLockConfigurationNotFoundError') return false;
      return null;
    }
  }

  async put(
    localPath: string,
    remoteName: string,
    onProgress?: (p: TransferProgress) => void,
    opts: PutOptions = {},
  ): Promise<PutResult> {
    const Bucket = this.config.bucket;
    const Key = this.key(remoteName);
    const notes: string[] = [];
    if ((await this.exists(Key)) && !opts.replaceExisting)
      return { alreadyPresent: true, bytesSent: 0, notes };
    const mode = this.config.objectLock ?? 'auto';
    let lock: { until: Date } | null = null;
    if (mode !== 'off') {
      const enabled = await this.objectLockEnabled();
      if (enabled) {
        const days = this.config.defaultRetentionDays ?? 3 * 365;
        lock = { until: opts.retainUntil ?? new Date(Date.now() + days * 86_400_000) };
        notes.push(`Object Lock COMPLIANCE retention until ${lock.until.toISOString()}`);
      } else if (mode === 'required') {
        throw new TargetError(
          `bucket ${Bucket} has no Object Lock, and this target requires it`,
          'config',
        );
      } else {
        notes.push(
          enabled === null
            ? 'the server does not report Object Lock; no retention was set'
            : 'the bucket has no Object Lock; no retention was set',
        );
      }
    }

    const files = await walkFiles(localPath);
    const total = tarSize(remoteName, files);
    const partSize = Math.max(
      (this.config.partSizeMiB ?? 16) * MiB,
      Math.ceil(total / 9000 / MiB) * MiB,
    );
    const created = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key,
        ContentType: 'application/x-tar',
        ChecksumAlgorithm: 'SHA256',
        Metadata: { 'bagit-bag': remoteName },
        ...(lock ? { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: lock.until } : {}),
      }),
    );
    const UploadId = created.UploadId;
    if (!UploadId) throw new TargetError('the server returned no upload id');
    const parts: CompletedPart[] = [];
    let sent = 0;
    let file = '';
    try {
      const send = async (body: Buffer) => {
        opts.signal?.throwIfAborted();
        const PartNumber = parts.length + 1;
        const ChecksumSHA256 = createHash('sha256').update(body).digest('base64');
        const r = await this.client.send(
          new UploadPartCommand({
            Bucket,
            Key,
            UploadId,
            PartNumber,
            Body: body,
            ContentLength: body.length,
            ChecksumSHA256,
          }),
          opts.signal ? { abortSignal: opts.signal } : {},
        );
        parts.push({ PartNumber, ETag: r.ETag, ChecksumSHA256 });
        sent += body.length;
        onProgress?.({ bytesDone: sent, bytesTotal: total, file });
      };
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of tarStream(
        remoteName,
        files,
        Math.floor(Date.now() / 1000),
        (rel) => (file = rel),
      )) {
        pending.push(chunk as Buffer);
        pendingBytes += (chunk as Buffer).length;
        while (pendingBytes >= partSize) {
          const all = Buffer.concat(pending);
          await send(all.subarray(0, partSize));
          pending = [all.subarray(partSize)];
          pendingBytes = all.length - partSize;
        }
      }
      if (pendingBytes > 0 || parts.length === 0) await send(Buffer.concat(pending));
      const done = await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      if (lock) await this.ensureRetention(Key, done.VersionId, lock.until, notes);
    } catch (e) {
      // Best effort: the server may be the thing that failed. Unfinished parts are never
      // visible under the key either way.
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))
        .catch(() => notes.push('could not abort the unfinished upload'));
      throw e;
    }
    return { alreadyPresent: false, bytesSent: sent, notes };
  }

  /**
   * Some servers (Ceph's RADOS Gateway 16, measured) take an upload's Object Lock headers
   * and store the object without retention: the version just written gets its retention set
   * on its own, so it is write-once whatever the server did with the headers.
   */
  private async ensureRetention(
    Key: string,
    VersionId: string | undefined,
    until: Date,
    notes: string[],
  ): Promise<void> {
    const Bucket = this.config.bucket;
    const version = VersionId ? { VersionId } : {};
    const head = await this.client.send(new HeadObjectCommand({ Bucket, Key, ...version }));
    if (head.ObjectLockMode === 'COMPLIANCE' && head.ObjectLockRetainUntilDate) return;
    await this.client.send(
      new PutObjectRetentionCommand({
        Bucket,
        Key,
        ...version,
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until },
      }),
    );
    notes.push('the server did not apply the upload’s retention; it was set on the stored version');
  }

  async verify(
    remoteName: string,
    expected: ExpectedManifest,
    onProgress?: (n: number) => void,
  ): Promise<RemoteVerification> {
    const Bucket = this.config.bucket;
    const Key = this.key(remoteName);
    const notes: string[] = [];
    const found = new Map<string, { size: number; sha256: string }>();
    const problems: RemoteVerification['problems'] = [];
    let bytesRead = 0;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket, Key }));
      if (head.ObjectLockMode) {
        notes.push(
          `retention ${head.ObjectLockMode} until ${head.ObjectLockRetainUntilDate?.toISOString()}`,
        );
      } else if ((this.config.objectLock ?? 'auto') !== 'off' && (await this.objectLockEnabled())) {
        problems.push({
          path: Key,
          reason: 'the bucket has Object Lock but the object has no retention',
        });
      }
      const obj = await this.client.send(new GetObjectCommand({ Bucket, Key }));
      const body = obj.Body as Readable | undefined;
      if (!body) throw new Error('empty response');
      let hash = createHash('sha256');
      const counted = (async function* () {
        for await (const chunk of body) {
          bytesRead += (chunk as Buffer).length;
          onProgress?.(bytesRead);
          yield chunk as Uint8Array;
        }
      })();
      await readTar(counted, {
        onStart: () => {
          hash = createHash('sha256');
        },
        onData: (c) => hash.update(c),
        onEnd: (m) => {
          const prefix = `${remoteName}/`;
          const rel = m.path.startsWith(prefix) ? m.path.slice(prefix.length) : `../${m.path}`;
          found.set(rel, { size: m.size, sha256: hash.digest('hex') });
        },
      });
    } catch (e) {
      if (errorName(e) === 'NotFound' || errorName(e) === 'NoSuchKey') {
        problems.push({ path: Key, reason: 'no such object' });
      } else {
        throw new TargetError(`reading ${Key} back failed: ${(e as Error).message}`, 'transfer');
      }
    }
    if (problems.length === 0 || found.size > 0)
      problems.push(...compareWithManifest(expected, found));
    return { ok: problems.length === 0, method: 'read-back', bytesRead, problems, notes };
  }

  /**
   * Deletes the probe's object. Where Object Lock keeps versions, the delete only hides the
   * probe (a delete marker): the locked version stays until its retention ends, as it must.
   */
  async removeProbe(
    remoteName: string,
  ): Promise<{ removed: true } | { removed: false; why: string }> {
    assertProbe(remoteName);
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.key(remoteName) }),
      );
      // Under Object Lock the delete only hides the probe: its locked version stays.
      if (await this.objectLockEnabled())
        return {
          removed: false,
          why: 'the bucket keeps it under Object Lock (only a delete marker was added)',
        };
      return { removed: true };
    } catch (e) {
      return { removed: false, why: (e as Error).message };
    }
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.config.bucket,
          Prefix: this.config.prefix ?? '',
          ContinuationToken,
        }),
      );
      for (const o of r.Contents ?? []) {
        const k = o.Key?.slice((this.config.prefix ?? '').length);
        if (k?.endsWith('.tar') && !k.includes('/')) names.push(k.slice(0, -4));
      }
      ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return names.sort();
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

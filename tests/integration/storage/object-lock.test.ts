/**
 * Write-once storage proven against a real S3 that enforces Object Lock: Ceph's RADOS
 * Gateway on loopback (tests/helpers/servers/cephRgw.ts). A sealed bundle replicated by
 * the queue into a bucket with Object Lock is stored with COMPLIANCE retention; then, holding
 * the same keys the workstation holds, nobody can delete that version, shorten its
 * retention or turn it into GOVERNANCE (each 403), an overwrite only adds a version, and the
 * replica still reads back and verifies. A bucket without Object Lock is refused when
 * retention is required, and said to be not write-once when it is not.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SealResult } from '../../../electron/core/features/sealing';
import { createTarget, expectedManifestOf } from '../../../electron/core/features/storage';
import { startRgw, type TestRgw } from '../../helpers/servers/cephRgw';
import { removeTempDirs } from '../platform/bagit/fixtures';
import { queueHarness, sealedBag } from './harness';

const DAY = 24 * 60 * 60 * 1000;

let rgw: TestRgw;
let s3: S3Client;
let bag: SealResult;

beforeAll(async () => {
  rgw = await startRgw();
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: rgw.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'evidence', ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
  bag = await sealedBag('bag-rgw');
}, 180_000);

afterAll(async () => {
  s3?.destroy();
  await rgw?.stop();
  await removeTempDirs();
});

const secret = () => ({ accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
const config = (bucket: string, extra: Record<string, unknown> = {}) => ({
  endpoint: rgw.endpoint,
  region: 'us-east-1',
  bucket,
  prefix: 'room-2/',
  ...extra,
});

/** The S3 error name a refused request carries, with its HTTP status. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    return `${err.$metadata?.httpStatusCode ?? '?'} ${err.name ?? String(e)}`;
  }
}

/** The sealed bag replicated by the queue to an S3 target of `cfg`: the job as it ended. */
async function replicate(cfg: Record<string, unknown>, retainUntil?: number) {
  const h = await queueHarness({ kind: 's3', config: cfg, secret: secret() });
  try {
    const job = h.queue.enqueue({
      bagId: bag.bagName,
      bagPath: bag.path,
      targetId: h.targetId,
      recordedEndAt: Date.now(),
      ...(retainUntil !== undefined ? { retainUntil } : {}),
    });
    return await h.queue.runJob(job.id);
  } finally {
    h.db.close();
  }
}

describe('replication to a bucket with Object Lock (Ceph RADOS Gateway)', () => {
  it('stores the bundle with COMPLIANCE retention that nobody holding the keys can undo', async () => {
    const retainUntil = Date.now() + DAY;
    const stored = await replicate(config('evidence', { objectLock: 'required' }), retainUntil);
    expect(stored.state, stored.lastError ?? '').toBe('stored');
    expect(stored.notes.join(' ')).toMatch(/Object Lock COMPLIANCE retention until/);
    // Ceph 16 takes the upload's lock headers and stores no retention: Attest sets it on the
    // stored version itself, and says so.
    expect(stored.notes.join(' ')).toMatch(/retention; it was set on the stored version/);

    const Key = `room-2/${bag.bagName}.tar`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'evidence', Key }));
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate!.getTime()).toBeGreaterThanOrEqual(retainUntil - 1000);
    const versions = await s3.send(
      new ListObjectVersionsCommand({ Bucket: 'evidence', Prefix: Key }),
    );
    expect(versions.Versions).toHaveLength(1);
    const VersionId = versions.Versions![0]!.VersionId!;

    // Deleting the version, with or without the governance bypass: refused.
    expect(
      await refusal(s3.send(new DeleteObjectCommand({ Bucket: 'evidence', Key, VersionId }))),
    ).toBe('403 AccessDenied');
    expect(
      await refusal(
        s3.send(
          new DeleteObjectCommand({
            Bucket: 'evidence',
            Key,
            VersionId,
            BypassGovernanceRetention: true,
          }),
        ),
      ),
    ).toBe('403 AccessDenied');
    // Shortening the retention, or turning it into GOVERNANCE: refused.
    for (const Retention of [
      { Mode: 'COMPLIANCE' as const, RetainUntilDate: new Date(Date.now() + 60_000) },
      { Mode: 'GOVERNANCE' as const, RetainUntilDate: new Date(retainUntil + DAY) },
    ])
      expect(
        await refusal(
          s3.send(new PutObjectRetentionCommand({ Bucket: 'evidence', Key, VersionId, Retention })),
        ),
      ).toBe('403 AccessDenied');
    // Overwriting in place only adds a version; the sealed one is still there, unchanged.
    await s3.send(new PutObjectCommand({ Bucket: 'evidence', Key, Body: 'not the bundle' }));
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: 'evidence', Prefix: Key }));
    expect(after.Versions).toHaveLength(2);
    const original = await s3.send(new GetObjectCommand({ Bucket: 'evidence', Key, VersionId }));
    expect(original.ContentLength).toBe(head.ContentLength);
    original.Body?.transformToWebStream().cancel();
  }, 180_000);

  it('reads the retained replica back and verifies it', async () => {
    // A fresh prefix: the overwrite above made the object's latest version another file.
    const locked = config('evidence', { objectLock: 'required', prefix: 'room-3/' });
    expect((await replicate(locked, Date.now() + DAY)).state).toBe('stored');
    const t = createTarget('s3', locked, secret());
    const v = await t.verify(bag.bagName, await expectedManifestOf(bag.path, bag.bagName));
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
    await t.close?.();
  }, 180_000);

  it('refuses a bucket without Object Lock when retention is required, and says it is not write-once otherwise', async () => {
    const refused = await replicate(config('plain', { objectLock: 'required' }));
    expect(refused).toMatchObject({ state: 'pending', lastFailure: 'config' });
    expect(refused.lastError).toMatch(/has no Object Lock/);
    const stored = await replicate(config('plain'), Date.now() + DAY);
    expect(stored.state).toBe('stored');
    expect(stored.notes.join(' ')).toMatch(/the bucket has no Object Lock; no retention was set/);
  }, 180_000);
});

/**
 * Every storage target against a real server on 127.0.0.1: a folder, OpenSSH (SFTP), a
 * WebDAV server and s3rver (S3 API). The same contract for each: a bag arrives whole under
 * its final name only after a temporary name (or an uncompleted multipart upload), the
 * read-back matches the manifest, a changed remote file is named, and a server killed in
 * the middle of an upload leaves nothing under the final name while the queue retries
 * until the copy verifies.
 */
import {
  S3Client,
  GetObjectCommand,
  PutObjectCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBag, type SealResult } from '../../../electron/core/features/sealing';
import {
  createTarget,
  expectedManifestOf,
  type S3Target,
  type StorageTarget,
  type TargetKind,
} from '../../../electron/core/features/storage';
import {
  S3_BUCKET,
  S3_KEYS,
  WEBDAV_PASSWORD,
  WEBDAV_USER,
  startS3,
  startWebDav,
  type TestServer,
} from '../../helpers/servers/node-servers';
import { startSshd, type TestSshd } from '../../helpers/servers/sshd';
import { execFileAsync as run, removeTempDirs, tempDir } from '../platform/bagit/fixtures';
import { MiB, queueHarness, sealedBag, waitUntilDue } from './harness';

afterAll(removeTempDirs);

interface Server {
  kind: TargetKind;
  /** Where a directory target's files lie on this machine. */
  localRoot?: string;
  config: Record<string, unknown>;
  secret?: Record<string, string>;
  /** Whether a bag (or anything) is under the final name, read from the server's own storage. */
  finalExists(name: string): Promise<boolean>;
  /** Names the server holds at its root (temporary names included). */
  rootNames(): Promise<string[]>;
  /** Changes one byte of data/preflight.json of the stored copy. */
  tamper(name: string): Promise<void>;
  kill?(): Promise<void>;
  restart?(): Promise<void>;
  stop(): Promise<void>;
}

async function flipByte(file: string): Promise<void> {
  await run('chmod', ['-R', 'u+w', join(file, '..', '..')]);
  const b = await fsp.readFile(file);
  b[0] = b[0]! ^ 1;
  await fsp.writeFile(file, b);
}

function dirServer(
  kind: TargetKind,
  root: string,
  rest: Omit<Server, 'finalExists' | 'rootNames' | 'tamper' | 'kind'>,
): Server {
  return {
    kind,
    localRoot: root,
    ...rest,
    finalExists: async (name) =>
      fsp.stat(join(root, name)).then(
        () => true,
        () => false,
      ),
    rootNames: async () => (await fsp.readdir(root)).sort(),
    tamper: (name) => flipByte(join(root, name, 'data', 'preflight.json')),
  };
}

const SERVERS: Record<TargetKind, { start(): Promise<Server> }> = {
  folder: {
    async start() {
      const root = tempDir('attest-share-');
      return dirServer('folder', root, {
        config: { path: root },
        stop: () => fsp.rm(root, { recursive: true, force: true }),
      });
    },
  },
  sftp: {
    async start() {
      const s: TestSshd = await startSshd();
      return dirServer('sftp', s.root, {
        config: {
          host: s.host,
          port: s.port,
          username: s.username,
          path: s.root,
          hostKeySha256: s.hostKeySha256,
        },
        secret: { privateKey: s.privateKey },
        kill: () => s.kill(),
        restart: () => s.restart(),
        stop: () => s.stop(),
      });
    },
  },
  webdav: {
    async start() {
      const s: TestServer = await startWebDav();
      return dirServer('webdav', s.dir, {
        config: { url: s.url, username: WEBDAV_USER },
        secret: { password: WEBDAV_PASSWORD },
        kill: () => s.kill(),
        restart: () => s.restart(),
        stop: () => s.stop(),
      });
    },
  },
  s3: {
    async start() {
      const s: TestServer = await startS3();
      const client = () =>
        new S3Client({
          region: 'us-east-1',
          endpoint: s.url,
          forcePathStyle: true,
          credentials: { ...S3_KEYS },
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        });
      const config = { endpoint: s.url, region: 'us-east-1', bucket: S3_BUCKET, prefix: 'room-2/' };
      return {
        kind: 's3',
        config,
        secret: S3_KEYS,
        async finalExists(name) {
          const c = client();
          try {
            await c.send(new HeadObjectCommand({ Bucket: S3_BUCKET, Key: `room-2/${name}.tar` }));
            return true;
          } catch {
            return false;
          } finally {
            c.destroy();
          }
        },
        async rootNames() {
          return (await createTarget('s3', config, { ...S3_KEYS }).list!()).map((n) => `${n}.tar`);
        },
        async tamper(name) {
          const c = client();
          const Key = `room-2/${name}.tar`;
          const body = Buffer.from(
            await (
              await c.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key }))
            ).Body!.transformToByteArray(),
          );
          const at = body.indexOf('{"storageFreeBytes"');
          body[at + 2] = body[at + 2]! ^ 1;
          await c.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key, Body: body }));
          c.destroy();
        },
        kill: () => s.kill(),
        restart: () => s.restart(),
        stop: () => s.stop(),
      };
    },
  },
};

for (const kind of ['folder', 'sftp', 'webdav', 's3'] as const) {
  const spec = SERVERS[kind];
  describe(`${kind} target on a real server`, () => {
    let server: Server;
    let bag: SealResult;
    let target: StorageTarget;

    beforeAll(async () => {
      server = await spec.start();
      bag = await sealedBag(`bag-${kind}`);
      target = createTarget(kind, server.config, server.secret);
    }, 60_000);
    afterAll(async () => {
      await target?.close?.();
      await server?.stop();
    });

    it('stores a bag whole under its final name, and the read-back matches the manifest', async () => {
      const progress: number[] = [];
      const put = await target.put(bag.path, bag.bagName, (p) => progress.push(p.bytesDone));
      expect(put.alreadyPresent).toBe(false);
      expect(progress.at(-1)).toBeGreaterThan(bag.payloadBytes);
      const expected = await expectedManifestOf(bag.path, bag.bagName);
      const v = await target.verify(bag.bagName, expected);
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.bytesRead).toBeGreaterThanOrEqual(expected.totalBytes);
      expect(await server.finalExists(bag.bagName)).toBe(true);
      expect(await target.list!()).toContain(bag.bagName);
      expect((await server.rootNames()).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      if (server.localRoot) {
        // A directory copy is a bag that `attest verify` accepts where it lies.
        expect(
          (
            await verifyBag(join(server.localRoot, bag.bagName), {
              expectTagManifests: [bag.tagManifestSha512],
              ffprobe: null,
              pdfsig: null,
            })
          ).ok,
        ).toBe(true);
      }
    });

    it('takes a connection test’s probe away again, and refuses to remove anything else', async () => {
      const probe = tempDir('attest-probe-src-');
      await fsp.writeFile(join(probe, 'attest-probe.txt'), 'probe\n');
      const name = `attest-probe-20261206T000000Z-${kind}`;
      await target.put(probe, name);
      expect(await server.finalExists(name)).toBe(true);
      expect(await target.removeProbe(name)).toEqual({ removed: true });
      expect(await server.finalExists(name)).toBe(false);
      await expect(target.removeProbe(bag.bagName)).rejects.toThrow(/only a connection test/);
      await expect(target.removeProbe('attest-probe-x/../evidence')).rejects.toThrow(
        /only a connection test/,
      );
    });

    it('does not send a copy that is already there', async () => {
      const put = await target.put(bag.path, bag.bagName);
      expect(put).toMatchObject({ alreadyPresent: true, bytesSent: 0 });
    });

    it('names the file when the stored copy was changed', async () => {
      await server.tamper(bag.bagName);
      const v = await target.verify(bag.bagName, await expectedManifestOf(bag.path, bag.bagName));
      expect(v.ok).toBe(false);
      expect(v.problems.map((p) => p.path)).toEqual(['data/preflight.json']);
      expect(v.problems[0]!.reason).toMatch(/^SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/);
    });

    it('after a failed verification, the queue replaces the bad copy (kept aside) and stores a good one', async () => {
      const h = await queueHarness({
        kind,
        config: server.config,
        ...(server.secret ? { secret: server.secret } : {}),
      });
      const job = h.queue.enqueue({
        bagId: bag.bagName,
        bagPath: bag.path,
        targetId: h.targetId,
        recordedEndAt: Date.now(),
      });
      let j = await h.queue.runJob(job.id);
      // The tampered copy is already there: the first attempt finds it wrong.
      expect(j).toMatchObject({ state: 'pending', lastFailure: 'verify', verifiedAt: null });
      expect(j.lastError).toContain('data/preflight.json');
      await waitUntilDue(h, job.id);
      j = await h.queue.runJob(job.id);
      expect(j).toMatchObject({ state: 'stored', attempts: 2 });
      expect(j.verifiedAt).not.toBeNull();
      if (kind !== 's3')
        expect(
          (await server.rootNames()).some((n) => n.startsWith(`.replaced-${bag.bagName}-`)),
        ).toBe(true);
      h.db.close();
    });

    // A folder has no server to kill: the case exists for the network targets only.
    if (kind !== 'folder')
      it('survives the server being killed mid-upload: nothing partial under the final name, retried until the copy verifies', async () => {
        const big = await sealedBag(`big-${kind}`, 48);
        let killing: Promise<void> | null = null;
        const h = await queueHarness(
          { kind, config: server.config, ...(server.secret ? { secret: server.secret } : {}) },
          {
            onProgress: (p) => {
              if (!killing && p.phase === 'upload' && p.bytesDone >= 12 * MiB)
                killing = server.kill!();
            },
          },
        );
        const job = h.queue.enqueue({
          bagId: big.bagName,
          bagPath: big.path,
          targetId: h.targetId,
          recordedEndAt: Date.now(),
        });
        let j = await h.queue.runJob(job.id);
        expect(killing).not.toBeNull();
        await killing;
        expect(j).toMatchObject({
          state: 'pending',
          attempts: 1,
          lastFailure: 'transfer',
          verifiedAt: null,
        });
        expect(j.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
        // While the server is down the retry fails again, and still nothing counts as stored.
        await waitUntilDue(h, job.id);
        j = await h.queue.runJob(job.id);
        expect(j).toMatchObject({ state: 'pending', attempts: 2, verifiedAt: null });
        await server.restart!();
        expect(await server.finalExists(big.bagName)).toBe(false);
        await waitUntilDue(h, job.id);
        const ran = await h.queue.runDue();
        expect(ran.map((r) => r.state)).toEqual(['stored']);
        j = h.queue.get(job.id);
        expect(j.attempts).toBe(3);
        expect(j.bytes).toBeGreaterThan(48 * MiB);
        expect(await server.finalExists(big.bagName)).toBe(true);
        const v = await target.verify(big.bagName, await expectedManifestOf(big.path, big.bagName));
        expect(v.ok).toBe(true);
        // The interrupted attempt's temporary copy was cleaned up by the retry.
        expect(
          (await server.rootNames()).filter((n) => n.startsWith(`.tmp-${big.bagName}`)),
        ).toEqual([]);
        // The target's secret never reaches the job record.
        for (const s of Object.values(server.secret ?? {})) {
          if (s.length > 8) expect(JSON.stringify(h.queue.list())).not.toContain(s);
        }
        h.db.close();
      }, 120_000);

    if (kind === 's3') {
      it('says what Object Lock could not do on a server without it, and refuses when it is required', async () => {
        const other = await sealedBag('bag-s3-lock');
        const h = await queueHarness({ kind, config: server.config, secret: server.secret! });
        const job = h.queue.enqueue({
          bagId: other.bagName,
          bagPath: other.path,
          targetId: h.targetId,
          recordedEndAt: Date.now(),
          retainUntil: Date.UTC(2029, 0, 1),
        });
        const j = await h.queue.runJob(job.id);
        expect(j.state).toBe('stored');
        expect(j.notes.join(' ')).toMatch(/no retention was set/);
        const strict = await queueHarness({
          kind,
          config: { ...server.config, objectLock: 'required', prefix: 'strict/' },
          secret: server.secret!,
        });
        const sj = strict.queue.enqueue({
          bagId: other.bagName,
          bagPath: other.path,
          targetId: strict.targetId,
          recordedEndAt: Date.now(),
        });
        const r = await strict.queue.runJob(sj.id);
        expect(r).toMatchObject({ state: 'pending', lastFailure: 'config' });
        expect(r.lastError).toMatch(/has no Object Lock/);
        h.db.close();
        strict.db.close();
      });
    }

    if (kind === 's3') {
      it('asks for COMPLIANCE retention when the bucket reports Object Lock, and verify insists the object has it', async () => {
        // s3rver has no Object Lock, so the bucket's answer is simulated in the SDK's
        // middleware; what is checked is what Attest sends and how it judges the answer.
        const t = createTarget(
          's3',
          { ...server.config, prefix: 'locked/' },
          { ...server.secret! },
        ) as S3Target;
        const sent: { command: string; input: Record<string, unknown> }[] = [];
        t.client.middlewareStack.add(
          (next, context) => async (args) => {
            sent.push({
              command: context.commandName ?? '',
              input: args.input as Record<string, unknown>,
            });
            if (context.commandName === 'GetObjectLockConfigurationCommand') {
              return {
                output: {
                  ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' },
                  $metadata: {},
                },
                response: {},
              } as never;
            }
            // s3rver cannot keep retention: the request is what is checked here (the real
            // thing is tested against Ceph's gateway in object-lock.test.ts).
            if (context.commandName === 'PutObjectRetentionCommand') {
              return { output: { $metadata: {} }, response: {} } as never;
            }
            return next(args);
          },
          { step: 'initialize', name: 'simulateObjectLock' },
        );
        const until = new Date(Date.UTC(2029, 0, 1));
        const put = await t.put(bag.path, bag.bagName, undefined, { retainUntil: until });
        expect(put.notes).toEqual([
          `Object Lock COMPLIANCE retention until ${until.toISOString()}`,
          'the server did not apply the upload’s retention; it was set on the stored version',
        ]);
        // The stored version is given its retention when the upload's headers were not kept.
        expect(sent.find((c) => c.command === 'PutObjectRetentionCommand')?.input).toMatchObject({
          Retention: { Mode: 'COMPLIANCE', RetainUntilDate: until },
        });
        const create = sent.find((c) => c.command === 'CreateMultipartUploadCommand')!.input;
        expect(create).toMatchObject({
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: until,
          ChecksumAlgorithm: 'SHA256',
        });
        expect(
          sent
            .filter((c) => c.command === 'UploadPartCommand')
            .every((c) => typeof c.input.ChecksumSHA256 === 'string'),
        ).toBe(true);
        // s3rver stored the object without retention: verification must not pass it.
        const v = await t.verify(bag.bagName, await expectedManifestOf(bag.path, bag.bagName));
        expect(v.ok).toBe(false);
        expect(v.problems).toEqual([
          {
            path: `locked/${bag.bagName}.tar`,
            reason: 'the bucket has Object Lock but the object has no retention',
          },
        ]);
        await t.close?.();
      });
    }

    if (kind === 'sftp') {
      it('refuses to send evidence to a server whose host key is not the pinned one', async () => {
        const wrong = createTarget(
          'sftp',
          { ...server.config, hostKeySha256: `SHA256:${'A'.repeat(43)}` },
          server.secret,
        );
        await expect(wrong.put(bag.path, 'never')).rejects.toThrow(/is not the pinned/);
        expect(await server.finalExists('never')).toBe(false);
      });
    }
  });
}

/**
 * Benchmark: seal time for a multi-GiB session, and replication throughput to the folder
 * and SFTP targets against a plain copy over the same target (cp; OpenSSH's sftp client).
 * Run with `bash scripts/bench-seal.sh` (not part of the test suite).
 *
 * Size: BENCH_GIB (default 2) GiB of payload in 4 files, random bytes (a 64 MiB random
 * block repeated, so nothing on the way could compress it). On a 24 GiB machine the files
 * stay in the page cache, so the figures measure hashing, copying and the protocols rather
 * than the disk. SFTP runs against sshd on 127.0.0.1 (needs root, like the tests).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBagInfo, sealBag } from '../electron/core/features/sealing';
import { FolderTarget, SftpTarget, expectedManifestOf } from '../electron/core/features/storage';
import { sshdUnavailable, startSshd } from '../tests/helpers/servers/sshd';
import { makeTestPki, sampleRecord } from '../tests/integration/platform/bagit/fixtures';

const run = promisify(execFile);
const GiB = 1024 ** 3;
const gib = Number(process.env.BENCH_GIB ?? '2');
const files = 4;
const work = mkdtempSync(join(tmpdir(), 'attest-bench-'));
const mb = (bytes: number, s: number) => Math.round(bytes / s / 1e6);
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = process.hrtime.bigint();
  const r = await f();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
};

try {
  // Payload
  const block = randomBytes(64 * 1024 * 1024);
  const per = Math.floor((gib * GiB) / files);
  // Hashed both ways as written, as the media sink does (its digests go with each file).
  const sources: { path: string; name: string; expectedSha256: string; expectedSha512: string }[] =
    [];
  for (let i = 0; i < files; i++) {
    const p = join(work, `cam${i}.mp4`);
    const fh = await fsp.open(p, 'w');
    const h256 = createHash('sha256');
    const h512 = createHash('sha512');
    for (let done = 0; done < per; done += block.length) {
      const part = block.subarray(0, Math.min(block.length, per - done));
      await fh.write(part);
      h256.update(part);
      h512.update(part);
    }
    await fh.sync();
    await fh.close();
    await fsp.chmod(p, 0o400);
    sources.push({
      path: p,
      name: `media/CAM-0${i + 1}.mp4`,
      expectedSha256: h256.digest('hex'),
      expectedSha512: h512.digest('hex'),
    });
  }
  const bytes = per * files;
  await run('sync'); // the payload's own write-back must not be timed as the seal's
  console.log(`payload: ${(bytes / GiB).toFixed(2)} GiB in ${files} files under ${work}`);

  // Seal: as files without the sink's digests are (copied and hashed), then as the sink's
  // files are (linked in, each read once on a worker thread to check its SHA-256).
  const pki = await makeTestPki();
  const archive = join(work, 'archive');
  const [, copyS] = await time(() =>
    sealBag({
      sourceFiles: sources.map(({ path, name }) => ({ path, name })),
      bagInfo: buildBagInfo(sampleRecord()),
      eventLog: { entries: [{ type: 'recording.started' }, { type: 'recording.stopped' }] },
      signer: pki.signer,
      timeZone: 'Asia/Shanghai',
      outDir: archive,
      bagName: 'bench-copied',
      now: Date.now,
    }),
  );
  await run('sync');
  const [sealed, sealS] = await time(() =>
    sealBag({
      sourceFiles: sources,
      bagInfo: buildBagInfo(sampleRecord()),
      eventLog: { entries: [{ type: 'recording.started' }, { type: 'recording.stopped' }] },
      signer: pki.signer,
      timeZone: 'Asia/Shanghai',
      outDir: archive,
      bagName: 'bench',
      now: Date.now,
    }),
  );
  console.log(
    `seal: copied ${copyS.toFixed(1)} s (${mb(bytes, copyS)} MB/s: copy + SHA-512 + SHA-256 in one pass, fsync, sign); linked ${sealS.toFixed(1)} s (${mb(bytes, sealS)} MB/s: link, SHA-256 check on worker threads, sign)`,
  );
  const expected = await expectedManifestOf(sealed.path, 'bench');

  // Folder target vs cp
  const share = join(work, 'share');
  await fsp.mkdir(share);
  const folder = new FolderTarget({ path: share });
  const [, folderPutS] = await time(() => folder.put(sealed.path, 'bench'));
  const [fv, folderVerifyS] = await time(() => folder.verify('bench', expected));
  if (!fv.ok) throw new Error('folder copy did not verify');
  const [, cpS] = await time(() => run('cp', ['-r', sealed.path, join(share, 'plain-cp')]));
  await run('sync');
  console.log(
    `folder: put ${mb(bytes, folderPutS)} MB/s (with fsync), read-back ${mb(bytes, folderVerifyS)} MB/s; cp -r ${mb(bytes, cpS)} MB/s (no fsync)`,
  );

  // SFTP target vs OpenSSH's sftp client
  let sftp = '';
  const why = sshdUnavailable();
  if (why) console.log(`sftp: skipped, ${why}`);
  else {
    const s = await startSshd();
    try {
      const target = new SftpTarget(
        {
          host: s.host,
          port: s.port,
          username: s.username,
          path: s.root,
          hostKeySha256: s.hostKeySha256,
        },
        { privateKey: s.privateKey },
      );
      const [, putS] = await time(() => target.put(sealed.path, 'bench'));
      const [v, verifyS] = await time(() => target.verify('bench', expected));
      if (!v.ok) throw new Error('SFTP copy did not verify');
      const key = join(work, 'id');
      await fsp.writeFile(key, s.privateKey, { mode: 0o600 });
      const batch = join(work, 'batch');
      await fsp.writeFile(batch, `put -r ${sealed.path} ${s.root}/plain\n`);
      const [, plainS] = await time(
        () =>
          new Promise<void>((ok, fail) => {
            const c = spawn(
              'sftp',
              [
                '-q',
                '-b',
                batch,
                '-i',
                key,
                '-P',
                String(s.port),
                '-o',
                'StrictHostKeyChecking=no',
                '-o',
                `UserKnownHostsFile=${join(work, 'kh')}`,
                `${s.username}@${s.host}`,
              ],
              { stdio: 'ignore' },
            );
            c.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`sftp exited ${code}`))));
          }),
      );
      console.log(
        `sftp: put ${mb(bytes, putS)} MB/s (fastPut + remote fsync), read-back ${mb(bytes, verifyS)} MB/s; plain OpenSSH sftp put ${mb(bytes, plainS)} MB/s`,
      );
      sftp = ` sftp_mb_s=${mb(bytes, putS)} sftp_verify_mb_s=${mb(bytes, verifyS)} plain_sftp_mb_s=${mb(bytes, plainS)}`;
    } finally {
      await s.stop();
    }
  }
  console.log(
    `seal: gib=${(bytes / GiB).toFixed(1)} seal_s=${sealS.toFixed(1)} copied_seal_s=${copyS.toFixed(1)} mb_s=${mb(bytes, sealS)} folder_mb_s=${mb(bytes, folderPutS)} folder_verify_mb_s=${mb(bytes, folderVerifyS)} cp_mb_s=${mb(bytes, cpS)}${sftp}`,
  );
} finally {
  await run('chmod', ['-R', 'u+w', work]).catch(() => {});
  await fsp.rm(work, { recursive: true, force: true });
}

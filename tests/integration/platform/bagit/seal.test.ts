import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LABELS,
  REQUIRED_LABELS,
  SIGNATURE_FILE,
  TAG_MANIFEST,
  TIMESTAMP_FILE,
  cleanIncompleteSeals,
  formatReport,
  sealBag,
  verifyBag,
  verifyCommand,
  type SealResult,
  type VerifyReport,
} from '../../../../electron/core/features/sealing';
import { parseBagInfo } from '../../../../electron/core/platform/bagit/bagformat';
import { startTsa, type TestTsa } from '../../../helpers/servers/tsa';
import {
  execFileAsync as run,
  makeTestPki,
  sampleSession,
  sealSample,
  tempDir,
  removeTempDirs,
  type TestPki,
} from './fixtures';

afterAll(removeTempDirs);

/** A writable copy of a sealed (read-only) bag, to tamper with. */
async function copyBag(src: string): Promise<string> {
  const dst = join(tempDir('attest-tamper-'), 'bag');
  await fsp.cp(src, dst, { recursive: true });
  await run('chmod', ['-R', 'u+w', dst]);
  return dst;
}

function codes(r: VerifyReport): string[] {
  return r.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.file ?? ''}`);
}

describe('sealing a session into a BagIt bag', () => {
  let archive: string;
  let sealed: Awaited<ReturnType<typeof sealSample>>;
  let report: VerifyReport;

  beforeAll(async () => {
    archive = tempDir('attest-archive-');
    sealed = await sealSample(archive);
    // The tag manifest's hash as the seal recorded it vouches for the signer.
    report = await verifyBag(sealed.path, { expectTagManifests: [sealed.tagManifestSha512] });
  }, 60_000);

  it('writes a complete bag that verifies, with every check passing', async () => {
    expect(codes(report)).toEqual([]);
    expect(report.ok).toBe(true);
    for (const c of [
      'bagit',
      'payload',
      'payload-oxum',
      'bag-info',
      'tag-manifest',
      'signature',
      'event-log',
    ] as const) {
      expect(report.checks[c], c).toBe('pass');
    }
    expect(report.checks.media).toBe('pass');
    expect(report.media).toHaveLength(3);
    for (const m of report.media) expect(m.durationSeconds).toBeGreaterThan(2.9);
    expect(report.checks.pdf).toBe('pass');
    expect(report.pdfs).toEqual([
      { file: 'data/transcript/询问笔录.pdf', signatures: 1, valid: true },
    ]);
    // Notices only: no TSA configured.
    expect(report.problems.map((p) => p.code).sort()).toEqual(['timestamp-absent']);
    expect(report.signature?.trustedBy).toBe('tag-manifest');
    // With nothing given that vouches for the signer it is never "passed".
    const alone = await verifyBag(sealed.path, { ffprobe: null, pdfsig: null });
    expect(alone).toMatchObject({ verdict: 'signer-unverified', ok: false });
    expect(alone.checks.signature).toBe('warn');
    expect(report.eventLog).toMatchObject({ entries: 16, checkpoints: 2 });
  });

  it('lays the bag out as RFC 8493 says, both manifests listing every payload file', async () => {
    const top = (await fsp.readdir(sealed.path)).sort();
    expect(top).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'data',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      'seal',
      'tagmanifest-sha512.txt',
    ]);
    expect(await fsp.readFile(join(sealed.path, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const m512 = await fsp.readFile(join(sealed.path, 'manifest-sha512.txt'), 'utf8');
    const m256 = await fsp.readFile(join(sealed.path, 'manifest-sha256.txt'), 'utf8');
    expect(m512.trim().split('\n')).toHaveLength(8);
    expect(m256.trim().split('\n')).toHaveLength(8);
    expect(m512).toContain('  data/transcript/询问笔录.pdf\n');
    expect(m512).toContain('  data/session-events.jsonl\n');
    // The tag manifest lists every tag file except the signature made from it.
    const tag = await fsp.readFile(join(sealed.path, TAG_MANIFEST), 'utf8');
    expect(
      tag
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[1])
        .sort(),
    ).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      'seal/README.txt',
    ]);
    expect(await fsp.readFile(join(sealed.path, 'seal/README.txt'), 'utf8')).toContain(
      'cannot list them',
    );
    // sha512sum/sha256sum read the manifests as they are (standard tools, as R4.3 wants).
    await run('sha512sum', ['--quiet', '-c', 'manifest-sha512.txt'], { cwd: sealed.path });
    await run('sha256sum', ['--quiet', '-c', 'manifest-sha256.txt'], { cwd: sealed.path });
    await run('sha512sum', ['--quiet', '-c', TAG_MANIFEST], { cwd: sealed.path });
  });

  it('writes every fact the rules require into bag-info, with computed Oxum and dates', async () => {
    const info = parseBagInfo(await fsp.readFile(join(sealed.path, 'bag-info.txt'), 'utf8'));
    expect(info.problems).toEqual([]);
    const labels = new Set(info.elements.map((e) => e.label));
    for (const l of REQUIRED_LABELS) expect(labels.has(l), l).toBe(true);
    const get = (l: string) => info.elements.filter((e) => e.label === l).map((e) => e.value);
    expect(get(LABELS.officer)).toEqual([
      '张伟（执法证号 13010012345）',
      '李娜（执法证号 13010067890）',
    ]);
    expect(get(LABELS.deviceNumber)).toEqual(['CAM-01', 'CAM-02', 'MIC-01']);
    expect(get(LABELS.recordingStart)).toEqual(['2026-11-23T09:00:00+08:00']);
    expect(get(LABELS.recordingEnd)).toEqual(['2026-11-23T09:45:00+08:00']);
    expect(get(LABELS.baggingDate)).toEqual(['2026-11-23']);
    expect(get(LABELS.payloadOxum)).toEqual([`${sealed.payloadBytes}.8`]);
    expect(get(LABELS.eventLogHead)).toEqual([sealed.eventLog.head]);
    expect(get(LABELS.eventLogChain)[0]).toMatch(/^intact, 16 entries, 2 checkpoints/);
    expect(get(LABELS.retentionClass)).toEqual(['standard']);
  });

  it('leaves the bag read-only (files 0444, directories 0555) and no temporary directory', async () => {
    // Read-only, and this account's alone.
    expect((await fsp.stat(join(sealed.path, 'data/media/CAM-01.mp4'))).mode & 0o777).toBe(0o400);
    expect((await fsp.stat(join(sealed.path, 'bag-info.txt'))).mode & 0o777).toBe(0o400);
    expect((await fsp.stat(join(sealed.path, 'data/media'))).mode & 0o777).toBe(0o500);
    expect((await fsp.stat(sealed.path)).mode & 0o777).toBe(0o500);
    expect((await fsp.readdir(archive)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses to replace an existing bag, and to seal without the facts the rules require', async () => {
    const again = await sampleSession(archive);
    await expect(sealBag(again.options)).rejects.toThrow(/already exists/);
    const lacking = { ...again.options.bagInfo };
    delete lacking[LABELS.evidentiaryPurpose];
    delete lacking[LABELS.officer];
    await expect(sealBag({ ...again.options, bagName: 'other', bagInfo: lacking })).rejects.toThrow(
      /Officer, .*Evidentiary-Purpose/,
    );
    expect(await fsp.readdir(archive)).toEqual([sealed.bagName]);
  });

  it('makes a signature that openssl cms -verify accepts (cross-check of the Node verifier)', async () => {
    const p7s = join(sealed.path, SIGNATURE_FILE);
    const tag = join(sealed.path, TAG_MANIFEST);
    await run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      p7s,
      '-content',
      tag,
      '-noverify',
      '-out',
      '/dev/null',
    ]);
    // And the signer openssl sees is the one Node reports.
    const { stdout } = await run('openssl', [
      'cms',
      '-cmsout',
      '-print',
      '-inform',
      'DER',
      '-in',
      p7s,
    ]);
    expect(stdout).toContain('TEST-ROOM-1');
    expect(report.signature?.signer?.fingerprintSha256).toBe(
      new X509Certificate(sealed.session.pki.certPem).fingerprint256,
    );
    // A changed tag manifest fails in openssl too.
    const copy = await copyBag(sealed.path);
    await fsp.appendFile(join(copy, TAG_MANIFEST), '\n');
    await expect(
      run('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(copy, SIGNATURE_FILE),
        '-content',
        join(copy, TAG_MANIFEST),
        '-noverify',
        '-out',
        '/dev/null',
      ]),
    ).rejects.toThrow();
  });

  it('names the file when one byte of any payload file is flipped', async () => {
    const payload = (await fsp.readFile(join(sealed.path, 'manifest-sha256.txt'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[1]!);
    expect(payload).toHaveLength(8);
    for (const rel of payload) {
      const copy = await copyBag(sealed.path);
      const file = join(copy, rel);
      const buf = await fsp.readFile(file);
      const at = Math.floor(buf.length / 2);
      buf[at] = buf[at]! ^ 0x01;
      await fsp.writeFile(file, buf);
      const r = await verifyBag(copy, { ffprobe: null, pdfsig: null });
      expect(r.ok, rel).toBe(false);
      expect(
        r.problems.filter((p) => p.code === 'hash-mismatch').map((p) => p.file),
        rel,
      ).toEqual([rel, rel]);
      await fsp.rm(join(copy, '..'), { recursive: true, force: true });
    }
  });

  it('catches an edited line of bag-info through the tag manifest', async () => {
    const copy = await copyBag(sealed.path);
    const file = join(copy, 'bag-info.txt');
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(
      file,
      text.replace(
        'Place: 石家庄市人民防空办公室 询问室 2',
        'Place: 石家庄市人民防空办公室 询问室 3',
      ),
    );
    const r = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(codes(r)).toEqual(['tag-hash-mismatch bag-info.txt']);
    const text2 = formatReport(r, 'zh-CN');
    expect(text2).toContain('bag-info.txt: 标签文件已被改动（哈希值不符）');
    expect(formatReport(r, 'en')).toContain(
      'bag-info.txt: a tag file was changed (checksum mismatch)',
    );
  });

  it('catches a removed event-log entry: the chain breaks at the next line', async () => {
    const copy = await copyBag(sealed.path);
    const file = join(copy, 'data/session-events.jsonl');
    const lines = (await fsp.readFile(file, 'utf8')).split('\n');
    lines.splice(4, 1); // drop line 5
    await fsp.writeFile(file, lines.join('\n'));
    const r = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(r.ok).toBe(false);
    const broken = r.problems.filter((p) => p.code === 'event-log-broken');
    expect(broken[0]).toMatchObject({ file: 'data/session-events.jsonl' });
    expect(broken[0]!.detail).toMatch(/^line 5: seq is 6, expected 5/);
    expect(broken.some((p) => /line 5: prev does not match/.test(p.detail))).toBe(true);
    expect(codes(r)).toContain('hash-mismatch data/session-events.jsonl');
    // Exactly two findings in the log (the gap and the broken link), not one per later line.
    expect(broken).toHaveLength(2);
  });

  it('catches an added file, in data/ or beside the tag files', async () => {
    const copy = await copyBag(sealed.path);
    await fsp.writeFile(join(copy, 'data/media/extra.mp4'), 'not evidence');
    await fsp.writeFile(join(copy, 'notes.txt'), 'added later');
    const r = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(codes(r)).toEqual([
      'unlisted-file data/media/extra.mp4',
      'oxum-mismatch bag-info.txt',
      'unlisted-tag-file notes.txt',
    ]);
  });

  it('catches a missing file and a forged re-signature', async () => {
    const copy = await copyBag(sealed.path);
    await fsp.rm(join(copy, 'data/signatures/strokes.json'));
    let r = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(codes(r)).toContain('file-missing data/signatures/strokes.json');
    // Someone rewrites bag-info and the tag manifest but cannot re-sign with the workstation key.
    const copy2 = await copyBag(sealed.path);
    await fsp.appendFile(join(copy2, 'bag-info.txt'), 'Note: added\n');
    const { stdout } = await run('sha512sum', ['bag-info.txt'], { cwd: copy2 });
    const tag = (await fsp.readFile(join(copy2, TAG_MANIFEST), 'utf8')).replace(
      /^[0-9a-f]+ {2}bag-info\.txt$/m,
      `${stdout.split(' ')[0]}  bag-info.txt`,
    );
    await fsp.writeFile(join(copy2, TAG_MANIFEST), tag);
    r = await verifyBag(copy2, { ffprobe: null, pdfsig: null });
    expect(codes(r)).toEqual([`signature-invalid ${SIGNATURE_FILE}`]);
  });

  it('reports a media file that does not decode', async () => {
    const s = await sampleSession(tempDir('attest-archive-'), {
      extraFiles: [{ path: join(tempDir(), 'x'), name: 'media/broken.mp4' }],
    });
    await fsp.writeFile(s.options.sourceFiles.at(-1)!.path, Buffer.alloc(4096, 7));
    const bag = await sealBag(s.options);
    const r = await verifyBag(bag.path);
    expect(codes(r)).toEqual(['media-undecodable data/media/broken.mp4']);
  });

  it('reports a PDF whose signature no longer holds (re-sealed after the PDF changed)', async () => {
    const s = await sampleSession(tempDir('attest-archive-'));
    const pdf = s.options.sourceFiles.find((f) => f.name.endsWith('.pdf'))!.path;
    const buf = await fsp.readFile(pdf);
    const i = buf.indexOf('Transcript test page');
    buf.write('Tampered', i, 'latin1');
    await fsp.writeFile(pdf, buf);
    const bag = await sealBag(s.options);
    const r = await verifyBag(bag.path, { ffprobe: null });
    expect(codes(r)).toEqual(['pdf-signature-invalid data/transcript/询问笔录.pdf']);
    // Content appended after the signature (an incremental update nobody signed) is caught too.
    const s2 = await sampleSession(tempDir('attest-archive-'));
    const pdf2 = s2.options.sourceFiles.find((f) => f.name.endsWith('.pdf'))!.path;
    await fsp.appendFile(pdf2, '\n% appended later\n');
    const r2 = await verifyBag((await sealBag(s2.options)).path, { ffprobe: null });
    expect(
      r2.problems.filter((p) => p.code === 'pdf-signature-invalid').map((p) => p.file),
    ).toEqual(['data/transcript/询问笔录.pdf']);
  });

  it('exits 0 from `attest verify` on a good bag and 1 on a bad one, naming the cause', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(
      await verifyCommand(
        [sealed.path, '--lang', 'en', '--expect-tagmanifest', sealed.tagManifestSha512],
        io,
      ),
    ).toBe(0);
    expect(out.join('')).toContain('Result: PASSED');
    const copy = await copyBag(sealed.path);
    await fsp.writeFile(join(copy, 'data/preflight.json'), '{}');
    out.length = 0;
    expect(await verifyCommand([copy, '--lang', 'zh-CN'], io)).toBe(1);
    expect(out.join('')).toContain('结论: 未通过');
    expect(out.join('')).toContain('data/preflight.json: 文件内容已被改动（哈希值不符）');
    out.length = 0;
    expect(await verifyCommand([copy, '--json'], io)).toBe(1);
    expect((JSON.parse(out.join('')) as VerifyReport).problems[0]).toMatchObject({
      code: 'hash-mismatch',
      file: 'data/preflight.json',
    });
    expect(await verifyCommand([], io)).toBe(2);
    expect(await verifyCommand([copy, '--bogus'], io)).toBe(2);
    expect(await verifyCommand([join(copy, 'nope')], io)).toBe(1);
  });
});

describe('trust anchors and time-stamps', () => {
  let pki: TestPki;
  let tsa: TestTsa;
  let sealed: SealResult;

  beforeAll(async () => {
    pki = await makeTestPki({ ca: true });
    tsa = await startTsa();
    const s = await sampleSession(tempDir('attest-archive-'), { pki });
    sealed = await sealBag({ ...s.options, tsa: { url: tsa.url } });
  }, 60_000);
  afterAll(async () => {
    await tsa?.close();
  });

  it('gets an RFC 3161 token from a TSA on loopback; Node and openssl ts -verify both accept it', async () => {
    expect(sealed.timestamp).toEqual({ ok: true, file: TIMESTAMP_FILE });
    expect(tsa.requests).toBe(1);
    const caDer = Buffer.from(new X509Certificate(tsa.caPem).raw);
    const r = await verifyBag(sealed.path, {
      tsaTrustAnchors: [caDer],
      ffprobe: null,
      pdfsig: null,
    });
    expect(codes(r)).toEqual([]);
    expect(r.timestamp?.valid).toBe(true);
    expect(r.timestamp?.tsa?.subject).toContain('Test time-stamping authority');
    await run('openssl', [
      'ts',
      '-verify',
      '-data',
      join(sealed.path, TAG_MANIFEST),
      '-in',
      join(sealed.path, TIMESTAMP_FILE),
      '-CAfile',
      tsa.caFile,
      '-untrusted',
      tsa.tsaCertFile,
    ]);
    // A token over other data is refused.
    const copy = await copyBag(sealed.path);
    await fsp.appendFile(join(copy, TAG_MANIFEST), ' ');
    const bad = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(codes(bad)).toContain(`timestamp-invalid ${TIMESTAMP_FILE}`);
  });

  it('checks the signer against the agency CA when one is given; a stranger with a valid signature is refused', async () => {
    const caDer = Buffer.from(new X509Certificate(pki.caPem!).raw);
    const r = await verifyBag(sealed.path, { trustAnchors: [caDer], ffprobe: null, pdfsig: null });
    expect(r.signature).toMatchObject({ valid: true, chainValid: true, trustedBy: 'trust-anchor' });
    expect(r).toMatchObject({ verdict: 'passed', ok: true });
    await run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(sealed.path, SIGNATURE_FILE),
      '-content',
      join(sealed.path, TAG_MANIFEST),
      '-CAfile',
      join(pki.dir, 'ca.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    // Re-signed by someone else's self-signed key: the signature is valid, the signer is not.
    const stranger = await makeTestPki({ cn: 'Attest workstation TEST-ROOM-1' });
    const copy = await copyBag(sealed.path);
    const forged = await stranger.signer.signDetached(await fsp.readFile(join(copy, TAG_MANIFEST)));
    await fsp.writeFile(join(copy, SIGNATURE_FILE), forged);
    const r2 = await verifyBag(copy, { trustAnchors: [caDer], ffprobe: null, pdfsig: null });
    expect(codes(r2)).toEqual([`signer-untrusted ${SIGNATURE_FILE}`]);
    expect(r2.verdict).toBe('failed');
    // Nothing given: the stranger's valid signature is still not a pass.
    const r3 = await verifyBag(copy, { ffprobe: null, pdfsig: null });
    expect(r3.verdict).toBe('signer-unverified');
    expect(r3.problems.find((p) => p.code === 'signer-unverified')?.detail).toContain(
      'CN=Attest workstation TEST-ROOM-1',
    );
  });

  it('still seals when the TSA cannot be reached, and says so', async () => {
    const s = await sampleSession(tempDir('attest-archive-'), { pki });
    const r = await sealBag({
      ...s.options,
      tsa: { url: 'http://127.0.0.1:1/tsa', timeoutMs: 2000 },
    });
    expect(r.timestamp?.ok).toBe(false);
    const v = await verifyBag(r.path, {
      expectTagManifests: [r.tagManifestSha512],
      ffprobe: null,
      pdfsig: null,
    });
    expect(v.ok).toBe(true);
    expect(v.problems.map((p) => p.code)).toContain('timestamp-absent');
  });
});

describe('a crash mid-seal', () => {
  it('leaves no bag under the final name; the leftover temporary copy is cleaned and a new seal succeeds', async () => {
    const archive = tempDir('attest-archive-');
    const big = join(tempDir(), 'big.bin');
    // 512 MiB, sparse: reads at memory speed, so the copy is long enough to be cut off.
    await fsp.writeFile(big, '');
    await fsp.truncate(big, 512 * 1024 * 1024);
    const child = spawn(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        './tests/helpers/ts-hooks.mjs',
        'tests/integration/platform/bagit/seal-child.ts',
        archive,
        'crashed',
        big,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let childPki: string | null = null;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const outcome = await new Promise<string>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        childPki ??= /^pki (.+)$/m.exec(d.toString())?.[1] ?? null;
        const m = /progress (\d+)/.exec(d.toString());
        if (m && Number(m[1]) >= 64 * 1024 * 1024) {
          child.kill('SIGKILL');
          resolve('killed');
        } else if (d.toString().includes('sealed')) resolve('finished');
      });
      child.on('exit', () => resolve(`exited: ${stderr}`));
    });
    expect(outcome).toBe('killed');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    if (childPki) await fsp.rm(childPki, { recursive: true, force: true });
    const names = await fsp.readdir(archive);
    expect(names).not.toContain('crashed');
    expect(names.filter((n) => n.startsWith('.tmp-crashed-'))).toHaveLength(1);
    expect(await cleanIncompleteSeals(archive)).toHaveLength(1);
    expect(await fsp.readdir(archive)).toEqual([]);
    const s = await sampleSession(archive, { bagName: 'crashed' });
    const bag = await sealBag(s.options);
    const v = await verifyBag(bag.path, {
      expectTagManifests: [bag.tagManifestSha512],
      ffprobe: null,
      pdfsig: null,
    });
    expect(v.ok).toBe(true);
  }, 60_000);
});

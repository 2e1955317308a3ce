/**
 * Real inputs for seal and storage tests: an openssl-backed {@link Signer} (real ECDSA P-256
 * signatures, not a stub), synthetic H.264/AAC media made with ffmpeg (so ffprobe checks
 * are real), a PDF signed with a detached CMS signature (so pdfsig checks are real), an
 * event log written by the real writer, and a complete sample session.
 */
import { execFile } from 'node:child_process';
import { promises as fsp, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import {
  buildBagInfo,
  sealBag,
  type SessionRecordInfo,
  type Signer,
} from '../../../../electron/core/features/sealing';
import type { SealOptions, SealResult } from '../../../../electron/core/features/sealing';
import type { SourceFile } from '../../../../electron/core/platform/bagit/bagit';
import { EventLogWriter } from '../../../../electron/core/platform/bagit/eventlog';
import { removeTree } from '../../../../electron/core/platform/fs';
import { issuedCert, selfSignedCert, type CertFiles } from '../../../helpers/openssl';

const run = promisify(execFile);

export async function have(cmd: string, args = ['-version']): Promise<boolean> {
  try {
    await run(cmd, args, { timeout: 20_000 });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const created: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = 'attest-seal-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory {@link tempDir} made in this process (sealed bags are read-only, so permissions are restored first). */
export async function removeTempDirs(): Promise<void> {
  for (const dir of created.splice(0)) await removeTree(dir).catch(() => {});
  mediaDir = null;
  mediaCache.clear();
}

export interface TestPki {
  dir: string;
  certPem: string;
  keyPem: string;
  caPem: string | null;
  signer: Signer;
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

/**
 * A signer whose key lives in files and signs with `openssl cms -sign`. With `ca: true`
 * the certificate is issued by a throwaway agency CA (for trust-anchor tests); otherwise
 * it is self-signed, as `openssl req -x509` makes it.
 */
export async function makeTestPki(opts: { ca?: boolean; cn?: string } = {}): Promise<TestPki> {
  const dir = tempDir('attest-pki-');
  const subj = `/CN=${opts.cn ?? 'Attest workstation TEST-ROOM-1'}/O=Test enforcement bureau`;
  let caPem: string | null = null;
  let files: CertFiles;
  if (opts.ca) {
    const ca = await selfSignedCert(dir, 'ca', {
      subj: '/CN=Test agency CA',
      days: 3650,
      addext: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'],
    });
    files = await issuedCert(dir, 'ws', {
      subj,
      days: 365,
      ca,
      ext: ['keyUsage=critical,digitalSignature,nonRepudiation', 'basicConstraints=CA:FALSE'],
    });
    caPem = await fsp.readFile(ca.cert, 'utf8');
  } else {
    files = await selfSignedCert(dir, 'ws', { subj, days: 365 });
  }
  const { cert, key } = files;
  const certPem = await fsp.readFile(cert, 'utf8');
  const keyPem = await fsp.readFile(key, 'utf8');
  let n = 0;
  const signer: Signer = {
    certificateDer: pemToDer(certPem),
    chainDer: [],
    // openssl stamps its own signing time (the current clock); `opts.signingTime` is
    // ignored here, which the tests do not depend on.
    async signDetached(data) {
      const i = n++;
      const input = join(dir, `in-${i}`);
      const output = join(dir, `out-${i}.der`);
      await fsp.writeFile(input, data);
      await run('openssl', [
        'cms',
        '-sign',
        '-binary',
        '-outform',
        'DER',
        '-nosmimecap',
        '-md',
        'sha256',
        '-signer',
        cert,
        '-inkey',
        key,
        '-in',
        input,
        '-out',
        output,
      ]);
      return fsp.readFile(output);
    },
  };
  return { dir, certPem, keyPem, caPem, signer };
}

let mediaDir: string | null = null;
const mediaCache = new Map<string, Promise<string>>();

/** A 3-second H.264 + AAC fragmented MP4 (made once per process and reused). */
export function syntheticMp4(name = 'clip.mp4', frequency = 1000): Promise<string> {
  const key = `${name}:${frequency}`;
  let p = mediaCache.get(key);
  if (!p) {
    mediaDir ??= tempDir('attest-media-');
    const out = join(mediaDir, name);
    p = run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=30',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${frequency}`,
      '-t',
      '3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-movflags',
      '+frag_keyframe+empty_moov',
      out,
    ]).then(() => out);
    mediaCache.set(key, p);
  }
  return p;
}

/**
 * A one-page PDF with a detached CMS signature over its byte ranges (adbe.pkcs7.detached),
 * made with openssl: enough for pdfsig to check a real signature.
 */
export async function signedPdf(path: string, pki: TestPki): Promise<void> {
  const SIG_HEX = 16384;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] /Contents 6 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
    '<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 5 0 R /T (Seal) /F 132 /P 3 0 R >>',
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}] /Contents <${'0'.repeat(SIG_HEX)}> /M (D:20261123090000+08'00') >>`,
    null,
  ];
  const stream = 'BT /F1 12 Tf 72 770 Td (Transcript test page) Tj ET';
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body +=
      o === null
        ? `${i + 1} 0 obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`
        : `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  let buf = Buffer.from(body, 'latin1');
  const contentsAt = buf.indexOf(`/Contents <${'0'.repeat(16)}`) + '/Contents '.length;
  const a = contentsAt;
  const b = contentsAt + SIG_HEX + 2;
  const len = buf.length;
  const range = `[0 ${String(a).padStart(10, '0')} ${String(b).padStart(10, '0')} ${String(len - b).padStart(10, '0')}]`;
  const rangeAt = buf.indexOf('/ByteRange [') + '/ByteRange '.length;
  buf.write(range, rangeAt, 'latin1');
  const signedBytes = Buffer.concat([buf.subarray(0, a), buf.subarray(b)]);
  const sig = await pki.signer.signDetached(signedBytes);
  const hex = sig.toString('hex');
  if (hex.length > SIG_HEX) throw new Error('signature too large for the placeholder');
  buf = Buffer.from(buf);
  buf.write(hex, a + 1, 'latin1');
  await fsp.writeFile(path, buf);
}

/** The structured record of a sample interview. */
export function sampleRecord(overrides: Partial<SessionRecordInfo> = {}): SessionRecordInfo {
  const start = Date.UTC(2026, 10, 23, 1, 0, 0);
  return {
    caseNumber: '石人防罚〔2026〕12号',
    caseCause: '未按规定修建防空地下室',
    parties: ['赵六（居民身份证 110105194912310021）'],
    officers: [
      { name: '张伟', certificateNo: '13010012345' },
      { name: '李娜', certificateNo: '13010067890' },
    ],
    deviceNumbers: ['CAM-01', 'CAM-02', 'MIC-01'],
    recordingStart: start,
    recordingEnd: start + 45 * 60_000,
    place: '石家庄市人民防空办公室 询问室 2',
    recordingMethod:
      '固定式音像监控，两路摄像机与一路合成画面 fixed A/V monitoring, 2 cameras + program',
    madeBy: '张伟',
    madeAt: start + 50 * 60_000,
    productionMethod: 'Attest 0.1.0 工作站 TEST-ROOM-1 自动封存为 BagIt 包并签名',
    evidentiaryPurpose:
      '证明当事人赵六于询问中陈述其未按规定修建防空地下室的事实经过，以及执法人员出示证件、告知权利义务的过程',
    retention: { class: 'standard' },
    sessionId: 'S1',
    sessionKind: 'interview',
    sourceOrganization: '石家庄市人民防空办公室',
    timeZone: 'Asia/Shanghai',
    ...overrides,
  };
}

export interface SampleSession {
  workDir: string;
  pki: TestPki;
  options: SealOptions;
}

/**
 * The inputs of a complete session: two camera files and a program file, a signed
 * transcript PDF and its JSON, signature strokes, the pre-flight record, and an event log
 * written by {@link EventLogWriter} with checkpoints.
 */
export async function sampleSession(
  outDir: string,
  opts: { pki?: TestPki; bagName?: string; extraFiles?: SourceFile[] } = {},
): Promise<SampleSession> {
  const pki = opts.pki ?? (await makeTestPki());
  const workDir = tempDir('attest-session-');
  const cam1 = await syntheticMp4('cam1.mp4', 1000);
  const cam2 = await syntheticMp4('cam2.mp4', 440);
  const pdf = join(workDir, 'transcript.pdf');
  await signedPdf(pdf, pki);
  await fsp.writeFile(
    join(workDir, 'transcript.json'),
    JSON.stringify({ turns: [{ speaker: '张伟', text: '请出示身份证件。', t: 1200 }] }),
  );
  await fsp.writeFile(
    join(workDir, 'strokes.json'),
    JSON.stringify([{ page: 1, points: [{ x: 1, y: 2, time: 3, pressure: 0.5 }] }]),
  );
  await fsp.writeFile(
    join(workDir, 'preflight.json'),
    JSON.stringify({ storageFreeBytes: 1e11, devices: ['CAM-01', 'CAM-02', 'MIC-01'] }),
  );
  let t = Date.UTC(2026, 10, 23, 1, 0, 0);
  const log = await EventLogWriter.open(join(workDir, 'events.jsonl'), {
    now: () => t,
    checkpointEveryMs: 5 * 60_000,
  });
  await log.append({
    type: 'recording.started',
    t: 0,
    data: { sources: ['CAM-01', 'CAM-02', 'MIC-01'] },
  });
  for (let i = 1; i <= 12; i++) {
    t += 60_000;
    await log.append({ type: 'marker', t: i * 60_000, data: { note: `第 ${i} 分钟` } });
  }
  t += 60_000;
  await log.append({ type: 'recording.stopped', t: 13 * 60_000 });
  await log.close();
  const options: SealOptions = {
    sourceFiles: [
      { path: cam1, name: 'media/CAM-01.mp4' },
      { path: cam2, name: 'media/CAM-02.mp4' },
      { path: cam1, name: 'media/program.mp4' },
      { path: pdf, name: 'transcript/询问笔录.pdf' },
      { path: join(workDir, 'transcript.json'), name: 'transcript/transcript.json' },
      { path: join(workDir, 'strokes.json'), name: 'signatures/strokes.json' },
      { path: join(workDir, 'preflight.json'), name: 'preflight.json' },
      ...(opts.extraFiles ?? []),
    ],
    bagInfo: buildBagInfo(sampleRecord()),
    eventLog: { path: join(workDir, 'events.jsonl') },
    signer: pki.signer,
    outDir,
    bagName: opts.bagName ?? '2026-11-23_S1',
    now: () => Date.UTC(2026, 10, 23, 1, 50, 0),
    timeZone: 'Asia/Shanghai',
    softwareAgent: 'Attest 0.1.0 (test)',
  };
  return { workDir, pki, options };
}

/** Seals the sample session into `outDir`. */
export async function sealSample(
  outDir: string,
  opts: Parameters<typeof sampleSession>[1] = {},
): Promise<SealResult & { session: SampleSession }> {
  const session = await sampleSession(outDir, opts);
  return { ...(await sealBag(session.options)), session };
}

export { run as execFileAsync };

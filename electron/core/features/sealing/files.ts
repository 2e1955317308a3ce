/**
 * The files a seal copies into the bag, each checked against what was recorded when it was
 * written: a file changed since is refused here (CONFLICT), not sealed as if it were the
 * recording or the signed record.
 */
import { closeSync, existsSync, openSync, promises as fsp, readSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SourceFile } from '../../platform/bagit/bagit';
import type { SessionRecord } from './record';

/** A path recorded relative to the data directory ('/'-separated), made absolute. */
export function dataPath(dataDir: string, rel: string): string {
  return join(dataDir, ...rel.split('/'));
}

/** How much of a fragmented MP4's start is read for its sample entries (its moov is a few KB). */
const HEAD_BYTES = 64 * 1024;

/**
 * The Opus pre-skip of a sound file (its dOps box: version, channels, then the pre-skip in
 * 48 kHz samples, big-endian), in µs: its packets run that much past its last sample. 0 when
 * the file is not there or has no Opus track.
 */
export function opusPreSkipUs(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    const at = head.subarray(0, n).indexOf('dOps');
    return at < 0 || at + 8 > n ? 0 : (head.readUInt16BE(at + 6) * 1e6) / 48_000;
  } finally {
    closeSync(fd);
  }
}

/**
 * Step 2a: the media, every closed segment that holds bytes, checked against the size
 * recorded while it was written now, and against its SHA-256 as it is copied into the bag;
 * and the bytes crash recovery cut from a segment (`<file>.cut-N`, kept beside it: nothing
 * recorded is left out of the evidence, even what no player can read), each against the
 * SHA-256 recorded when it was cut.
 */
export async function collectMediaFiles(dataDir: string, r: SessionRecord): Promise<SourceFile[]> {
  const written = r.segments.filter((s) => s.state !== 'open' && s.bytes > 0);
  const sources: SourceFile[] = [];
  const changed: string[] = [];
  for (const s of r.segments) {
    if (s.state === 'open' || !s.recovery) continue;
    const recovery = JSON.parse(s.recovery) as {
      cutFiles?: string[];
      cutFilesSha256?: Record<string, string>;
    };
    for (const rel of recovery.cutFiles ?? []) {
      const path = dataPath(dataDir, rel);
      if (!existsSync(path)) {
        changed.push(`${rel} (kept by crash recovery, now missing)`);
        continue;
      }
      const expected = recovery.cutFilesSha256?.[rel];
      sources.push({
        path,
        name: `media/${basename(rel)}`,
        ...(expected ? { expectedSha256: expected } : {}),
      });
    }
  }
  for (const s of written) {
    const path = dataPath(dataDir, s.path);
    const st = await fsp.stat(path);
    if (st.size !== s.bytes) changed.push(s.path);
    sources.push({
      path,
      name: `media/${basename(s.path)}`,
      ...(s.sha256 !== null ? { expectedSha256: s.sha256 } : {}),
      ...(s.sha512 !== null ? { expectedSha512: s.sha512 } : {}),
    });
  }
  if (changed.length > 0) {
    throw new AppError(
      'CONFLICT',
      `media files differ from what was recorded (size, or missing): ${changed.join(', ')}; nothing is sealed`,
    );
  }
  return sources;
}

/**
 * Step 2b: the signed record (the PDF as signed), its text and the strokes. The transcript's
 * JSON and the strokes are sealed as written when the record was signed: their hashes are on
 * the finish act, and a missing or changed file is not sealed.
 */
export async function collectTranscriptFiles(
  dataDir: string,
  r: SessionRecord,
): Promise<SourceFile[]> {
  const { signing } = r;
  const pdfPath = signing?.pdf_path
    ? dataPath(dataDir, signing.pdf_path)
    : join(dataDir, 'sessions', String(r.session.id), 'transcript.pdf');
  // Each is compared with its SHA-256 as it is copied into the bag.
  const sources: SourceFile[] = [
    {
      path: pdfPath,
      name: 'transcript/transcript.pdf',
      ...(signing?.pdf_sha256 ? { expectedSha256: signing.pdf_sha256 } : {}),
    },
  ];
  const docDir = join(pdfPath, '..');
  for (const name of ['transcript.json', 'signatures.json']) {
    const path = join(docDir, name);
    const expected = r.signedFiles[name];
    if (expected !== undefined && !existsSync(path)) {
      throw new AppError(
        'CONFLICT',
        `${name} is missing: it was written when the record was signed; nothing is sealed`,
      );
    }
    if (existsSync(path))
      sources.push({
        path,
        name: `transcript/${name}`,
        ...(expected !== undefined ? { expectedSha256: expected } : {}),
      });
  }
  // A hearing's report, as its moderator signed it (R2.3): the PDF and its text.
  const report = r.hearingReport;
  if (report) {
    const pdf = dataPath(dataDir, report.pdf_path);
    for (const [path, name, sha] of [
      [pdf, 'hearing/hearing-report.pdf', report.pdf_sha256],
      [join(pdf, '..', 'hearing-report.json'), 'hearing/hearing-report.json', report.json_sha256],
    ] as const) {
      if (!existsSync(path))
        throw new AppError(
          'CONFLICT',
          `${name} is missing: it was written when the moderator signed the report; nothing is sealed`,
        );
      sources.push({ path, name, expectedSha256: sha });
    }
  }
  return sources;
}

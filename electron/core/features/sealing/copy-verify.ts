/**
 * The verifier's check of a party copy (a bag whose bag-info names Copy-Of-Bag): the
 * source's tag manifest under `source/` is the one named (its SHA-512), it lists the
 * source's bag-info and manifest as they are there, the source's signature over it is valid
 * and its signer trusted, and every copied file is byte-identical to the source manifest's
 * entry for the same path. A bag that is not a copy is left alone.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import {
  bagInfoValue,
  bagInfoValues,
  parseManifest,
  type ParsedBagInfo,
} from '../../platform/bagit/bagformat';
import { LABELS } from '../../platform/bagit/baginfo';
import { SIGNATURE_FILE, TAG_MANIFEST } from '../../platform/bagit/bagit';
import { fromPosix } from '../../platform/fs';
import { verifyDetachedCms } from '../../platform/pki/cms-verify';
import type { VerifyContext } from './verify-report';

const SOURCE = 'source';

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');

export async function checkCopy(
  ctx: VerifyContext,
  info: ParsedBagInfo | null,
  /** Whether the agency register vouches for a signer (the verifier's own rule). */
  registerVouches: (cms: Buffer, tag: Buffer, fingerprint: string | null) => Promise<boolean>,
): Promise<void> {
  if (!info) return;
  const sourceBag = bagInfoValue(info, LABELS.copyOf);
  if (sourceBag === undefined) return;
  const { add, opts } = ctx;
  const named = (bagInfoValue(info, LABELS.copyOfTagManifest) ?? '').trim().toLowerCase();
  const leftOut = bagInfoValues(info, LABELS.copyLeftOut).filter((v) => v.trim() !== '无');
  const copy: NonNullable<typeof ctx.report.copy> = {
    sourceBag: sourceBag.trim(),
    sourceTagManifestSha512: named,
    files: 0,
    identical: 0,
    leftOut,
    sourceSigner: null,
  };
  ctx.report.copy = copy;
  const read = (rel: string) => fsp.readFile(join(ctx.path, fromPosix(rel))).catch(() => null);

  const tag = await read(`${SOURCE}/${TAG_MANIFEST}`);
  if (!tag) {
    add('error', 'copy-source-missing', `${SOURCE}/${TAG_MANIFEST}`);
    return;
  }
  if (sha512(tag) !== named) {
    add(
      'error',
      'copy-source-mismatch',
      `${SOURCE}/${TAG_MANIFEST}`,
      `SHA-512 ${sha512(tag)}, bag-info names ${named || '(none)'}`,
    );
  }
  const tagEntries = new Map(
    parseManifest(tag.toString('utf8'), 'sha512').entries.map((e) => [e.path, e.digest]),
  );
  for (const rel of ['bag-info.txt', 'manifest-sha512.txt']) {
    const bytes = await read(`${SOURCE}/${rel}`);
    if (!bytes) add('error', 'copy-source-missing', `${SOURCE}/${rel}`);
    else if (tagEntries.get(rel) !== sha512(bytes)) {
      add(
        'error',
        'copy-source-mismatch',
        `${SOURCE}/${rel}`,
        'not the file the source tag manifest lists',
      );
    }
  }

  const cms = await read(`${SOURCE}/${SIGNATURE_FILE}`);
  if (!cms) add('error', 'copy-source-missing', `${SOURCE}/${SIGNATURE_FILE}`);
  else {
    const v = await verifyDetachedCms(cms, tag, { trustAnchors: opts.trustAnchors ?? [] });
    copy.sourceSigner = v.signer;
    const fp = v.signer?.fingerprintSha256 ?? null;
    const own = ctx.report.signature;
    const trusted =
      v.chainValid === true ||
      (fp !== null && (opts.expectFingerprints ?? []).map(norm).includes(norm(fp))) ||
      (fp !== null && own?.trustedBy != null && own.signer?.fingerprintSha256 === fp) ||
      (opts.register ? await registerVouches(cms, tag, fp) : false);
    if (!v.signatureValid)
      add('error', 'copy-source-signature-invalid', `${SOURCE}/${SIGNATURE_FILE}`, v.error ?? '');
    else if (!trusted && own?.trustedBy != null) {
      add(
        'error',
        'copy-source-untrusted',
        `${SOURCE}/${SIGNATURE_FILE}`,
        `${v.signer?.subject ?? ''}, SHA-256 ${fp ?? ''}`,
      );
    }
  }

  const sourceManifest = await read(`${SOURCE}/manifest-sha512.txt`);
  const ownManifest = await read('manifest-sha512.txt');
  if (!sourceManifest || !ownManifest) return;
  const source = new Map(
    parseManifest(sourceManifest.toString('utf8'), 'sha512').entries.map((e) => [e.path, e.digest]),
  );
  const eventLog = bagInfoValue(info, LABELS.eventLog)?.trim();
  for (const e of parseManifest(ownManifest.toString('utf8'), 'sha512').entries) {
    if (e.path === eventLog) continue;
    copy.files += 1;
    const expected = source.get(e.path);
    if (expected === undefined)
      add('error', 'copy-file-differs', e.path, `not a file of ${copy.sourceBag}`);
    else if (expected !== e.digest)
      add(
        'error',
        'copy-file-differs',
        e.path,
        `SHA-512 ${e.digest}, the source lists ${expected}`,
      );
    else copy.identical += 1;
  }
}

const norm = (hex: string) => hex.replace(/:/g, '').toLowerCase();

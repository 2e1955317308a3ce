/**
 * What a remote copy of a bag must match. Payload digests come from the bag's own
 * manifest-sha256.txt (not from re-reading the local files), so a copy counts as stored
 * only if it matches what was sealed; tag files are small and are hashed here, after
 * checking them against the tag manifest.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../platform/bagit/bagformat';
import { fromPosix, hashFile, walkFiles } from '../../platform/fs';
import type { ExpectedManifest } from './targets/port';

export class LocalBagError extends Error {}

export async function expectedManifestOf(
  bagPath: string,
  bagName: string,
): Promise<ExpectedManifest> {
  const read = (rel: string) => fsp.readFile(join(bagPath, fromPosix(rel)), 'utf8');
  const payload = parseManifest(await read('manifest-sha256.txt'), 'sha256');
  const tags = parseManifest(await read('tagmanifest-sha512.txt'), 'sha512');
  if (payload.problems.length > 0 || tags.problems.length > 0) {
    throw new LocalBagError(`the local bag ${bagPath} has a malformed manifest`);
  }
  const payloadDigests = new Map(payload.entries.map((e) => [e.path, e.digest]));
  const tagDigests = new Map(tags.entries.map((e) => [e.path, e.digest]));
  const others: string[] = [];
  const files = await walkFiles(bagPath, (rel, kind) => others.push(`${rel} (${kind})`));
  if (others.length > 0) throw new LocalBagError(`the local bag holds ${others.join(', ')}`);
  const out: ExpectedManifest['files'] = [];
  for (const f of files) {
    const listed = payloadDigests.get(f.rel);
    if (listed) {
      out.push({ path: f.rel, size: f.size, sha256: listed });
      payloadDigests.delete(f.rel);
      continue;
    }
    if (f.rel.startsWith('data/'))
      throw new LocalBagError(`${f.rel} is in the local bag but not in its manifest`);
    const d = await hashFile(f.abs);
    const tag = tagDigests.get(f.rel);
    if (tag !== undefined && tag !== d.sha512) {
      throw new LocalBagError(`${f.rel} in the local bag no longer matches its tag manifest`);
    }
    out.push({ path: f.rel, size: f.size, sha256: d.sha256 });
  }
  if (payloadDigests.size > 0) {
    throw new LocalBagError(`the local bag lacks ${[...payloadDigests.keys()].join(', ')}`);
  }
  return { bagName, files: out, totalBytes: out.reduce((a, f) => a + f.size, 0) };
}

/**
 * Hashing files on worker threads, several at once: Node hashes on the thread that calls
 * `update`, so one thread hashes one file at a time (~1.2 GB/s SHA-256 here); a seal that
 * checks four camera files uses the machine's cores instead. The worker's code is inline
 * (evaluated), so it needs no separate bundle in the app or the web host.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
parentPort.on('message', (job) => {
  const hashes = job.algorithms.map((a) => createHash(a));
  let bytes = 0;
  createReadStream(job.path, { highWaterMark: 4 * 1024 * 1024 })
    .on('data', (chunk) => {
      bytes += chunk.length;
      for (const h of hashes) h.update(chunk);
    })
    .on('error', (e) => parentPort.postMessage({ id: job.id, error: String((e && e.message) || e) }))
    .on('end', () =>
      parentPort.postMessage({ id: job.id, bytes, digests: hashes.map((h) => h.digest('hex')) }),
    );
});
`;

export type HashAlgorithm = 'sha256' | 'sha512';

export interface FileDigests {
  bytes: number;
  /** Hex digests, in the order the algorithms were asked for. */
  digests: string[];
}

/**
 * Hashes each file with the algorithms asked, on up to `threads` workers (the machine's
 * cores by default); resolves in the order of `files`, rejects with the first file that
 * cannot be read.
 */
export async function hashFilesOnWorkers(
  files: readonly { path: string; algorithms: readonly HashAlgorithm[] }[],
  threads = availableParallelism(),
): Promise<FileDigests[]> {
  if (files.length === 0) return [];
  const results: FileDigests[] = new Array<FileDigests>(files.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.max(1, Math.min(threads, files.length)) },
    () => new Worker(WORKER_SOURCE, { eval: true }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const take = () => {
              if (next >= files.length) return resolve();
              const id = next++;
              const f = files[id]!;
              w.postMessage({ id, path: f.path, algorithms: f.algorithms });
            };
            w.on('message', (m: { id: number; error?: string } & Partial<FileDigests>) => {
              if (m.error !== undefined)
                return reject(new Error(`${files[m.id]!.path}: ${m.error}`));
              results[m.id] = { bytes: m.bytes!, digests: m.digests! };
              take();
            });
            w.once('error', reject);
            take();
          }),
      ),
    );
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

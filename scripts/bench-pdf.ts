/**
 * Benchmark: a 30-page transcript with every signature (per page, 30-strip seam, correction
 * initials, closing statement, officers) rendered and PAdES-signed.
 *
 *   node scripts/bench-pdf.ts [--pages 30] [--runs 5] [--out /tmp/bench.pdf]
 *
 * Runs on Node 24 directly (type stripping, no build step): a resolve hook lets the
 * extensionless imports of the TypeScript sources find their .ts files. Prints one line per
 * run and ends with `pdf: pages=30 ms=<median warm> kb=<size>`.
 */
import { registerHooks } from 'node:module';
import type * as PdfModule from '../electron/core/platform/pdf';
import type * as PkiModule from '../electron/core/platform/pki';
import type * as FixtureModule from '../tests/integration/platform/pdf/fixture';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (err) {
      if (!specifier.startsWith('.') || /\.[cm]?[jt]s$/.test(specifier)) throw err;
      for (const suffix of ['.ts', '/index.ts']) {
        try {
          return nextResolve(specifier + suffix, context);
        } catch {
          // try the next form
        }
      }
      throw err;
    }
  },
});

// Paths as variables: TypeScript takes the types from the `import type` lines, Node loads .ts.
const pdfPath = '../electron/core/platform/pdf/index.ts';
const pkiPath = '../electron/core/platform/pki/index.ts';
const fixturePath = '../tests/integration/platform/pdf/fixture.ts';
const pdfMod = (await import(pdfPath)) as typeof PdfModule;
const pki = (await import(pkiPath)) as typeof PkiModule;
const fixture = (await import(fixturePath)) as typeof FixtureModule;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const wantPages = Number(arg('pages', '30'));
const runs = Number(arg('runs', '5'));
const out = arg('out', '');

const transcript = fixture.transcriptOfPages(wantPages); // layout only; not timed
const doc = { transcript, signatures: fixture.signAll(transcript) };

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
const identity = await pki.loadOrCreateIdentity(dir, { hostname: 'bench' });
const times: number[] = [];
let last: Awaited<ReturnType<typeof pdfMod.renderTranscriptPdf>> | null = null;
for (let i = 0; i <= runs; i++) {
  const t0 = performance.now();
  last = await pdfMod.renderTranscriptPdf(doc, { signer: identity.signer });
  const ms = performance.now() - t0;
  console.log(
    `run ${i}${i === 0 ? ' (cold: font parse, JIT)' : ''}: ${ms.toFixed(0)} ms, ${(last.pdf.length / 1024).toFixed(0)} KB, ${last.pageCount} pages`,
  );
  if (i > 0) times.push(ms);
}
rmSync(dir, { recursive: true, force: true });
if (out && last) writeFileSync(out, last.pdf);
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
const strokes = doc.signatures.kind === 'signed' ? doc.signatures : null;
const points = strokes
  ? [
      ...strokes.pages.map((p) => p.signature),
      strokes.closing.handwriting,
      ...(strokes.seam ? [strokes.seam] : []),
      ...Object.values(strokes.corrections),
      ...strokes.officers.map((o) => o.signature),
    ].reduce((n, h) => n + h.strokes.reduce((m, s) => m + s.length, 0), 0)
  : 0;
console.log(
  `input: ${transcript.turns.length} turns, ${transcript.turns.reduce((n, t) => n + t.text.length, 0)} characters, ${points} stroke points`,
);
console.log(
  `pdf: pages=${last?.pageCount ?? 0} ms=${median.toFixed(0)} kb=${((last?.pdf.length ?? 0) / 1024).toFixed(0)}`,
);

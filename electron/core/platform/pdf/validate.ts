import type { FontMetrics } from './fonts';
import type { Handwriting, TranscriptDocument } from './model';
import { SIGNATURES_SCHEMA, TRANSCRIPT_SCHEMA } from './model';

/** Why a transcript cannot be rendered; `code` is stable, `problems` lists each finding. */
export type PdfInputErrorCode = 'INVALID_TRANSCRIPT' | 'MISSING_GLYPHS' | 'PAGE_COUNT_MISMATCH';

/** A transcript the renderer refuses, with every problem found (not just the first). */
export class PdfInputError extends Error {
  readonly code: PdfInputErrorCode;
  readonly problems: string[];
  constructor(code: PdfInputErrorCode, problems: string[]) {
    super(`${code}: ${problems.join('; ')}`);
    this.name = 'PdfInputError';
    this.code = code;
    this.problems = problems;
  }
}

function checkHandwriting(h: Handwriting | undefined, what: string, out: string[]): void {
  if (!h) {
    out.push(`${what}: missing`);
    return;
  }
  if (!(h.canvas?.width > 0 && h.canvas?.height > 0)) out.push(`${what}: canvas size missing`);
  const points = h.strokes?.reduce((n, s) => n + s.length, 0) ?? 0;
  if (points === 0) out.push(`${what}: no strokes`);
  for (const s of h.strokes ?? []) {
    for (const p of s) {
      if (![p.x, p.y, p.t, p.pressure].every(Number.isFinite)) {
        out.push(`${what}: a point has a non-numeric coordinate`);
        return;
      }
    }
  }
  if (Number.isNaN(new Date(h.signedAt).getTime())) out.push(`${what}: signedAt is not a date`);
}

/**
 * Check what can be checked before layout: structure, corrections against their turns,
 * signatures present for every correction and officer, and that the font has every
 * character (a legal record must never print a blank box where a name was).
 */
export function validateDocument(
  doc: TranscriptDocument,
  metrics: FontMetrics,
  opts: {
    /** False for a blank preview: the handwriting is not there yet and is not checked. */
    handwriting?: boolean;
  } = {},
): void {
  const withInk = opts.handwriting !== false;
  const problems: string[] = [];
  const { transcript: t, signatures: s } = doc;
  if (t.schema !== TRANSCRIPT_SCHEMA)
    problems.push(`transcript.schema must be ${TRANSCRIPT_SCHEMA}`);
  if (s.schema !== SIGNATURES_SCHEMA)
    problems.push(`signatures.schema must be ${SIGNATURES_SCHEMA}`);
  if (t.header.officers.length < 2) problems.push('two or more officers are required (R1.3)');

  const turns = new Map(t.turns.map((turn) => [turn.id, turn]));
  if (turns.size !== t.turns.length) problems.push('turn ids are not unique');
  const spans = new Map<string, [number, number][]>();
  for (const c of t.corrections) {
    const turn = turns.get(c.turnId);
    if (!turn) {
      problems.push(`correction ${c.id}: no turn ${c.turnId}`);
      continue;
    }
    if (!(c.start >= 0 && c.start <= c.end && c.end <= turn.text.length)) {
      problems.push(`correction ${c.id}: range ${c.start}–${c.end} outside the turn`);
      continue;
    }
    if (turn.text.slice(c.start, c.end) !== c.newText) {
      problems.push(`correction ${c.id}: the turn's text at ${c.start}–${c.end} is not newText`);
    }
    if (!c.originalText && !c.newText) problems.push(`correction ${c.id}: changes nothing`);
    const list = spans.get(c.turnId) ?? [];
    if (list.some(([a, b]) => c.start < b && a < c.end)) {
      problems.push(`correction ${c.id}: overlaps another correction`);
    }
    list.push([c.start, c.end]);
    spans.set(c.turnId, list);
  }

  const slots = new Set([
    ...t.header.officers.map((o) => o.certificateNo),
    t.header.recorder.certificateNo,
    ...(t.header.moderator ? [t.header.moderator.certificateNo] : []),
    ...(t.header.panel ?? []).map((o) => o.certificateNo),
  ]);
  if (withInk && s.officers.length < 2) problems.push('two or more officers must sign (R2.2)');
  for (const o of withInk ? s.officers : []) {
    if (!slots.has(o.officer.certificateNo)) {
      problems.push(`officer ${o.officer.name} (${o.officer.certificateNo}) is not in the header`);
    }
    checkHandwriting(o.signature, `signature of ${o.officer.name}`, problems);
  }
  const texts: string[] = [JSON.stringify(t.header), t.header.agency ?? ''];
  for (const p of t.procedures)
    texts.push(p.statement, p.response ?? '', p.speaker, p.responder ?? '');
  for (const turn of t.turns) texts.push(turn.speaker, turn.text);
  for (const step of [...(t.steps ?? []), ...(t.notices ?? [])])
    texts.push(step.name, step.answer ?? '');
  for (const c of t.corrections) texts.push(c.originalText);

  if (s.kind === 'signed' && !withInk) {
    texts.push(s.closing?.text ?? '');
  } else if (s.kind === 'signed') {
    for (const c of t.corrections) {
      checkHandwriting(s.corrections[c.id], `initials at correction ${c.id}`, problems);
    }
    checkHandwriting(s.closing?.handwriting, 'closing statement', problems);
    if (!s.closing?.text) problems.push('closing statement text is empty');
    texts.push(s.closing?.text ?? '');
    s.pages.forEach((p, i) => {
      if (p.page !== i + 1) problems.push(`page signatures must be pages 1..n in order`);
      checkHandwriting(p.signature, `signature on page ${p.page}`, problems);
    });
    if (s.seam) checkHandwriting(s.seam, 'seam signature', problems);
  } else {
    if (!s.reason?.trim()) problems.push('the refusal needs a reason');
    texts.push(s.reason ?? '');
  }
  const signers = t.header.signers ?? [];
  const others = s.others ?? [];
  if (withInk && others.length !== signers.length)
    problems.push(
      `${signers.length} others sign in turn, but ${others.length} signatures are given`,
    );
  others.forEach((o, i) => {
    if (o.signer !== i + 1) problems.push('the other signers must be 1..n in order');
    const who = `signer ${o.signer}`;
    if (o.kind === 'refused') {
      if (!o.reason?.trim()) problems.push(`${who}: the refusal needs a reason`);
      texts.push(o.reason ?? '');
      return;
    }
    texts.push(o.closing?.text ?? '');
    if (!withInk) return;
    checkHandwriting(o.closing?.handwriting, `${who}: closing statement`, problems);
    o.pages.forEach((p, k) => {
      if (p.page !== k + 1) problems.push(`${who}: page signatures must be pages 1..n in order`);
      checkHandwriting(p.signature, `${who}: signature on page ${p.page}`, problems);
    });
    if (o.seam) checkHandwriting(o.seam, `${who}: seam signature`, problems);
  });
  if (problems.length) throw new PdfInputError('INVALID_TRANSCRIPT', problems);

  // Only header values are printed, but scanning the JSON of the header is simpler and
  // its punctuation is all ASCII, which the font has.
  const missing = metrics.missing(texts.join(''));
  if (missing.length) {
    throw new PdfInputError(
      'MISSING_GLYPHS',
      missing.map(
        (ch) =>
          `字体缺少字符 no glyph for “${ch}” (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
      ),
    );
  }
}

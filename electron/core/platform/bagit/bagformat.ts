/**
 * The text formats of a BagIt 1.0 bag (RFC 8493): bagit.txt, manifests and bag-info.txt.
 * Pure functions, shared by the sealer and the verifier so both read and write exactly the
 * same syntax.
 */

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** The checksum algorithms Attest writes, strongest first. */
export const ALGORITHMS = ['sha512', 'sha256'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Hex digest lengths, to reject a truncated or mangled line early. */
export const DIGEST_HEX_LENGTH: Readonly<Record<Algorithm, number>> = { sha512: 128, sha256: 64 };

/**
 * RFC 8493 §2.1.3: in manifests, CR, LF and '%' in a file path are percent-encoded; nothing
 * else is (UTF-8 names, spaces and Chinese included, stay as they are).
 */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(path: string): string {
  return path.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

export interface ManifestEntry {
  /** Path relative to the bag root, '/'-separated (e.g. `data/media/cam1.mp4`). */
  path: string;
  digest: string;
}

/** One manifest as text: `digest path` lines, sorted by path so the file is reproducible. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.digest}  ${encodeManifestPath(e.path)}\n`)
    .join('');
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  /** Line-level problems: `line` is 1-based. */
  problems: { line: number; reason: string }[];
}

/**
 * Parses a manifest. Paths must be relative, stay inside the bag (no `..`, no absolute, no
 * backslash tricks) and appear once; a digest must be lower- or upper-case hex of the
 * algorithm's length.
 */
export function parseManifest(text: string, algorithm: Algorithm): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const problems: ParsedManifest['problems'] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      problems.push({ line: i + 1, reason: 'not "checksum path"' });
      return;
    }
    const digest = m[1]!.toLowerCase();
    const path = decodeManifestPath(m[2]!);
    if (digest.length !== DIGEST_HEX_LENGTH[algorithm]) {
      problems.push({
        line: i + 1,
        reason: `a ${algorithm} digest has ${DIGEST_HEX_LENGTH[algorithm]} hex digits`,
      });
      return;
    }
    if (!isSafeRelativePath(path)) {
      problems.push({ line: i + 1, reason: `unsafe path ${JSON.stringify(path)}` });
      return;
    }
    if (seen.has(path)) {
      problems.push({ line: i + 1, reason: `${path} is listed twice` });
      return;
    }
    seen.add(path);
    entries.push({ path, digest });
  });
  return { entries, problems };
}

/** A relative '/'-path that cannot escape the directory it is resolved against. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) {
    return false;
  }
  if (/^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** RFC 8493 recommends lines of at most 79 characters. */
export const FOLD_WIDTH = 79;

/** Bag metadata: a label maps to one value or several (written as repeated lines). */
export type BagInfo = Record<string, string | readonly string[]>;

/** A label may not contain ':' or line breaks, nor start or end with whitespace (§2.2.2). */
export function isValidLabel(label: string): boolean {
  return label.length > 0 && !/[:\r\n]/.test(label) && label.trim() === label;
}

/**
 * Folds one `Label: value` element. Long lines are broken only *before* existing
 * whitespace, so the continuation line starts with that whitespace and unfolding (removing
 * the line break alone, as §2.2.2 and RFC 5322 do) gives back the exact value. A run with
 * no whitespace (Chinese text usually has none) is left longer than 79 characters: the
 * width is a recommendation, and inserting whitespace would change the value for readers
 * that keep the indentation.
 */
export function foldElement(label: string, value: string): string {
  const line = `${label}: ${value}`;
  if ([...line].length <= FOLD_WIDTH) return `${line}\n`;
  // Tokens of the value: optional whitespace then non-whitespace (a break may precede each).
  // The first token stays on the label's line: "Label:" must be followed by one space and
  // the value on the same line.
  const tokens = value.match(/[ \t]*[^ \t]+|[ \t]+$/g) ?? [value];
  const out: string[] = [];
  let current = `${label}: ${tokens[0] ?? ''}`;
  let currentLen = [...current].length;
  for (const token of tokens.slice(1)) {
    const len = [...token].length;
    if (currentLen + len > FOLD_WIDTH && /^[ \t]/.test(token)) {
      out.push(current);
      current = token;
      currentLen = len;
    } else {
      current += token;
      currentLen += len;
    }
  }
  out.push(current);
  return `${out.join('\n')}\n`;
}

/**
 * bag-info.txt as text. Values have internal line breaks collapsed to a space: a line break
 * would otherwise end the element, and bag metadata is a single line of text by design.
 */
export function formatBagInfo(info: BagInfo): string {
  let text = '';
  for (const [label, value] of Object.entries(info)) {
    if (!isValidLabel(label)) throw new Error(`invalid bag-info label ${JSON.stringify(label)}`);
    for (const v of typeof value === 'string' ? [value] : value) {
      text += foldElement(label, v.replace(/\r\n|\r|\n/g, ' '));
    }
  }
  return text;
}

export interface ParsedBagInfo {
  /** In file order; a repeated label appears several times. */
  elements: { label: string; value: string; line: number }[];
  problems: { line: number; reason: string }[];
}

/** Parses bag-info.txt, unfolding continuation lines. */
export function parseBagInfo(text: string): ParsedBagInfo {
  const elements: ParsedBagInfo['elements'] = [];
  const problems: ParsedBagInfo['problems'] = [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    if (/^[ \t]/.test(line)) {
      const last = elements.at(-1);
      if (last) last.value += line;
      else problems.push({ line: i + 1, reason: 'continuation line before any element' });
      return;
    }
    const colon = line.indexOf(':');
    if (
      colon <= 0 ||
      !/^[ \t]/.test(line.slice(colon + 1)) ||
      !isValidLabel(line.slice(0, colon))
    ) {
      problems.push({ line: i + 1, reason: 'not "Label: value"' });
      return;
    }
    elements.push({ label: line.slice(0, colon), value: line.slice(colon + 2), line: i + 1 });
  });
  return { elements, problems };
}

/** The first value of a label, or undefined. Labels compare case-insensitively (bagit tools do). */
export function bagInfoValue(parsed: ParsedBagInfo, label: string): string | undefined {
  const l = label.toLowerCase();
  return parsed.elements.find((e) => e.label.toLowerCase() === l)?.value;
}

export function bagInfoValues(parsed: ParsedBagInfo, label: string): string[] {
  const l = label.toLowerCase();
  return parsed.elements.filter((e) => e.label.toLowerCase() === l).map((e) => e.value);
}

/** `Payload-Oxum: octets.streams` (§2.2.2). */
export function payloadOxum(bytes: number, files: number): string {
  return `${bytes}.${files}`;
}

/** `Bag-Size`, e.g. "2.1 GB" (decimal units, as the RFC's examples). */
export function bagSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

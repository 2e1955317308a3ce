/**
 * Document templates (执法文书模板): `resources/templates/documents/*.json`, files an agency
 * edits without code. Each names the fields a document asks for and the blocks it prints
 * them in; a file with a mistake is refused with a message that names the file and the place.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One value a document asks for. */
export interface DocumentField {
  /** What `{key}` in a block's text stands for: letters, digits and `_`. */
  key: string;
  /** The field's name in Chinese, as forms and error messages say it. */
  label: string;
  /** Line breaks in the value are kept (each line a paragraph of its own). */
  multiline?: boolean;
  /** A document cannot be issued with this field blank. */
  required?: boolean;
  /** Printed when the value is missing or blank (standard wording, e.g. the remedies). */
  default?: string;
}

/** What a document prints, in order; every string may name fields as `{key}`. */
export type DocumentBlock =
  /** Running text, wrapped; the first line indented two characters unless `indent` is false. */
  | { type: 'paragraph'; text: string; indent?: boolean }
  /** `label：value`, the value wrapping under itself. */
  | { type: 'row'; label: string; text: string }
  /** A line in bold, indented two characters. */
  | { type: 'heading'; text: string }
  /** A bordered grid of label and value (a form such as 送达回证). */
  | { type: 'table'; rows: [string, string][] }
  /** A bordered box to sign in; `key` names the handwriting drawn there, if any. */
  | { type: 'signature'; key: string; label: string };

/** One document template (one JSON file). */
export interface DocumentTemplate {
  /** The template's name in code, e.g. `penalty-decision`. */
  kind: string;
  /** e.g. 行政处罚决定书. */
  title: string;
  /** The middle of its 文号, e.g. 罚决字 (石人防罚决字〔2026〕12号); null where it has none. */
  docNoPrefix: string | null;
  /** A note for whoever edits the file; not printed. */
  description?: string;
  fields: DocumentField[];
  blocks: DocumentBlock[];
  /** The agency's name, the date and the seal at the end (true unless the file says false). */
  closing: boolean;
  /** It goes to the party, and the case waits for its proof of service (default false). */
  service: boolean;
  /** A decision: issuing it ends the matter and needs the approved decision form (default false). */
  endsMatter: boolean;
}

export const PLACEHOLDER = /\{([^{}]*)\}/g;
const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const KIND = /^[a-z][a-z0-9-]*$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks one template as read from `file` (its name is in every message): an agency edits
 * these by hand, so a mistake must say where it is and what is wrong.
 */
export function parseDocumentTemplate(raw: unknown, file: string): DocumentTemplate {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  const only = (o: Json, allowed: readonly string[], where: string): void => {
    const extra = Object.keys(o).find((k) => !allowed.includes(k));
    if (extra !== undefined)
      fail(`${where} has "${extra}", which is not one of ${allowed.join(', ')}`);
  };
  const str = (v: unknown, where: string): string =>
    typeof v === 'string' && v.trim() !== '' ? v : fail(`${where} must be a non-empty string`);
  const optBool = (v: unknown, where: string): boolean | undefined =>
    v === undefined || typeof v === 'boolean' ? v : fail(`${where} must be true or false`);

  if (!isObject(raw)) return fail('the template is not a JSON object');
  only(
    raw,
    [
      'kind',
      'title',
      'docNoPrefix',
      'description',
      'fields',
      'blocks',
      'closing',
      'service',
      'endsMatter',
    ],
    'the template',
  );
  const kind = str(raw.kind, '"kind"');
  if (!KIND.test(kind)) fail(`"kind" must be lower-case letters, digits and dashes, not "${kind}"`);
  const title = str(raw.title, '"title"');
  const docNoPrefix =
    raw.docNoPrefix === null ? null : str(raw.docNoPrefix, '"docNoPrefix" (or null)');
  if (raw.description !== undefined) str(raw.description, '"description"');
  const closing = optBool(raw.closing, '"closing"') ?? true;
  const service = optBool(raw.service, '"service"') ?? false;
  const endsMatter = optBool(raw.endsMatter, '"endsMatter"') ?? false;

  if (!Array.isArray(raw.fields)) return fail('"fields" must be a list');
  const fields = raw.fields.map((f: unknown, i): DocumentField => {
    const where = `field ${i + 1}`;
    if (!isObject(f)) return fail(`${where} is not an object`);
    only(f, ['key', 'label', 'multiline', 'required', 'default'], where);
    const key = str(f.key, `${where} "key"`);
    if (!KEY.test(key)) fail(`${where} key "${key}" must be letters, digits and _`);
    const field: DocumentField = { key, label: str(f.label, `${where} "label"`) };
    const multiline = optBool(f.multiline, `${where} "multiline"`);
    const required = optBool(f.required, `${where} "required"`);
    if (multiline !== undefined) field.multiline = multiline;
    if (required !== undefined) field.required = required;
    if (f.default !== undefined) field.default = str(f.default, `${where} "default"`);
    return field;
  });
  const declared = new Set<string>();
  for (const f of fields) {
    if (declared.has(f.key)) fail(`field key "${f.key}" is declared twice`);
    declared.add(f.key);
  }

  if (!Array.isArray(raw.blocks) || raw.blocks.length === 0) {
    return fail('"blocks" must be a list of at least one block');
  }
  const signatureKeys = new Set<string>();
  const blocks = raw.blocks.map((b: unknown, i): DocumentBlock => {
    const where = `block ${i + 1}`;
    if (!isObject(b)) return fail(`${where} is not an object`);
    const text = (v: unknown, name: string): string => {
      if (typeof v !== 'string') return fail(`${where} "${name}" must be a string`);
      for (const [, key] of v.matchAll(PLACEHOLDER)) {
        if (!declared.has(key!)) {
          fail(`${where} names field {${key}} that the template does not declare`);
        }
      }
      if (/[{}]/.test(v.replace(PLACEHOLDER, ''))) fail(`${where} has a { or } without its pair`);
      return v;
    };
    switch (b.type) {
      case 'paragraph': {
        only(b, ['type', 'text', 'indent'], where);
        const indent = optBool(b.indent, `${where} "indent"`);
        const block: DocumentBlock = { type: 'paragraph', text: text(b.text, 'text') };
        if (indent !== undefined) block.indent = indent;
        return block;
      }
      case 'row':
        only(b, ['type', 'label', 'text'], where);
        return { type: 'row', label: text(b.label, 'label'), text: text(b.text, 'text') };
      case 'heading':
        only(b, ['type', 'text'], where);
        return { type: 'heading', text: text(b.text, 'text') };
      case 'table': {
        only(b, ['type', 'rows'], where);
        if (!Array.isArray(b.rows) || b.rows.length === 0) {
          return fail(`${where} "rows" must be a list of [label, value] pairs`);
        }
        const rows = b.rows.map((r: unknown, k): [string, string] => {
          if (!Array.isArray(r) || r.length !== 2) {
            return fail(`${where} row ${k + 1} must be a [label, value] pair`);
          }
          return [text(r[0], `row ${k + 1} label`), text(r[1], `row ${k + 1} value`)];
        });
        return { type: 'table', rows };
      }
      case 'signature': {
        only(b, ['type', 'key', 'label'], where);
        const key = str(b.key, `${where} "key"`);
        if (!KEY.test(key)) fail(`${where} key "${key}" must be letters, digits and _`);
        if (signatureKeys.has(key)) fail(`${where} repeats the signature key "${key}"`);
        signatureKeys.add(key);
        return { type: 'signature', key, label: text(b.label, 'label') };
      }
      default:
        return fail(
          `${where} has type ${JSON.stringify(b.type)}; use paragraph, row, heading, table or signature`,
        );
    }
  });
  const template: DocumentTemplate = {
    kind,
    title,
    docNoPrefix,
    fields,
    blocks,
    closing,
    service,
    endsMatter,
  };
  if (typeof raw.description === 'string') template.description = raw.description;
  return template;
}

const templateCache = new Map<string, Record<string, DocumentTemplate>>();

/**
 * Every template in `<resourcesDir>/templates/documents/*.json`, by kind (cached per
 * folder). Throws on the first file that is not a valid template, naming it.
 */
export function loadDocumentTemplates(resourcesDir: string): Record<string, DocumentTemplate> {
  const dir = join(resourcesDir, 'templates', 'documents');
  const cached = templateCache.get(dir);
  if (cached) return cached;
  if (!existsSync(dir)) throw new Error(`no document templates: ${dir} does not exist`);
  const out: Record<string, DocumentTemplate> = {};
  const origin: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const t = parseDocumentTemplate(raw, file);
    if (origin[t.kind]) throw new Error(`${file}: kind "${t.kind}" is also ${origin[t.kind]}'s`);
    origin[t.kind] = file;
    out[t.kind] = t;
  }
  templateCache.set(dir, out);
  return out;
}

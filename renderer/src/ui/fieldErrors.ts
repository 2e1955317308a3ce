/**
 * Turns validation problems into messages next to form fields. Two sources feed it: the
 * client's own `safeParse` with the shared zod schemas (before anything is sent) and the
 * core's INVALID_INPUT / CONFLICT errors (when the core knows better, e.g. a duplicate case
 * number). Both become the same translatable {@link FieldMessage}, keyed by dotted path
 * (`origin.complainant`, `parties.0.idNumber`) so the form looks them up the same way.
 * Pure functions: the tests exercise them without a DOM.
 */
import type { z } from 'zod';
import type { ErrorCode } from '@shared/errors';
import type { Messages } from '../i18n/types';

type FieldKey = keyof Messages['errors']['field'];
type ConflictKey = keyof Messages['errors']['conflict'];

/** A message for one field, translated when rendered so a language switch re-labels it. */
export interface FieldMessage {
  key: `errors.field.${FieldKey}` | `errors.conflict.${ConflictKey}`;
  values?: { min?: number; max?: number };
  /** The original (English) text from zod or the core, shown when no plain wording fits. */
  detail?: string;
}

export type FieldErrors = Readonly<Record<string, FieldMessage>>;

/** The message at the top of a form: an error code's wording plus the core's own text. */
export type BannerMessage =
  | { key: `errors.code.${ErrorCode}`; detail?: string }
  | { key: 'errors.unexpected'; detail: string }
  | { key: 'app.connectionLost' };

export interface FormFailure {
  fields: FieldErrors;
  banner: BannerMessage | null;
}

export const NO_ERRORS: FieldErrors = Object.freeze({});

/**
 * Custom messages written in electron/shared (domain.ts and the feature schemas in api/). They reach us both
 * from the client's parse and inside the core's INVALID_INPUT issues.
 */
const KNOWN_MESSAGES: Readonly<Record<string, FieldKey>> = {
  'not a valid resident identity number': 'residentId',
  'not a valid unified social credit code': 'uscc',
  'an organisation is identified by its credit code': 'orgNeedsUscc',
  'a complaint records the complainant': 'complainantRequired',
  'the reason is required': 'reasonRequired',
  'an officer is listed twice': 'officerTwice',
  'letters, digits, dot, dash and underscore only': 'usernameChars',
  'letters, digits and dashes only': 'codeChars',
};

export function pathToKey(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** The value at an issue's path in the input, to tell "empty" from "too short". */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Plain-language wording of one zod issue; `input` is what was parsed (optional). */
export function describeZodIssue(issue: z.core.$ZodIssue, input?: unknown): FieldMessage {
  const known = KNOWN_MESSAGES[issue.message];
  if (known) return { key: `errors.field.${known}` };
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 || (input !== undefined && isBlank(valueAt(input, issue.path)))
          ? { key: 'errors.field.required' }
          : { key: 'errors.field.tooShort', values: { min } };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { key: 'errors.field.tooFew', values: { min } };
      return { key: 'errors.field.invalid', detail: issue.message };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { key: 'errors.field.tooLong', values: { max } };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { key: 'errors.field.tooMany', values: { max } };
      return { key: 'errors.field.invalid', detail: issue.message };
    }
    case 'invalid_format':
      return { key: 'errors.field.invalidFormat' };
    case 'invalid_value':
      // An enum left on its placeholder option.
      return { key: 'errors.field.choose' };
    case 'invalid_type':
      return issue.expected === 'string'
        ? { key: 'errors.field.required' }
        : { key: 'errors.field.choose' };
    default:
      return { key: 'errors.field.invalid', detail: issue.message };
  }
}

/** First problem per field wins: it is the one the user fixes first. */
export function fieldErrorsFromZod(
  error: z.ZodError,
  stripPrefix = '',
  input?: unknown,
): FieldErrors {
  const out: Record<string, FieldMessage> = {};
  for (const issue of error.issues) {
    const key = stripPathPrefix(pathToKey(issue.path), stripPrefix);
    if (!(key in out)) out[key] = describeZodIssue(issue, input);
  }
  return out;
}

/**
 * The core's issues carry only a path and zod's default English text. Known custom
 * messages and zod's size messages are re-worded; anything else keeps its text as detail.
 */
export function describeCoreIssue(message: string): FieldMessage {
  const known = KNOWN_MESSAGES[message];
  if (known) return { key: `errors.field.${known}` };
  const small = /^Too small: expected (string|array) to have >=?(\d+)/.exec(message);
  if (small) {
    const min = Number(small[2]);
    if (small[1] === 'string')
      return min <= 1
        ? { key: 'errors.field.required' }
        : { key: 'errors.field.tooShort', values: { min } };
    return { key: 'errors.field.tooFew', values: { min } };
  }
  const big = /^Too big: expected (string|array) to have <=?(\d+)/.exec(message);
  if (big) {
    const max = Number(big[2]);
    return big[1] === 'string'
      ? { key: 'errors.field.tooLong', values: { max } }
      : { key: 'errors.field.tooMany', values: { max } };
  }
  if (/^Invalid option/.test(message)) return { key: 'errors.field.choose' };
  return { key: 'errors.field.invalid', detail: message };
}

function stripPathPrefix(key: string, prefix: string): string {
  return prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** What a failed call looks like to {@link formFailure}: ApiError or anything thrown. */
export interface ErrorLike {
  code?: unknown;
  message?: unknown;
  issues?: unknown;
}

export interface FailureOptions {
  /** Prefix the core puts before this form's paths (e.g. `party.` for cases.addParty). */
  stripPrefix?: string;
  /** Fields rendered by the form; issues for other paths go to the banner. */
  fields?: readonly string[];
  /** The field a CONFLICT is about (the unique value), and how to word it. */
  conflict?: { field: string; key: ConflictKey };
}

/** Maps a rejected call onto the form: field messages plus a banner at the top. */
export function formFailure(error: unknown, options: FailureOptions = {}): FormFailure {
  const e: ErrorLike = typeof error === 'object' && error !== null ? (error as ErrorLike) : {};
  const code = typeof e.code === 'string' ? (e.code as ErrorCode) : null;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (!code) return { fields: NO_ERRORS, banner: { key: 'errors.unexpected', detail: message } };
  // The client rejects every call this way once the channel to the core has closed (the
  // host stopped or restarted); only a reload opens a new one.
  if (code === 'INTERNAL' && message.startsWith('connection closed'))
    return { fields: NO_ERRORS, banner: { key: 'app.connectionLost' } };

  if (code === 'INVALID_INPUT' && Array.isArray(e.issues)) {
    const fields: Record<string, FieldMessage> = {};
    const stray: string[] = [];
    for (const raw of e.issues as unknown[]) {
      const issue = raw as { path?: unknown; message?: unknown };
      const path = stripPathPrefix(
        typeof issue.path === 'string' ? issue.path : '',
        options.stripPrefix ?? '',
      );
      const text = typeof issue.message === 'string' ? issue.message : '';
      const owner = options.fields ? closestField(path, options.fields) : path;
      if (owner && !(owner in fields)) fields[owner] = describeCoreIssue(text);
      else if (!owner) stray.push(path ? `${path}: ${text}` : text);
    }
    const banner: BannerMessage = stray.length
      ? { key: 'errors.code.INVALID_INPUT', detail: stray.join('; ') }
      : { key: 'errors.code.INVALID_INPUT' };
    return { fields, banner };
  }
  if (code === 'CONFLICT' && options.conflict) {
    return {
      fields: { [options.conflict.field]: { key: `errors.conflict.${options.conflict.key}` } },
      banner: { key: 'errors.code.CONFLICT', detail: message },
    };
  }
  return { fields: NO_ERRORS, banner: { key: `errors.code.${code}`, detail: message } };
}

/**
 * The rendered field a core path belongs to: the path itself, or its nearest parent that
 * the form renders (an issue at `officers.1.officerId` shows at `officers.1` or `officers`).
 */
export function closestField(path: string, fields: readonly string[]): string | null {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (fields.includes(candidate)) return candidate;
  }
  return null;
}

/** Parses with a shared schema; on failure gives field messages instead of throwing. */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  stripPrefix = '',
): { ok: true; value: z.output<S> } | { ok: false; fields: FieldErrors } {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, fields: fieldErrorsFromZod(result.error, stripPrefix, input) };
}

/** Errors of one nested field group, with the group's prefix removed (`parties.0.`). */
export function nestedErrors(errors: FieldErrors, prefix: string): FieldErrors {
  const out: Record<string, FieldMessage> = {};
  for (const [key, value] of Object.entries(errors))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

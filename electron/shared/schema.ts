/** Building blocks of input schemas, used by the vocabulary and by every feature's API. */
import { z } from 'zod';

/** An input with no fields. */
export const empty = z.object({}).strict();
/** Required text, trimmed, of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);
/** Optional text, trimmed; an empty string counts as absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret the caller offers (a token, a pairing code) with the one expected, in
 * time that does not depend on where they first differ. A missing offer is never equal.
 */
export function sameSecret(expected: string, given: string | null | undefined): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

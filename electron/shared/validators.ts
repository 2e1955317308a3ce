/**
 * Checks for Chinese identity numbers, shared by the forms and the core so both reject the
 * same input. Pure functions: no node:, no DOM.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 citizen identity number: 18 characters, valid birth date, ISO 7064 MOD 11-2 check. */
export function isValidResidentId(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d
  )
    return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === v[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015 unified social credit code (统一社会信用代码) of an organisation. */
export function isValidUscc(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(v[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check] === v[17];
}

/**
 * What a valid resident identity number says of its holder (GB 11643): the date of birth
 * (digits 7–14) and the sex (the 17th digit: odd male, even female).
 */
export function residentIdFacts(value: string): { birthDate: string; gender: 'male' | 'female' } {
  const v = value.trim().toUpperCase();
  return {
    birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
    gender: Number(v[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** A person's sex and date of birth from their resident identity number, when not given. */
export function withResidentIdFacts<
  P extends {
    kind: string;
    idType: string;
    idNumber: string;
    gender?: 'male' | 'female' | undefined;
    birthDate?: string | undefined;
  },
>(p: P): P {
  if (p.kind !== 'person' || p.idType !== 'resident_id' || !isValidResidentId(p.idNumber)) return p;
  const facts = residentIdFacts(p.idNumber);
  return { ...p, gender: p.gender ?? facts.gender, birthDate: p.birthDate ?? facts.birthDate };
}

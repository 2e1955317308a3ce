import { describe, expect, it } from 'vitest';
import { isValidResidentId, isValidUscc } from '../../../electron/shared/validators';
import { residentId } from '../../helpers/core';

describe('identity numbers', () => {
  it('accepts resident IDs with a correct check digit and real birth date', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true); // GB 11643 standard example
    expect(isValidResidentId(residentId('44030419900101123'))).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
  });
  it('rejects wrong check digits, impossible dates and wrong lengths', () => {
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId(residentId('11010519490231002'))).toBe(false); // 31 February
    expect(isValidResidentId('1101051949123100')).toBe(false);
    expect(isValidResidentId('')).toBe(false);
  });
  it('checks unified social credit codes (GB 32100)', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100YI3')).toBe(false); // I is not in the code alphabet
  });
});

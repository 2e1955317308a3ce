/** Test data that must pass the shared validators (electron/shared/validators.ts). */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * A GB 11643 resident ID from its first 17 digits (area code, birth date, sequence),
 * completed with the ISO 7064 MOD 11-2 check character.
 */
export function residentId(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + ID_CHECK[sum % 11]!;
}

/** The same number with a wrong check character (still 18 characters, still digits). */
export function badResidentId(first17: string): string {
  const good = residentId(first17);
  const wrong = good.endsWith('0') ? '1' : '0';
  return first17 + wrong;
}

export const ADMIN = {
  username: 'admin',
  displayName: '系统管理员',
  password: 'correct-horse-battery',
};

export const OFFICERS = [
  { name: '张伟', certificateNo: 'ZF-1101-0001' },
  { name: '李娜', certificateNo: 'ZF-1101-0002' },
] as const;

export const PARTY = { name: '王小明', idNumber: residentId('11010519491231002') };

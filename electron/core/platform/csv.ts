/**
 * A CSV field: quoted when it holds a comma, quote or line break, quotes doubled; text a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is kept as text with a `'`.
 */
export function csvField(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

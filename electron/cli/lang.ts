/**
 * The language a command's report is written in: `--lang` when given, else the system's
 * locale as POSIX orders it (LC_ALL, LC_MESSAGES, LANG), else the operating system's own
 * (Windows sets no LANG). Chinese unless that locale is another language: a machine set to
 * the bare C/POSIX locale has said nothing, and Attest speaks Chinese first.
 */
export type ReportLanguage = 'zh-CN' | 'en';

export function reportLanguage(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  osLocale: string = Intl.DateTimeFormat().resolvedOptions().locale,
): ReportLanguage {
  if (flag !== undefined) {
    if (/^zh/i.test(flag)) return 'zh-CN';
    if (/^en/i.test(flag)) return 'en';
    throw new Error(`--lang ${flag}: use zh-CN or en`);
  }
  const posix = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  // The bare C/POSIX locale names no language (Node's own locale then reads en-US).
  if (posix && /^(C|POSIX)([._@]|$)/i.test(posix)) return 'zh-CN';
  const locale = posix ?? osLocale;
  return /^(zh|und)/i.test(locale) || !/^[a-z]{2,3}([-_]|$)/i.test(locale) ? 'zh-CN' : 'en';
}

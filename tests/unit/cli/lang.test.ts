import { describe, expect, it } from 'vitest';
import { reportLanguage } from '../../../electron/cli/lang';

describe('the language of a command’s report', () => {
  it('is the one asked for, and refuses one it does not speak', () => {
    expect(reportLanguage('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(reportLanguage('zh-CN', { LANG: 'en_GB.UTF-8' })).toBe('zh-CN');
    expect(() => reportLanguage('fr', {})).toThrow(/zh-CN or en/);
  });

  it('follows the system locale in POSIX order', () => {
    expect(reportLanguage(undefined, { LANG: 'zh_CN.UTF-8' }, 'en-US')).toBe('zh-CN');
    expect(reportLanguage(undefined, { LANG: 'en_US.UTF-8' }, 'zh-CN')).toBe('en');
    expect(reportLanguage(undefined, { LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN' }, 'en')).toBe(
      'zh-CN',
    );
    expect(reportLanguage(undefined, { LC_ALL: 'en_US', LC_MESSAGES: 'zh_CN' }, 'zh')).toBe('en');
  });

  it('asks the operating system when the environment names no language, Chinese by default', () => {
    expect(reportLanguage(undefined, {}, 'zh-CN')).toBe('zh-CN');
    expect(reportLanguage(undefined, {}, 'en-GB')).toBe('en');
    expect(reportLanguage(undefined, { LANG: 'C.UTF-8' }, 'zh-Hans-CN')).toBe('zh-CN');
    // Node reads the C locale as en-US: C still means "no language named".
    expect(reportLanguage(undefined, { LANG: 'C.UTF-8' }, 'en-US')).toBe('zh-CN');
    expect(reportLanguage(undefined, { LC_ALL: 'POSIX' }, 'en-US')).toBe('zh-CN');
    expect(reportLanguage(undefined, { LANG: 'POSIX' }, 'und')).toBe('zh-CN');
  });
});

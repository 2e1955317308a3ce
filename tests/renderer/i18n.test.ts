/**
 * Every string exists in both languages, every enum value the core can return has a label,
 * and translations use the same {{variables}} as the zh-CN original; this holds for every
 * feature's table, and no two tables claim the same section.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@shared/errors';
import { ENUM_SECTIONS } from '../../renderer/src/i18n/enums';
import { en, STRING_TABLES, zhCN } from '../../renderer/src/i18n/strings';
import { createI18n, storedLanguage, LANGUAGE_STORAGE_KEY } from '../../renderer/src/i18n';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const zh = leaves(zhCN as Tree);
const eng = leaves(en as Tree);
const variables = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('string tables', () => {
  const tables = Object.entries(STRING_TABLES);

  it('each give a section to one table only, and all reach the resources', () => {
    const owners = new Map<string, string[]>();
    for (const [name, table] of tables)
      for (const section of Object.keys(table['zh-CN']))
        owners.set(section, [...(owners.get(section) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
    expect(Object.keys(zhCN).sort()).toEqual([...owners.keys()].sort());
    for (const [name, table] of tables)
      for (const [section, value] of Object.entries(table['zh-CN'])) {
        expect((zhCN as Record<string, unknown>)[section], `${name} ${section}`).toBe(value);
        expect((en as Record<string, unknown>)[section], `${name} ${section}`).toBe(
          (table.en as Record<string, unknown>)[section],
        );
      }
  });

  it('each have the same keys in zh-CN and en', () => {
    for (const [name, table] of tables) {
      const zhKeys = [...leaves(table['zh-CN'] as Tree).keys()];
      const enKeys = [...leaves(table.en as Tree).keys()];
      expect(zhKeys.length, name).toBeGreaterThan(0);
      expect(
        zhKeys.filter((k) => !enKeys.includes(k)),
        name,
      ).toEqual([]);
      expect(
        enKeys.filter((k) => !zhKeys.includes(k)),
        name,
      ).toEqual([]);
    }
  });
});

describe('i18n resources', () => {
  it('have the same keys in zh-CN and en', () => {
    expect([...zh.keys()].filter((k) => !eng.has(k))).toEqual([]);
    expect([...eng.keys()].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('have no empty strings', () => {
    expect([...zh].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
    expect([...eng].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('use the same interpolation variables in both languages', () => {
    const mismatched = [...zh]
      .filter(([key, text]) => variables(text).join() !== variables(eng.get(key) ?? '').join())
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('label every value of every domain enum in both languages', () => {
    const missing: string[] = [];
    for (const [section, values] of Object.entries(ENUM_SECTIONS))
      for (const value of values) {
        const key = `enums.${section}.${value}`;
        if (!zh.has(key)) missing.push(`zh-CN ${key}`);
        if (!eng.has(key)) missing.push(`en ${key}`);
      }
    expect(missing).toEqual([]);
  });

  it('have no enum labels for values the domain does not know', () => {
    const known = new Set(
      Object.entries(ENUM_SECTIONS).flatMap(([s, values]) => values.map((v) => `enums.${s}.${v}`)),
    );
    expect([...zh.keys()].filter((k) => k.startsWith('enums.') && !known.has(k))).toEqual([]);
  });

  it('word every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(zh.get(`errors.code.${code}`), code).toBeTruthy();
      expect(eng.get(`errors.code.${code}`), code).toBeTruthy();
    }
  });

  it('use the domain words in zh-CN', () => {
    expect(zhCN.enums.phase).toEqual({
      initiation: '启动',
      investigation: '调查取证',
      review: '审查决定',
      service: '送达执行',
      archiving: '归档',
    });
    expect(zhCN.enums.approvalRole).toEqual({
      handler: '承办人',
      reviewer: '审核人',
      approver: '批准人',
    });
    expect(zhCN.officers.certificateNo).toBe('执法证号');
    expect(zhCN.devices.deviceNo).toBe('设备编号');
  });
});

describe('language choice', () => {
  it('defaults to zh-CN and reads a stored choice', () => {
    expect(storedLanguage(undefined)).toBe('zh-CN');
    expect(storedLanguage({ getItem: () => 'en' })).toBe('en');
    expect(storedLanguage({ getItem: () => 'fr' })).toBe('zh-CN');
    expect(
      storedLanguage({
        getItem: () => {
          throw new Error('blocked');
        },
      }),
    ).toBe('zh-CN');
    expect(LANGUAGE_STORAGE_KEY).toBe('attest.language');
  });

  it('translates with interpolation in both languages', async () => {
    const i18n = createI18n('zh-CN');
    expect(i18n.t('detail.advance', { phase: '调查取证' })).toBe('进入下一阶段：调查取证');
    await i18n.changeLanguage('en');
    expect(i18n.t('cases.total', { count: 3 })).toBe('3 cases');
  });
});

/**
 * How a feature writes its strings: one `strings.ts` beside its screens, with its zh-CN table
 * (the source of the key set) and the English typed against it, so a missing or extra key
 * fails to compile. Each table's top-level keys are its sections (`cases`, `sealing` …);
 * i18n/strings.ts puts every table's sections together into the one `translation` namespace.
 * Wording in zh-CN follows the vocabulary of the enforcement rules (案件编号, 案由, 执法证号,
 * 立案 …).
 */

/** The same tree of keys as the zh-CN table, every leaf a string: what English must fill. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

/** A feature's strings in every language. */
export interface Strings<T> {
  'zh-CN': T;
  en: Translation<T>;
}

/** A feature's strings: its zh-CN table and the English typed against it. */
export function defineStrings<T extends object>(zhCN: T, en: Translation<T>): Strings<T> {
  return { 'zh-CN': zhCN, en };
}

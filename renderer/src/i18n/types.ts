import type zhCN from './zh-CN';

/** The same tree of keys as zh-CN, every leaf a string: the shape every language must fill. */
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

export type Messages = DeepStrings<typeof zhCN>;

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Every feature's strings, put together: each table's sections side by side in the one
 * `translation` namespace i18next uses, so `t('cases.title')` and a section's own `t`
 * (i18n/section.ts) read the same resources. A section belongs to one table only
 * (tests/renderer/i18n.test.ts checks it).
 */
import app from '../app/strings';
import auth from '../features/auth/strings';
import cases from '../features/cases/strings';
import discs from '../features/discs/strings';
import recording from '../features/recording/strings';
import registers from '../features/registers/strings';
import sealing from '../features/sealing/strings';
import sessions from '../features/sessions/strings';
import signing from '../features/signing/strings';
import storage from '../features/storage/strings';
import transcript from '../features/transcript/strings';
import trust from '../features/trust/strings';
import settings from '../features/settings/strings';
import audit from '../features/audit/strings';
import access from '../features/access/strings';
import hearings from '../features/hearings/strings';
import casework from '../features/casework/strings';
import statistics from '../features/statistics/strings';
import live from '../features/live/strings';
import ui from '../ui/strings';
import type { Translation } from './define';

/** Each table by where it lives. */
export const STRING_TABLES = {
  app,
  ui,
  auth,
  cases,
  registers,
  sessions,
  transcript,
  recording,
  signing,
  sealing,
  storage,
  discs,
  trust,
  settings,
  audit,
  access,
  hearings,
  casework,
  statistics,
  live,
};

/** Simplified Chinese, the default language and the source of the key set. */
export const zhCN = {
  ...app['zh-CN'],
  ...ui['zh-CN'],
  ...auth['zh-CN'],
  ...cases['zh-CN'],
  ...registers['zh-CN'],
  ...sessions['zh-CN'],
  ...transcript['zh-CN'],
  ...recording['zh-CN'],
  ...signing['zh-CN'],
  ...sealing['zh-CN'],
  ...storage['zh-CN'],
  ...discs['zh-CN'],
  ...trust['zh-CN'],
  ...settings['zh-CN'],
  ...audit['zh-CN'],
  ...access['zh-CN'],
  ...hearings['zh-CN'],
  ...casework['zh-CN'],
  ...statistics['zh-CN'],
  ...live['zh-CN'],
};

/** The shape every language fills: zh-CN's keys, every leaf a string. */
export type Messages = Translation<typeof zhCN>;

/** English, the second language. */
export const en: Messages = {
  ...app.en,
  ...ui.en,
  ...auth.en,
  ...cases.en,
  ...registers.en,
  ...sessions.en,
  ...transcript.en,
  ...recording.en,
  ...signing.en,
  ...sealing.en,
  ...storage.en,
  ...discs.en,
  ...trust.en,
  ...settings.en,
  ...audit.en,
  ...access.en,
  ...hearings.en,
  ...casework.en,
  ...statistics.en,
  ...live.en,
};

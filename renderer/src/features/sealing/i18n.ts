/**
 * Messages of the seal panel and the storage settings: their own i18next namespace
 * (`sealing`), added to the app's instance on first use, with keys typed against zh-CN.
 */
import type { i18n as I18n } from 'i18next';
import { messageNamespace, type MessageKey, type NamespaceT } from '../../i18n/namespace';
import sealingEn from '../../i18n/sealing.en';
import sealingZhCN from '../../i18n/sealing.zh-CN';

const messages = messageNamespace('sealing', sealingZhCN, sealingEn);

export const SEALING_NS = messages.name;
export type SealingKey = MessageKey<typeof sealingZhCN>;
export type SealingT = NamespaceT<typeof sealingZhCN>;
export const registerSealingMessages = (i18n: I18n): void => messages.register(i18n);
export const useSealingT = (): SealingT => messages.useT();

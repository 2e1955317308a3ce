/**
 * Messages of the disc screen: their own i18next namespace (`discs`), added to the app's
 * instance on first use, with keys typed against zh-CN.
 */
import type { i18n as I18n } from 'i18next';
import { messageNamespace, type MessageKey, type NamespaceT } from '../../i18n/namespace';
import discsEn from '../../i18n/discs.en';
import discsZhCN from '../../i18n/discs.zh-CN';

const messages = messageNamespace('discs', discsZhCN, discsEn);

export const DISCS_NS = messages.name;
export type DiscsKey = MessageKey<typeof discsZhCN>;
export type DiscsT = NamespaceT<typeof discsZhCN>;
export const registerDiscsMessages = (i18n: I18n): void => messages.register(i18n);
export const useDiscsT = (): DiscsT => messages.useT();

/**
 * The signing pages' messages: their own i18next namespace (`signing`), added to the app's
 * instance on first use, with keys typed against zh-CN.
 */
import type { i18n as I18n } from 'i18next';
import { messageNamespace, type MessageKey, type NamespaceT } from '../../i18n/namespace';
import signingEn from '../../i18n/signing.en';
import signingZhCN from '../../i18n/signing.zh-CN';

const messages = messageNamespace('signing', signingZhCN, signingEn);

export const SIGNING_NS = messages.name;
export type SigningKey = MessageKey<typeof signingZhCN>;
export type SigningT = NamespaceT<typeof signingZhCN>;
export const registerSigningMessages = (i18n: I18n): void => messages.register(i18n);
export const useSigningT = (): SigningT => messages.useT();

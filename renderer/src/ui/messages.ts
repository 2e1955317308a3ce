import { useTranslation } from 'react-i18next';
import type { BannerMessage, FieldMessage } from './fieldErrors';

/** Renders field and banner messages in the current language. */
export function useMessages() {
  const { t } = useTranslation();
  return {
    field(message: FieldMessage): string {
      const text = t(message.key, message.values ?? {});
      return message.detail && message.key === 'errors.field.invalid'
        ? `${text}（${message.detail}）`
        : text;
    },
    banner(message: BannerMessage): string {
      return message.key === 'errors.unexpected'
        ? t('errors.unexpected', { message: message.detail })
        : t(message.key);
    },
  };
}

/**
 * A form with the app's conventions: no native validation bubbles (the shared schemas do
 * the checking and speak the UI's language), Enter submits, the error summary sits at the
 * top, and after a refusal focus moves to the first field that needs fixing.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BannerMessage } from './fieldErrors';
import { ErrorBanner } from './Banner';

interface FormProps {
  onSubmit: () => void;
  submitLabel: string;
  banner: BannerMessage | null;
  busy: boolean;
  failures: number;
  onCancel?: () => void;
  children: ReactNode;
  /** Accessible name of the form (its heading's text). */
  label?: string;
  className?: string;
  /** Lays the fields out in a grid of columns (one column on narrow screens). */
  grid?: boolean;
}

export function Form({
  onSubmit,
  submitLabel,
  banner,
  busy,
  failures,
  onCancel,
  children,
  label,
  className,
  grid,
}: FormProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (failures === 0 || !ref.current) return;
    const target =
      ref.current.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      ref.current.querySelector<HTMLElement>('.group--invalid input, .group--invalid select') ??
      ref.current.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [failures]);

  return (
    <form
      ref={ref}
      className={`form${className ? ` ${className}` : ''}`}
      noValidate
      aria-label={label}
      aria-busy={busy || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit();
      }}
    >
      {banner ? <ErrorBanner message={banner} /> : null}
      <div className={grid ? 'form__grid' : 'form__stack'}>{children}</div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.submitting') : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

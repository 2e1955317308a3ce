/**
 * Labelled form controls. Each control is tied to its label (`htmlFor`), to its hint and
 * error (`aria-describedby`) and says when it is invalid, so assistive technology and the
 * e2e test (`getByLabel`) find it by its visible name.
 */
import { useId, type ReactNode } from 'react';
import type { FieldMessage } from './fieldErrors';
import { useMessages } from './messages';
import './Field.css';

interface ShellProps {
  label: string;
  error?: FieldMessage | undefined;
  hint?: string | undefined;
  required?: boolean | undefined;
  /** Spans the whole row of a form grid (long text). */
  wide?: boolean | undefined;
}

interface Described {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
}

function FieldShell({
  label,
  error,
  hint,
  required,
  wide,
  children,
}: ShellProps & { children: (d: Described) => ReactNode }) {
  const id = useId();
  const messages = useMessages();
  const errorText = error ? messages.field(error) : null;
  // The rule a field breaks often is its hint: said once, as the error.
  if (hint !== undefined && hint === errorText) hint = undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${wide ? ' field--wide' : ''}`}>
      <span className="field__label">
        <label htmlFor={id}>{label}</label>
        {/* Outside the <label>, so the accessible name is the label alone; `required` tells AT. */}
        {required ? (
          <span className="field__required" aria-hidden="true">
            *
          </span>
        ) : null}
      </span>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error ? (
        <p className="field__error" id={errorId}>
          {errorText}
        </p>
      ) : null}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps extends ShellProps {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'search' | 'datetime-local' | 'date' | 'tel';
  autoComplete?: string;
  placeholder?: string;
  autoFocus?: boolean;
  inputMode?: 'text' | 'numeric' | 'tel';
  maxLength?: number;
  /** For times: 1 asks for seconds too. */
  step?: number;
}

export function TextField({
  value,
  onChange,
  type = 'text',
  autoComplete,
  placeholder,
  autoFocus,
  inputMode,
  maxLength,
  step,
  ...shell
}: TextFieldProps) {
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          className="control"
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          required={shell.required}
          autoComplete={autoComplete ?? 'off'}
          placeholder={placeholder}
          // Only the first field of a screen or dialog the user has just opened asks for it.
          autoFocus={autoFocus}
          inputMode={inputMode}
          maxLength={maxLength}
          step={step}
          spellCheck={false}
        />
      )}
    </FieldShell>
  );
}

interface TextAreaFieldProps extends ShellProps {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
}

export function TextAreaField({ value, onChange, rows = 3, ...shell }: TextAreaFieldProps) {
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          className="control"
          rows={rows}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          required={shell.required}
        />
      )}
    </FieldShell>
  );
}

export interface Option<V extends string> {
  value: V;
  label: string;
}

interface SelectFieldProps<V extends string> extends ShellProps {
  value: V | '';
  onChange: (value: V) => void;
  options: readonly Option<V>[];
  /** Shown as an empty first choice when nothing is chosen yet. */
  placeholder?: string;
  autoFocus?: boolean;
}

export function SelectField<V extends string>({
  value,
  onChange,
  options,
  placeholder,
  autoFocus,
  ...shell
}: SelectFieldProps<V>) {
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          className="control"
          value={value}
          onChange={(e) => onChange(e.target.value as V)}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          required={shell.required}
          autoFocus={autoFocus}
        >
          {placeholder !== undefined ? (
            <option value="" disabled>
              {placeholder}
            </option>
          ) : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface CheckboxProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Accessible name when the visible label is richer than a name should be. */
  ariaLabel?: string;
  disabled?: boolean;
}

export function Checkbox({ label, checked, onChange, ariaLabel, disabled }: CheckboxProps) {
  const id = useId();
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-label={ariaLabel}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A group of controls with a visible legend and, if any, the group's own error. */
export function FieldGroup({
  legend,
  error,
  hint,
  children,
  className,
}: {
  legend: string;
  error?: FieldMessage | undefined;
  hint?: string | undefined;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  const messages = useMessages();
  return (
    <fieldset
      className={`group${error ? ' group--invalid' : ''}${className ? ` ${className}` : ''}`}
      aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
    >
      <legend className="group__legend">{legend}</legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`} data-testid="group-error">
          {messages.field(error)}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

/**
 * One submission cycle of a form: check on the client with the shared schema, send, and
 * map a refusal back onto the fields. The draft lives in the form, not here, so nothing the
 * user typed is lost whatever happens.
 */
import { useCallback, useState } from 'react';
import {
  formFailure,
  NO_ERRORS,
  type BannerMessage,
  type FailureOptions,
  type FieldErrors,
} from './fieldErrors';

export type Checked<V> = { ok: true; value: V } | { ok: false; fields: FieldErrors };

export interface SubmitState {
  errors: FieldErrors;
  banner: BannerMessage | null;
  busy: boolean;
  /** Counts refusals, so the form can move focus to the first invalid field each time. */
  failures: number;
}

export interface SubmitSpec<V, R> {
  check: () => Checked<V>;
  send: (value: V) => Promise<R>;
  failure?: FailureOptions;
  done?: (result: R) => void;
}

const IDLE: SubmitState = { errors: NO_ERRORS, banner: null, busy: false, failures: 0 };

export function useSubmit() {
  const [state, setState] = useState<SubmitState>(IDLE);

  const submit = useCallback(async <V, R>(spec: SubmitSpec<V, R>): Promise<boolean> => {
    const checked = spec.check();
    if (!checked.ok) {
      setState((s) => ({
        errors: checked.fields,
        banner: { key: 'errors.code.INVALID_INPUT' },
        busy: false,
        failures: s.failures + 1,
      }));
      return false;
    }
    setState((s) => ({ ...s, busy: true }));
    let result: R;
    try {
      result = await spec.send(checked.value);
    } catch (e) {
      const failure = formFailure(e, spec.failure);
      setState((s) => ({
        errors: failure.fields,
        banner: failure.banner,
        busy: false,
        failures: s.failures + 1,
      }));
      return false;
    }
    setState((s) => ({ ...IDLE, failures: s.failures }));
    spec.done?.(result);
    return true;
  }, []);

  /** Clears the messages (e.g. when the form is reset after a success elsewhere). */
  const clear = useCallback(() => setState((s) => ({ ...IDLE, failures: s.failures })), []);

  return {
    errors: state.errors,
    busy: state.busy,
    /** What <Form> shows: the banner, the busy state and the refusal count. */
    status: { banner: state.banner, busy: state.busy, failures: state.failures },
    submit,
    clear,
  };
}

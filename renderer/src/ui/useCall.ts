/**
 * One call to the core from a button (not a form): a busy flag while it runs and, when the
 * core refuses, a banner saying why; what the user typed stays where it is.
 */
import { useState } from 'react';
import { formFailure, type BannerMessage } from './fieldErrors';

export function useCall() {
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  /** True when the call went through; on failure the banner says why. */
  const run = async <T>(call: () => Promise<T>, done?: (value: T) => void): Promise<boolean> => {
    setBusy(true);
    setBanner(null);
    try {
      const value = await call();
      setBusy(false);
      done?.(value);
      return true;
    } catch (e) {
      setBusy(false);
      setBanner(formFailure(e).banner ?? { key: 'errors.code.INTERNAL' });
      return false;
    }
  };
  return { busy, banner, run };
}

/**
 * A form's draft: its values, a way to replace them, and a setter per field for the
 * controls (`onChange={set('name')}`).
 */
import { useCallback, useState } from 'react';

export function useDraft<T extends object>(initial: T | (() => T)) {
  const [draft, setDraft] = useState<T>(initial);
  const set = useCallback(
    <K extends keyof T>(field: K) =>
      (value: T[K]) =>
        setDraft((d) => ({ ...d, [field]: value })),
    [],
  );
  return [draft, setDraft, set] as const;
}

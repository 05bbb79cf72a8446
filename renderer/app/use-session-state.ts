import { useCallback, useState } from 'react';

/**
 * A string|null state that survives switching views (and reloads) within the window's session, so a
 * running build or push is still shown after a visit to another view.
 */
export function useSessionState(key: string): [string | null, (value: string | null) => void] {
  const [value, setValue] = useState<string | null>(() => {
    try {
      return window.sessionStorage.getItem(key);
    } catch {
      return null;
    }
  });
  const set = useCallback(
    (next: string | null) => {
      setValue(next);
      try {
        if (next === null) window.sessionStorage.removeItem(key);
        else window.sessionStorage.setItem(key, next);
      } catch {
        // storage may be disabled; the state still works for this view's lifetime
      }
    },
    [key],
  );
  return [value, set];
}

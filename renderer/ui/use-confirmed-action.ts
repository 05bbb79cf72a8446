import { useCallback, useState } from 'react';
import type { ErrorShape } from '../../electron/contract';
import { toErrorShape } from './errors';

/**
 * A confirm button's work (remove, prune, …): busy while it runs, its error kept to show in the dialog, and
 * `onDone` only once it worked.
 */
export function useConfirmedAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const run = useCallback((work: () => Promise<unknown>, onDone: () => void) => {
    setBusy(true);
    setError(null);
    work().then(
      () => {
        setBusy(false);
        onDone();
      },
      (e: unknown) => {
        setBusy(false);
        setError(toErrorShape(e));
      },
    );
  }, []);
  return { busy, error, run };
}

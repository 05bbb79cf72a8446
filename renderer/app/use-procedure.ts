import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape, ProcedureInput, ProcedureName, ProcedureOutput } from '../../electron/contract';
import { toErrorShape } from '../ui/errors';
import { useApi } from './api-context';

export type Loadable<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'data'; data: T; error: null }
  | { status: 'error'; data: T | null; error: ErrorShape };

/**
 * Calls one procedure on mount and whenever `reload()` is called; keeps the last data while reloading
 * so lists do not flash. Answers that arrive after a newer call started are dropped.
 */
export function useProcedure<P extends ProcedureName>(name: P, input: ProcedureInput<P>) {
  const api = useApi();
  const [state, setState] = useState<Loadable<ProcedureOutput<P>>>({ status: 'loading', data: null, error: null });
  const generation = useRef(0);
  const inputKey = JSON.stringify(input);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ status: 'loading', data: previous.data, error: null }));
    api.call(name, JSON.parse(inputKey) as ProcedureInput<P>).then(
      (data) => {
        if (mine === generation.current) setState({ status: 'data', data, error: null });
      },
      (error: unknown) => {
        if (mine === generation.current)
          setState((p) => ({ status: 'error', data: p.data, error: toErrorShape(error) }));
      },
    );
  }, [api, name, inputKey]);

  useEffect(() => {
    reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  return { ...state, reload };
}

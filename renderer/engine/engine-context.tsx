import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { EngineEvent, EngineStatus, ErrorShape } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';

type Listener = (event: EngineEvent) => void;

interface EngineState {
  /** null until the first answer from 'engine.status' or the stream. */
  status: EngineStatus | null;
  /** Set when even the status could not be read (the transport itself failed). */
  error: ErrorShape | null;
  /** Listen to engine events of one type ("image", "container", ...); returns the unsubscribe function. */
  onEvent: (type: string, listener: Listener) => () => void;
  /** Ask the engine for its status now (the stream keeps it current anyway). */
  refresh: () => Promise<void>;
}

const EngineStateContext = createContext<EngineState | null>(null);

/** The one subscription to the `engine` stream; every view reads status and events from here. */
export function EngineProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const listeners = useRef(new Map<string, Set<Listener>>());

  useEffect(() => {
    let live = true;
    let streamed = false;
    api.call('engine.status', {}).then(
      (s) => {
        if (live && !streamed) setStatus(s);
      },
      (e: unknown) => {
        if (live && !streamed) setError(toErrorShape(e));
      },
    );
    const unsubscribe = api.subscribe(
      'engine',
      {},
      (event) => {
        if (event.kind === 'status') {
          streamed = true;
          setStatus(event.status);
          setError(null);
          return;
        }
        if (event.kind === 'gap') {
          // The feed was down: events may be missing, so every list reloads as if its type had an event.
          const gap: EngineEvent = { type: '*', action: 'gap', id: '', attributes: {}, time: event.to };
          for (const set of listeners.current.values()) for (const listener of set) listener(gap);
          return;
        }
        for (const listener of listeners.current.get(event.event.type) ?? []) listener(event.event);
      },
      (e) => setError(toErrorShape(e)),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  const onEvent = useCallback((type: string, listener: Listener) => {
    const set = listeners.current.get(type) ?? new Set();
    set.add(listener);
    listeners.current.set(type, set);
    return () => {
      set.delete(listener);
    };
  }, []);

  const refresh = useCallback(
    () =>
      api.call('engine.status', {}).then(
        (s) => {
          setStatus(s);
          setError(null);
        },
        (e: unknown) => setError(toErrorShape(e)),
      ),
    [api],
  );

  const value = useMemo<EngineState>(() => ({ status, error, onEvent, refresh }), [status, error, onEvent, refresh]);

  return <EngineStateContext.Provider value={value}>{children}</EngineStateContext.Provider>;
}

export function useEngine(): EngineState {
  const state = useContext(EngineStateContext);
  if (!state) throw new Error('useEngine() needs an <EngineProvider> above it');
  return state;
}

/** Calls `onChange` on every engine event of `type` (no polling); debounced so bursts refresh once. */
export function useEngineEvents(type: string, onChange: () => void, delayMs = 150): void {
  const { onEvent } = useEngine();
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onEvent(type, () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), delayMs);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [onEvent, type, delayMs]);
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape, LogEvent } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';
import { DEFAULT_CAPACITY, LogRing } from './log-ring';

/** While paused, at most this many new lines wait; older waiting lines are dropped (and counted). */
export const PAUSE_LIMIT = 50_000;

type EndReason = Extract<LogEvent, { kind: 'end' }>['reason'];
/** The engine connection broke while following (`resumedAt` null until it is back). */
export interface LogInterruption {
  error: ErrorShape;
  at: number;
  resumedAt: number | null;
  /** lines from this time on were read again after the interruption */
  gapFrom: number | null;
}

/**
 * One container's log stream into a bounded ring. Paused, new lines wait in a second bounded ring and
 * are shown on resume. `version` changes whenever the visible ring changes, so views re-render.
 */
export function useLogStream(containerId: string | null, tail: number, capacity = DEFAULT_CAPACITY) {
  const api = useApi();
  const ring = useRef(new LogRing(capacity)).current;
  const waiting = useRef(new LogRing(PAUSE_LIMIT)).current;
  const paused = useRef(false);
  const [version, setVersion] = useState(0);
  const [isPaused, setPaused] = useState(false);
  const [waitingCount, setWaitingCount] = useState(0);
  const [ended, setEnded] = useState<EndReason | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [interruption, setInterruption] = useState<LogInterruption | null>(null);
  const [droppedWhilePaused, setDroppedWhilePaused] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    ring.clear();
    waiting.clear();
    setWaitingCount(0);
    setDroppedWhilePaused(0);
    setEnded(null);
    setError(null);
    setInterruption(null);
    bump();
    if (!containerId) return;
    return api.subscribe(
      'logs',
      { id: containerId, tail, timestamps: true, follow: true },
      (event) => {
        if (event.kind === 'end') {
          setEnded(event.reason);
          return;
        }
        if (event.kind === 'interrupted') {
          setInterruption({ error: event.error, at: event.at, resumedAt: null, gapFrom: null });
          return;
        }
        if (event.kind === 'resumed') {
          setInterruption((i) => i && { ...i, resumedAt: event.at, gapFrom: event.gapFrom });
          return;
        }
        if (paused.current) {
          waiting.append(event.lines);
          setWaitingCount(waiting.total);
        } else {
          ring.append(event.lines);
          bump();
        }
      },
      (e) => setError(toErrorShape(e)),
    );
  }, [api, containerId, tail, ring, waiting, bump]);

  const pause = useCallback(() => {
    paused.current = true;
    setPaused(true);
  }, []);

  const resume = useCallback(() => {
    paused.current = false;
    setPaused(false);
    const droppedNow = waiting.dropped;
    setDroppedWhilePaused((n) => n + droppedNow);
    ring.append([...waiting]);
    waiting.clear();
    setWaitingCount(0);
    bump();
  }, [ring, waiting, bump]);

  const clear = useCallback(() => {
    ring.clear();
    waiting.clear();
    setWaitingCount(0);
    setDroppedWhilePaused(0);
    bump();
  }, [ring, waiting, bump]);

  return {
    ...{ ring, version, paused: isPaused, waitingCount, droppedWhilePaused, ended, error, interruption },
    ...{ pause, resume, clear },
  };
}

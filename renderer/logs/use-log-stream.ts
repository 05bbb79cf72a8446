import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type ErrorShape,
  LogBatch,
  type LogEvent,
  type LogLine,
  type LogSelection,
  MAX_SERVICE_LOG_TAIL,
  MergedLogBatch,
  type MergedLogSource,
  type MergedLogStreamEvent,
} from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';
import { DEFAULT_CAPACITY, LogRing, rotationMarker } from './log-ring';

/** While paused, at most this many new lines wait; older waiting lines are dropped (and counted). */
export const PAUSE_LIMIT = 50_000;
/** New lines re-render the view at most about this often (one frame at 60 Hz). */
const FRAME_MS = 16;

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
/**
 * What to read: one container's id, a merged selection (several containers, a project, an image), or a
 * Swarm service (its tasks as the sources).
 */
export type LogTarget = string | { merged: LogSelection } | { service: string };

/** A time range for the engine's since/until (ms since the epoch); a range with an end is not followed. */
export interface LogRange {
  since?: number;
  until?: number;
}

export function useLogStream(
  target: LogTarget | null,
  /** 'all' only for one container: the merged stream takes a number. */
  tail: number | 'all',
  capacity = DEFAULT_CAPACITY,
  range: LogRange = {},
) {
  const key = target === null ? null : JSON.stringify(target);
  const { since, until } = range;
  const [sources, setSources] = useState<MergedLogSource[] | null>(null);
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
  // New lines re-render the view at once, then at most once per frame while more keep coming: a fast stream
  // delivers many batches a frame, and rendering after each one spends the renderer's time on frames nobody
  // sees. The rest of a frame's batches are drawn by one trailing render (a timer when the page is hidden).
  const lastBump = useRef(Number.NEGATIVE_INFINITY);
  const pendingBump = useRef(false);
  const bumpSoon = useCallback(() => {
    if (pendingBump.current) return;
    const now = performance.now();
    if (now - lastBump.current >= FRAME_MS) {
      lastBump.current = now;
      bump();
      return;
    }
    pendingBump.current = true;
    const run = () => {
      pendingBump.current = false;
      lastBump.current = performance.now();
      bump();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
      requestAnimationFrame(run);
    } else setTimeout(run, FRAME_MS);
  }, [bump]);

  useEffect(() => {
    ring.clear();
    waiting.clear();
    setWaitingCount(0);
    setDroppedWhilePaused(0);
    setEnded(null);
    setError(null);
    setInterruption(null);
    setSources(null);
    bump();
    if (key === null) return;
    const parsed = JSON.parse(key) as LogTarget;
    const window = {
      follow: until === undefined,
      ...(since !== undefined && { since }),
      ...(until !== undefined && { until }),
    };
    // Each batch is checked against the contract once (its columns, not each line) before the ring takes it.
    const onBatch = (batch: unknown, schema: typeof LogBatch | typeof MergedLogBatch) => {
      const checked = schema.safeParse(batch);
      if (!checked.success) {
        setError({
          code: 'INTERNAL',
          message: `A batch of log lines broke the contract: ${checked.error.issues[0]?.message ?? 'bad shape'}.`,
          fix: 'Reopen the log; report this if it happens again.',
        });
        return;
      }
      if (paused.current) {
        waiting.appendBatch(checked.data);
        setWaitingCount(waiting.total);
      } else {
        ring.appendBatch(checked.data);
        bumpSoon();
      }
    };
    const onMarker = (marker: LogLine) => {
      if (paused.current) {
        waiting.append([marker]);
        setWaitingCount(waiting.total);
      } else {
        ring.append([marker]);
        bumpSoon();
      }
    };
    const onMerged = (event: MergedLogStreamEvent) => {
      if (event.kind === 'sources') setSources(event.sources);
      else if (event.kind === 'batch') onBatch(event, MergedLogBatch);
      else if (event.kind === 'end') setEnded('done');
      else if (event.kind === 'source-error') setError(event.error);
      else if (event.kind === 'rotated') onMarker(rotationMarker(event));
    };
    const onError = (e: unknown) => setError(toErrorShape(e));
    if (typeof parsed !== 'string' && 'service' in parsed) {
      // The engine reads a service's log by tail and follow only (no since/until).
      const serviceTail = Math.min(tail === 'all' ? MAX_SERVICE_LOG_TAIL : tail, MAX_SERVICE_LOG_TAIL);
      return api.subscribe(
        'services.logStream',
        { ref: parsed.service, tail: serviceTail, follow: window.follow },
        onMerged,
        onError,
      );
    }
    if (typeof parsed !== 'string') {
      return api.subscribe(
        'logs.merged',
        { selection: parsed.merged, tail: tail === 'all' ? 100_000 : tail, ...window },
        onMerged,
        onError,
      );
    }
    return api.subscribe(
      'logs',
      { id: parsed, tail, timestamps: true, ...window },
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
        if (event.kind === 'rotated') {
          onMarker(rotationMarker(event));
          return;
        }
        onBatch(event, LogBatch);
      },
      onError,
    );
  }, [api, key, tail, since, until, ring, waiting, bump, bumpSoon]);

  const pause = useCallback(() => {
    paused.current = true;
    setPaused(true);
  }, []);

  const resume = useCallback(() => {
    paused.current = false;
    setPaused(false);
    const droppedNow = waiting.dropped;
    setDroppedWhilePaused((n) => n + droppedNow);
    ring.appendRing(waiting);
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
    ...{ ring, sources, version, paused: isPaused, waitingCount, droppedWhilePaused, ended, error, interruption },
    ...{ pause, resume, clear },
  };
}

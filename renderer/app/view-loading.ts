/**
 * Each view's code is its own chunk, fetched the first time the view opens. In web mode that fetch
 * crosses the network stack, and Chromium aborts requests in flight when a network interface changes
 * (net::ERR_NETWORK_CHANGED): every `docker network create`, container start or swarm join adds one.
 * A failed chunk used to unmount the whole dashboard and leave a blank page. Now the loader tries
 * again, and when the browser keeps the failure (the module map may cache it) the view's boundary
 * reloads the page once, then shows the error with its fix.
 */
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** A view whose code did not arrive; `cause` is the browser's own words. Its boundary names the view. */
export class ViewLoadError extends Error {
  constructor(override readonly cause: unknown) {
    super(`The view’s code did not load: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ViewLoadError';
  }
}

/** Waits between the attempts to fetch a view's chunk: the first try plus one per wait. */
export const VIEW_LOAD_WAITS_MS = [200, 800] as const;

/** `load()`, tried again after each wait; the last failure becomes a ViewLoadError. */
export async function loadWithRetry<T>(
  load: () => Promise<T>,
  waitsMs: readonly number[] = VIEW_LOAD_WAITS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= waitsMs.length; attempt++) {
    if (attempt > 0) await sleep(waitsMs[attempt - 1]!);
    try {
      return await load();
    } catch (error) {
      lastError = error;
    }
  }
  throw new ViewLoadError(lastError);
}

/** React.lazy over a view's chunk, with the retries above. */
export function lazyView<P extends object>(
  load: () => Promise<ComponentType<P>>,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(() => loadWithRetry(load).then((component) => ({ default: component })));
}

/** sessionStorage key holding when the page last reloaded itself to fetch a view again. */
export const RELOADED_AT_KEY = 'berth.reloadedForViewLoad';
/** A second failure within this long of the last self-reload shows the error instead of reloading again. */
export const RELOAD_QUIET_MS = 60_000;

type Memory = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Reloads the page to fetch a view again (a fresh page has a fresh module map), unless it already did so
 * within RELOAD_QUIET_MS, so a server that is really gone gives an error on screen and not a reload loop.
 * Returns whether it reloaded.
 */
export function reloadOnce(memory: Memory | undefined, now: number, reload: () => void): boolean {
  if (!memory) return false;
  let last = Number.NaN;
  try {
    last = Number(memory.getItem(RELOADED_AT_KEY));
  } catch {
    return false; // storage refused (a locked-down profile): never reload blindly
  }
  if (Number.isFinite(last) && last > 0 && now - last >= 0 && now - last < RELOAD_QUIET_MS) return false;
  try {
    memory.setItem(RELOADED_AT_KEY, String(now));
  } catch {
    return false;
  }
  reload();
  return true;
}

/** Test support: one terminal stream through the router, with its output as text and waits on it. */
import type { BerthError, TerminalEvent, TerminalInput, TerminalParams } from '../../contract';
import type { Router } from '../router';

export interface TerminalClient {
  events: TerminalEvent[];
  /** All output so far, with CR LF turned into LF. */
  output(): string;
  send(message: TerminalInput | unknown): BerthError | undefined;
  /** Resolves once the output (from `from` on) matches; rejects after `deadlineMs`. */
  waitForOutput(pattern: RegExp, deadlineMs: number, from?: number): Promise<RegExpMatchArray>;
  waitForEvent<K extends TerminalEvent['kind']>(
    kind: K,
    deadlineMs: number,
  ): Promise<Extract<TerminalEvent, { kind: K }>>;
  /** Settles when the stream ends: resolves on its own end, rejects with its error. */
  ended: Promise<void>;
  close(): void;
}

export function openTerminal(router: Router, params: TerminalParams): TerminalClient {
  const events: TerminalEvent[] = [];
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const waiter of waiters) waiter();
  };
  let endError: BerthError | undefined;
  let isEnded = false;
  let resolveEnd: () => void = () => {};
  let rejectEnd: (error: BerthError) => void = () => {};
  const ended = new Promise<void>((resolve, reject) => {
    resolveEnd = resolve;
    rejectEnd = reject;
  });
  ended.catch(() => undefined);
  const session = router.open(
    'terminal',
    params,
    (event) => {
      events.push(event as TerminalEvent);
      changed();
    },
    (error) => {
      endError = error;
      isEnded = true;
      rejectEnd(error);
      changed();
    },
    () => {
      isEnded = true;
      resolveEnd();
      changed();
    },
  );
  const output = (): string =>
    events
      .map((e) => (e.kind === 'output' ? e.data : ''))
      .join('')
      .replace(/\r\n/g, '\n');
  const until = <T>(probe: () => T | undefined, deadlineMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          finish();
          resolve(value);
        } else if (isEnded) {
          finish();
          reject(endError ?? new Error(`The terminal ended before ${what}. Output:\n${output()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`No ${what} within ${deadlineMs} ms. Output:\n${output()}`));
      }, deadlineMs);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    events,
    output,
    send: (message) => session.send(message),
    waitForOutput: (pattern, deadlineMs, from = 0) =>
      until(() => output().slice(from).match(pattern) ?? undefined, deadlineMs, `output matching ${pattern}`),
    waitForEvent: (kind, deadlineMs) =>
      until(
        () => events.find((e) => e.kind === kind) as Extract<TerminalEvent, { kind: typeof kind }> | undefined,
        deadlineMs,
        `a ${kind} event`,
      ),
    ended,
    close: () => session.close(),
  };
}

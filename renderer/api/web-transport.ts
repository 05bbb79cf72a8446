/**
 * The BerthApi in web mode: procedures over fetch to /api/call/<name>, streams over one shared
 * WebSocket at /api/stream. The launch token travels in an HttpOnly cookie the page never sees.
 */
import {
  type BerthApi,
  BerthError,
  CALL_PATH,
  type ProcedureName,
  READ_ONLY_PROCEDURES,
  STREAM_PATH,
} from '../../electron/contract';
import { type SocketLike, StreamConnection, type StreamListeners } from './stream-connection';
import { berthErrorFrom } from './wire-error';

export interface WebTransportOptions {
  /** '' in the browser (same origin); a full http://127.0.0.1:PORT for tools and tests. */
  baseUrl?: string;
  /** Extra request headers, e.g. `Authorization: Bearer <token>` for tooling. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  openSocket?: (url: string) => SocketLike;
  /** Waits before asking a read-only procedure again after no answer at all; NETWORK_RETRY_WAITS_MS by default. */
  retryWaitsMs?: readonly number[];
}

/**
 * A read-only call that gets no answer (the browser aborted it: net::ERR_NETWORK_CHANGED when a container starts
 * or a docker network appears) is asked again after each of these waits. A call that changes state never is.
 */
export const NETWORK_RETRY_WAITS_MS = [100, 500] as const;

function defaultStreamUrl(baseUrl: string): string {
  const base = new URL(baseUrl || globalThis.location.href);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return new URL(STREAM_PATH, base).href;
}

export function createWebTransport(options: WebTransportOptions = {}): BerthApi & { close(): void } {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const openSocket = options.openSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  let connection: StreamConnection | undefined;

  const retryWaitsMs = options.retryWaitsMs ?? NETWORK_RETRY_WAITS_MS;

  function send(name: string, input: unknown): Promise<Response> {
    return doFetch(`${baseUrl}${CALL_PATH}${encodeURIComponent(name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', ...options.headers },
      body: JSON.stringify(input ?? {}),
    });
  }

  type Reply = { ok: true; value: unknown } | { ok: false; error: unknown };
  const pause = (ms: number | undefined) => new Promise((resolve) => setTimeout(resolve, ms));

  async function call(name: string, input: unknown): Promise<unknown> {
    const waits = READ_ONLY_PROCEDURES.has(name as ProcedureName) ? retryWaitsMs : [];
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= waits.length;
      let response: Response;
      try {
        response = await send(name, input);
      } catch {
        // No answer at all (fetch rejects only then; an HTTP error status is an answer).
        if (last) {
          throw new BerthError(
            'INTERNAL',
            'Berth’s web server does not answer.',
            'Check that `npm start` is still running, then reload the page.',
          );
        }
        await pause(waits[attempt]);
        continue;
      }
      const reply = (await response.json().catch(() => undefined)) as Reply | undefined;
      if (reply?.ok === true && response.ok) return reply.value;
      // A 200 whose body was cut off is no answer either; a read can be asked again.
      if (reply === undefined && response.ok && !last) {
        await pause(waits[attempt]);
        continue;
      }
      throw berthErrorFrom(reply?.ok === false ? reply.error : undefined, `Berth answered HTTP ${response.status}.`);
    }
  }

  return {
    call: call as BerthApi['call'],
    subscribe(name, params, onEvent, onError) {
      connection ??= new StreamConnection(() => openSocket(defaultStreamUrl(baseUrl)));
      return connection.subscribe(name, params, {
        onEvent: onEvent as (event: unknown) => void,
        onError,
      });
    },
    openSession(name, params, listeners) {
      connection ??= new StreamConnection(() => openSocket(defaultStreamUrl(baseUrl)));
      return connection.openSession(name, params, listeners as StreamListeners);
    },
    close() {
      connection?.close();
      connection = undefined;
    },
  };
}

/**
 * A read-only call that gets no answer is asked again; a call that changes state never is. Chromium aborts
 * requests in flight with net::ERR_NETWORK_CHANGED whenever a container starts or a docker network appears.
 */
import { BerthError, READ_ONLY_PROCEDURES } from '../../electron/contract';
import { createWebTransport } from './web-transport';

const answer = (value: unknown) =>
  new Response(JSON.stringify({ ok: true, value }), { status: 200, headers: { 'Content-Type': 'application/json' } });

/** A fetch that fails with no answer `failures` times, then answers; records every procedure asked. */
function flakyFetch(failures: number, value: unknown = []) {
  const asked: string[] = [];
  let left = failures;
  const fetch = (async (url: string | URL | Request) => {
    asked.push(String(url).split('/').pop() ?? '');
    if (left-- > 0) throw new TypeError('Failed to fetch');
    return answer(value);
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const noWaits = { retryWaitsMs: [0, 0] };

describe('web transport calls after no answer', () => {
  it('asks a read-only procedure again, and returns the answer', async () => {
    const { fetch, asked } = flakyFetch(2, [{ id: 'a' }]);
    const api = createWebTransport({ baseUrl: 'http://127.0.0.1:1', fetch, ...noWaits });
    await expect(api.call('images.list', {})).resolves.toEqual([{ id: 'a' }]);
    expect(asked).toEqual(['images.list', 'images.list', 'images.list']);
  });

  it('gives up on a read after the last wait, with the error and its fix', async () => {
    const { fetch, asked } = flakyFetch(10);
    const api = createWebTransport({ baseUrl: 'http://127.0.0.1:1', fetch, ...noWaits });
    const error = await api.call('containers.list', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).message).toMatch(/does not answer/);
    expect((error as BerthError).fix).toMatch(/npm start/);
    expect(asked).toHaveLength(3);
  });

  it('asks a read again when a 200 answer was cut off', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return calls === 1 ? new Response('{"ok":tr', { status: 200 }) : answer({ state: 'connected' });
    }) as unknown as typeof globalThis.fetch;
    const api = createWebTransport({ baseUrl: 'http://127.0.0.1:1', fetch, ...noWaits });
    await expect(api.call('engine.status', {})).resolves.toEqual({ state: 'connected' });
    expect(calls).toBe(2);
  });

  it('never asks again for a call that changes state: it may have reached Berth', async () => {
    const { fetch, asked } = flakyFetch(1);
    const api = createWebTransport({ baseUrl: 'http://127.0.0.1:1', fetch, ...noWaits });
    await expect(api.call('containers.remove', { id: 'abc123', force: false })).rejects.toThrow(/does not answer/);
    expect(asked).toEqual(['containers.remove']);
    expect(READ_ONLY_PROCEDURES.has('containers.remove')).toBe(false);
  });

  it('does not ask again after an HTTP error, which is an answer', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response('<html>not found</html>', { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const api = createWebTransport({ baseUrl: 'http://127.0.0.1:1', fetch, ...noWaits });
    await expect(api.call('images.list', {})).rejects.toThrow(/HTTP 404/);
    expect(calls).toBe(1);
  });

  it('lists only reads: no name that starts, stops, removes, deploys, signs in or out, or writes', () => {
    const changing =
      /\.(start|stop|restart|remove|run|recreate|edit|action|clean|cancel|retain|apply|measure|login|logout|signIn|signOut|deploy|scale|tag|prune|useContext|addContext|resume|pickFolder|openExternal)$|\.(create|copy|upload|download)[A-Z]/;
    expect([...READ_ONLY_PROCEDURES].filter((name) => changing.test(name))).toEqual([]);
  });
});

/**
 * One table of contract behaviours, run over both transports: web mode (the real HTTP + WebSocket
 * server and the browser client) and Electron IPC (the real main-side transport and preload logic
 * over an in-memory ipcMain/ipcRenderer). Both must behave identically.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createIpcTransport } from '../../renderer/api/ipc-transport';
import type { SocketLike } from '../../renderer/api/stream-connection';
import { createWebTransport } from '../../renderer/api/web-transport';
import { type BerthApi, BerthError, MAX_TERMINAL_INPUT_CHARS, type StreamEvent, type StreamName } from '../contract';
import { isAppFrame } from '../shell/app-origin';
import { installIpcTransport } from '../shell/ipc-transport';
import { createPreloadApi } from '../shell/preload-api';
import { InMemoryIpc } from '../shell/test/in-memory-ipc';
import { startWebServer } from '../web/server';
import { createEchoBackend, type EchoBackend } from './test/echo-backend';

interface Transport {
  api: BerthApi;
  backend: EchoBackend;
  close(): Promise<void>;
}

async function webTransport(): Promise<Transport> {
  const backend = createEchoBackend();
  const server = await startWebServer({ router: backend.router, staticDir: mkdtempSync(join(tmpdir(), 'berth-')) });
  const origin = `http://127.0.0.1:${server.port}`;
  const auth = { Authorization: `Bearer ${server.token}` };
  const api = createWebTransport({
    baseUrl: origin,
    headers: auth,
    openSocket: (url) => new WebSocket(url, { headers: { ...auth, Origin: origin } }) as unknown as SocketLike,
  });
  return {
    api,
    backend,
    close: () => {
      api.close();
      return server.close();
    },
  };
}

async function ipcTransport(): Promise<Transport> {
  const backend = createEchoBackend();
  const ipc = new InMemoryIpc();
  const uninstall = installIpcTransport({ ipcMain: ipc.ipcMain, router: backend.router, isTrustedSender: isAppFrame });
  const { ipcRenderer } = ipc.renderer(1, 'app://berth/index.html');
  const api = createIpcTransport(createPreloadApi(ipcRenderer));
  return { api, backend, close: async () => uninstall() };
}

async function rejection(promise: Promise<unknown>): Promise<BerthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
}

/** Collects a stream until `count` events arrive, or until it errors. */
function collect<S extends StreamName>(api: BerthApi, name: S, params: unknown, count: number) {
  const events: StreamEvent<S>[] = [];
  let stop: () => void = () => {};
  const done = new Promise<{ events: StreamEvent<S>[]; error?: BerthError }>((resolve) => {
    stop = api.subscribe(
      name,
      params as never,
      (event) => {
        events.push(event);
        if (events.length === count) resolve({ events });
      },
      (error) => resolve({ events, error }),
    );
  });
  return { done, stop: () => stop() };
}

const transports = { web: webTransport, ipc: ipcTransport };

describe.each(Object.entries(transports))('the contract over %s', (_name, open) => {
  let transport: Transport;
  beforeEach(async () => {
    transport = await open();
  });
  afterEach(async () => {
    await transport.close();
  });

  it('runs a procedure with its input defaults applied', async () => {
    expect(await transport.api.call('ports.suggest', { preferred: 8080 })).toEqual({ port: 8081 });
  });

  it('refuses invalid input with INVALID_INPUT naming the fields', async () => {
    const error = await rejection(transport.api.call('ports.suggest', { preferred: 'abc' as never }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(Object.keys(error.fields ?? {})).toEqual(['preferred']);
    expect(error.message).toContain('preferred');
    expect(error.fix).toBeTruthy();
  });

  it('refuses unknown keys in strict inputs', async () => {
    const error = await rejection(transport.api.call('engine.status', { extra: 1 } as never));
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('carries a typed error with its code, message and fix unchanged', async () => {
    const error = await rejection(transport.api.call('images.tag', { source: 'notas-iv', target: 'x/notas-iv:1' }));
    expect(error.toShape()).toEqual({ code: 'NOT_FOUND', message: 'No such image: notas-iv', fix: 'Build it first.' });
  });

  it('answers an unknown procedure with NOT_FOUND', async () => {
    const error = await rejection(transport.api.call('images.steal' as never, {} as never));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('treats output outside the contract as INTERNAL', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = await rejection(transport.api.call('images.list', {}));
    spy.mockRestore();
    expect(error.code).toBe('INTERNAL');
  });

  it('hides unexpected failures behind INTERNAL without their details', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = await rejection(transport.api.call('containers.list', {}));
    spy.mockRestore();
    expect(error.code).toBe('INTERNAL');
    expect(JSON.stringify(error.toShape())).not.toMatch(/secret|\/home\/|file\.ts/);
  });

  it('delivers stream events in order, with param defaults applied', async () => {
    const { done } = collect(transport.api, 'logs', { id: 'c1', tail: 3 }, 4);
    const { events, error } = await done;
    expect(error).toBeUndefined();
    expect(events.map((e) => (e.kind === 'batch' ? e.text[0] : e.kind === 'end' ? e.reason : e.kind))).toEqual([
      'line 0',
      'line 1',
      'line 2',
      'done',
    ]);
  });

  it('stops the stream handler through its signal on unsubscribe', async () => {
    const { done, stop } = collect(transport.api, 'engine', {}, 2);
    expect((await done).events).toHaveLength(2);
    expect(transport.backend.engineStreamRunning()).toBe(true);
    stop();
    await transport.backend.engineStreamAborted;
    expect(transport.backend.engineStreamRunning()).toBe(false);
  });

  it('refuses invalid stream params with INVALID_INPUT naming the fields', async () => {
    const { error } = await collect(transport.api, 'logs', { id: 'c1', tail: -1 }, 1).done;
    expect(error?.code).toBe('INVALID_INPUT');
    expect(Object.keys(error?.fields ?? {})).toEqual(['tail']);
  });

  it('carries a stream handler’s typed error unchanged', async () => {
    const { error } = await collect(transport.api, 'build', { buildId: 'b7' }, 1).done;
    expect(error?.toShape()).toEqual({
      code: 'BUILD_FAILED',
      message: 'Build b7 failed at step 3',
      fix: 'Fix the RUN command.',
    });
  });

  it('ends a stream whose event breaks the contract with INTERNAL', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { events, error } = await collect(transport.api, 'push', { pushId: 'p1' }, 1).done;
    spy.mockRestore();
    expect(events).toEqual([]);
    expect(error?.code).toBe('INTERNAL');
  });

  it('carries the stats stream: samples, then the container stopped; a bad id is refused', async () => {
    const { events } = await collect(transport.api, 'stats', { id: 'web' }, 2).done;
    expect(events).toEqual([
      { kind: 'sample', sample: expect.objectContaining({ cpuPercent: 150, memoryLimitBytes: 2 }) },
      { kind: 'stopped' },
    ]);
    const refused = await collect(transport.api, 'stats', { id: '../../images/json' }, 1).done;
    expect(refused.error?.code).toBe('INVALID_INPUT');
  });

  it('answers an unknown stream with NOT_FOUND', async () => {
    const { error } = await collect(transport.api, 'secrets' as never, {}, 1).done;
    expect(error?.code).toBe('NOT_FOUND');
  });

  it('carries a duplex stream both ways, and refuses bad input with a code, keeping the stream open', async () => {
    const outputs: string[] = [];
    const refusals: BerthError[] = [];
    let opened: () => void = () => {};
    const isOpen = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const session = transport.api.openSession(
      'terminal',
      { target: { kind: 'exec', container: 'echo-me' }, size: { cols: 80, rows: 24 } },
      {
        onEvent: (event) => {
          if (event.kind === 'opened') opened();
          if (event.kind === 'output') outputs.push(event.data);
        },
        onRefused: (error) => refusals.push(error),
      },
    );
    await isOpen;
    session.send({ kind: 'data', data: 'ls\r' });
    session.send({ kind: 'data', data: 'x'.repeat(MAX_TERMINAL_INPUT_CHARS + 1) });
    session.send({ kind: 'resize', cols: 0, rows: 24 });
    session.send({ kind: 'resize', cols: 120, rows: 40 });
    await vi.waitFor(() => expect(outputs).toEqual(['ls\r', 'size 120x40']));
    expect(refusals.map((r) => [r.code, Object.keys(r.fields ?? {})])).toEqual([
      ['INVALID_INPUT', ['data']],
      ['INVALID_INPUT', ['cols']],
    ]);
    session.close();
  });

  it('refuses messages up a stream that takes none', async () => {
    const refusals: BerthError[] = [];
    const session = transport.api.openSession('engine' as 'terminal', {} as never, {
      onEvent: () => {},
      onRefused: (error) => refusals.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    session.send({ kind: 'data', data: 'x' });
    await vi.waitFor(() => expect(refusals.map((r) => r.code)).toEqual(['UNSUPPORTED']));
    session.close();
  });
});

/** IPC-only behaviour: sender checks, cleanup when a window goes away, and what the preload exposes. */
import { createEchoBackend } from '../api/test/echo-backend';
import type { ErrorShape } from '../contract';
import { isAppFrame } from './app-origin';
import { SEND_CHANNEL, streamChannel } from './ipc-channels';
import { installIpcTransport } from './ipc-transport';
import { createPreloadApi } from './preload-api';
import { InMemoryIpc } from './test/in-memory-ipc';

function setup(frameUrl = 'app://berth/index.html') {
  const backend = createEchoBackend();
  const ipc = new InMemoryIpc();
  installIpcTransport({ ipcMain: ipc.ipcMain, router: backend.router, isTrustedSender: isAppFrame });
  const { ipcRenderer, webContents } = ipc.renderer(7, frameUrl);
  return { backend, webContents, bridge: createPreloadApi(ipcRenderer), ipcRenderer };
}

describe('the IPC transport', () => {
  it.each(['https://evil.example/', 'file:///tmp/index.html', 'app://evil/index.html'])(
    'refuses calls from a frame showing %s',
    async (url) => {
      const { bridge } = setup(url);
      await expect(bridge.call('engine.status', {})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    },
  );

  it('ignores subscriptions from an untrusted frame', async () => {
    const { bridge, webContents, backend } = setup('https://evil.example/');
    bridge.subscribe('engine', {}, () => {});
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(backend.engineStreamRunning()).toBe(false);
    expect(webContents.sent).toEqual([]);
  });

  it('ends a window’s subscriptions when its webContents is destroyed', async () => {
    const { bridge, webContents, backend } = setup();
    const events: unknown[] = [];
    bridge.subscribe('engine', {}, (event) => events.push(event));
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));
    webContents.destroy();
    await backend.engineStreamAborted;
    expect(backend.engineStreamRunning()).toBe(false);
  });

  it('sends each subscription’s events on its own channel', async () => {
    const { bridge, webContents } = setup();
    const a: unknown[] = [];
    const b: unknown[] = [];
    bridge.subscribe('logs', { id: 'aa', tail: 1 }, (event) => a.push(event));
    bridge.subscribe('logs', { id: 'bb', tail: 2 }, (event) => b.push(event));
    await vi.waitFor(() => expect(a.length + b.length).toBe(5));
    expect(new Set(webContents.sent).size).toBe(2);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(3);
  });
});

describe('the preload bridge', () => {
  it('refuses names outside the contract without sending them', async () => {
    const { bridge, ipcRenderer } = setup();
    const invoke = vi.spyOn(ipcRenderer, 'invoke');
    await expect(bridge.call('__proto__', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('rejects with a plain ErrorShape value, not an Error', async () => {
    const { bridge } = setup();
    const error = (await bridge
      .call('images.tag', { source: 'a', target: 'b' })
      .catch((e: unknown) => e)) as ErrorShape;
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'No such image: a', fix: 'Build it first.' });
  });

  it('passes only event values to the page, and unsubscribing removes its listener', async () => {
    const { bridge, webContents, backend } = setup();
    const received: unknown[][] = [];
    const id = bridge.subscribe('engine', {}, (...args) => received.push(args));
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0));
    expect(received[0]).toEqual([{ kind: 'status', status: expect.objectContaining({ state: 'disconnected' }) }, 1]);
    expect(webContents.rendererListenerCount()).toBe(1);
    bridge.unsubscribe(id);
    expect(webContents.rendererListenerCount()).toBe(0);
    await backend.engineStreamAborted;
  });

  it('exposes exactly call, subscribe, ack, send and unsubscribe, all functions', () => {
    const { bridge } = setup();
    expect(Object.keys(bridge).sort()).toEqual(['ack', 'call', 'send', 'subscribe', 'unsubscribe']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });
});

describe('messages up a duplex stream over IPC', () => {
  it('reach only the sending page’s own subscription: another page’s sid is refused with NOT_FOUND', async () => {
    const backend = createEchoBackend();
    const ipc = new InMemoryIpc();
    installIpcTransport({ ipcMain: ipc.ipcMain, router: backend.router, isTrustedSender: isAppFrame });
    const owner = ipc.renderer(7, 'app://berth/index.html');
    const other = ipc.renderer(8, 'app://berth/index.html');
    const outputs: unknown[] = [];
    const bridge = createPreloadApi(owner.ipcRenderer);
    const sid = bridge.subscribe(
      'terminal',
      { target: { kind: 'exec', container: 'echo-me' }, size: { cols: 80, rows: 24 } },
      (event, seq) => {
        outputs.push(event);
        bridge.ack(sid, seq);
      },
    );
    await vi.waitFor(() => expect(outputs).toHaveLength(1));
    // The other page writes to the owner's sid by hand: its own page hears the refusal, the owner nothing.
    const refusals: unknown[] = [];
    other.ipcRenderer.on(streamChannel(sid), (_event, delivery) => refusals.push(delivery));
    other.ipcRenderer.send(SEND_CHANNEL, { sid, message: { kind: 'data', data: 'rm -rf /\r' } });
    await vi.waitFor(() => expect(refusals).toEqual([{ refused: expect.objectContaining({ code: 'NOT_FOUND' }) }]));
    bridge.send(sid, { kind: 'data', data: 'mine' });
    await vi.waitFor(() => expect(outputs).toHaveLength(2));
    expect(outputs[1]).toEqual({ kind: 'output', data: 'mine' });
  });
});

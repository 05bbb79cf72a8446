/**
 * An in-memory stand-in for Electron's ipcMain, one renderer's ipcRenderer and its webContents, so the
 * IPC transport and the preload's logic run in tests without Electron. Values cross through
 * structuredClone, as they do between processes.
 */
import type { IpcMainLike } from '../ipc-transport';
import type { IpcRendererLike } from '../preload-api';

type Listener = (event: unknown, ...args: unknown[]) => unknown;

export class InMemoryIpc {
  private readonly mainHandlers = new Map<string, Listener>();
  private readonly mainListeners = new Map<string, Set<Listener>>();

  readonly ipcMain: IpcMainLike = {
    handle: (channel: string, listener: Listener) => {
      this.mainHandlers.set(channel, listener);
    },
    removeHandler: (channel: string) => {
      this.mainHandlers.delete(channel);
    },
    on: (channel: string, listener: Listener) => {
      const listeners = this.mainListeners.get(channel) ?? new Set();
      listeners.add(listener);
      this.mainListeners.set(channel, listeners);
    },
    removeListener: (channel: string, listener: Listener) => {
      this.mainListeners.get(channel)?.delete(listener);
    },
  } as unknown as IpcMainLike;

  /**
   * A renderer whose main frame shows `frameUrl`. Pass an existing webContents for the page it shows after
   * a reload or navigation (call its `navigate()` first): a fresh preload on the same webContents.
   */
  renderer(
    id: number,
    frameUrl: string,
    webContents = new FakeWebContents(id),
  ): { ipcRenderer: IpcRendererLike; webContents: FakeWebContents } {
    const event = () => ({ sender: webContents, senderFrame: { url: frameUrl } });
    const ipcRenderer: IpcRendererLike = {
      invoke: async (channel, ...args) => {
        const handler = this.mainHandlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        return structuredClone(await handler(event(), ...structuredClone(args)));
      },
      send: (channel, ...args) => {
        for (const listener of this.mainListeners.get(channel) ?? []) listener(event(), ...structuredClone(args));
      },
      on: (channel, listener) => webContents.addRendererListener(channel, listener),
      removeListener: (channel, listener) => webContents.removeRendererListener(channel, listener),
    };
    return { ipcRenderer, webContents };
  }
}

export class FakeWebContents {
  private readonly rendererListeners = new Map<string, Set<Listener>>();
  private readonly destroyedListeners: (() => void)[] = [];
  private readonly lifecycleListeners = new Map<string, ((...args: unknown[]) => void)[]>();
  private destroyed = false;
  readonly sent: string[] = [];

  constructor(readonly id: number) {}

  send(channel: string, ...args: unknown[]): void {
    this.sent.push(channel);
    const cloned = structuredClone(args);
    queueMicrotask(() => {
      for (const listener of this.rendererListeners.get(channel) ?? []) listener({ sender: 'opaque' }, ...cloned);
    });
  }
  once(event: string, listener: () => void): this {
    if (event === 'destroyed') this.destroyedListeners.push(listener);
    return this;
  }
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.lifecycleListeners.set(event, [...(this.lifecycleListeners.get(event) ?? []), listener]);
    return this;
  }
  /** A main-frame navigation or reload, as Electron reports it: started, then committed. */
  navigate(url = 'app://berth/index.html'): void {
    this.rendererListeners.clear(); // the old page and its listeners are gone
    const details = { url, isMainFrame: true, isSameDocument: false };
    for (const listener of this.lifecycleListeners.get('did-start-navigation') ?? []) listener(details);
    for (const listener of this.lifecycleListeners.get('did-navigate') ?? []) listener({}, url, -1, '');
  }
  /** The renderer process crashed or was killed; the webContents lives on (and may reload). */
  crash(): void {
    for (const listener of this.lifecycleListeners.get('render-process-gone') ?? []) {
      listener({}, { reason: 'crashed', exitCode: 1 });
    }
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    for (const listener of this.destroyedListeners.splice(0)) listener();
  }
  addRendererListener(channel: string, listener: Listener): void {
    const listeners = this.rendererListeners.get(channel) ?? new Set();
    listeners.add(listener);
    this.rendererListeners.set(channel, listeners);
  }
  removeRendererListener(channel: string, listener: Listener): void {
    this.rendererListeners.get(channel)?.delete(listener);
  }
  rendererListenerCount(): number {
    return [...this.rendererListeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

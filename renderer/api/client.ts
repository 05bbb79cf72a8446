/**
 * The one BerthApi the renderer uses: IPC through the preload's bridge inside Electron, HTTP and
 * WebSocket in web mode. Both carry the same contract and raise the same BerthError.
 */
import type { BerthApi, BerthBridge } from '../../electron/contract';
import { createIpcTransport } from './ipc-transport';
import { createWebTransport } from './web-transport';

declare global {
  interface Window {
    berth?: BerthBridge;
  }
}

const bridge = typeof window === 'undefined' ? undefined : window.berth;

export const api: BerthApi = bridge ? createIpcTransport(bridge) : createWebTransport();

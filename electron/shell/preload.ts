/** Preload (bundled to dist/electron/preload.cjs, runs sandboxed): exposes `window.berth`, nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('berth', createPreloadApi(ipcRenderer));

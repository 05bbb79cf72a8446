/**
 * Berth's one window: locked-down webPreferences, loaded from app://berth/. The BrowserWindow class is
 * passed in, so this file (and its tests) never load Electron.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './app-origin';

/** The security checklist, as settings: isolated, sandboxed, no Node, no webviews, no insecure content. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Berth',
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: secureWebPreferences(preload),
  };
}

export function createMainWindow(
  BrowserWindowClass: new (options: BrowserWindowConstructorOptions) => BrowserWindow,
  preload: string,
): BrowserWindow {
  const window = new BrowserWindowClass(mainWindowOptions(preload));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

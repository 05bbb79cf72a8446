/**
 * Electron main process (bundled to dist/electron/main.cjs): one instance, one hardened window served
 * from app://berth/, the IPC transport over the shared router, and a clean quit.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { createBackend } from '../api/backend';
import { APP_SCHEME, isAppFrame } from './app-origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { installIpcTransport } from './ipc-transport';
import { menuTemplate } from './menu';
import { createExternalOpener, denyAllPermissions, hardenWebContents } from './navigation-guard';
import { createSafeStorageSecretStore } from './secret-store';
import { createMainWindow } from './window';

// Must run before the app is ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// main.cjs and preload.cjs sit side by side in dist/electron; the renderer is in dist/renderer.
const bundleDir = __dirname;
const rendererDir = join(bundleDir, '..', 'renderer');
const preloadPath = join(bundleDir, 'preload.cjs');

// createExternalOpener vets every URL (http/https only, no credentials) before this runs.
const openLink = createExternalOpener((vettedUrl) => shell.openExternal(vettedUrl));
let mainWindow: BrowserWindow | undefined;

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow(BrowserWindow, preloadPath);
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const backend = createBackend({
    dataDir: app.getPath('userData'),
    secretStore: createSafeStorageSecretStore({ safeStorage, filePath: join(app.getPath('userData'), 'secrets.json') }),
    openExternal: async (url) => {
      await openLink(url.href);
    },
    projectDir: app.getAppPath(),
    // Native dialogs, attached to Berth's window: a folder, or a file to save an export to. Nothing is read
    // or written here; the core writes the export.
    pickFolder: async (defaultPath) => {
      const options = {
        title: 'Choose the build context folder',
        properties: ['openDirectory' as const, 'dontAddToRecent' as const],
        ...(defaultPath !== undefined && { defaultPath }),
      };
      const result =
        mainWindow && !mainWindow.isDestroyed()
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    pickSaveFile: async (defaultName) => {
      const options = {
        title: 'Export logs',
        defaultPath: join(app.getPath('downloads'), defaultName),
        properties: ['showOverwriteConfirmation' as const, 'dontAddToRecent' as const],
      };
      const result =
        mainWindow && !mainWindow.isDestroyed()
          ? await dialog.showSaveDialog(mainWindow, options)
          : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  });

  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  denyAllPermissions(session.defaultSession);
  const removeIpc = installIpcTransport({ ipcMain, router: backend.router, isTrustedSender: isAppFrame });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform)));
  showMainWindow();

  app.on('activate', showMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.once('will-quit', (event) => {
    event.preventDefault();
    removeIpc();
    void backend.close().finally(() => app.exit(0));
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openLink));
  start().catch((error: unknown) => {
    console.error('Berth could not start:', error);
    app.exit(1);
  });
}

/**
 * Launches the real Electron app with playwright-core and checks the window is locked down. Runs only
 * when the Electron binary is already installed (found without importing `electron`, which would try
 * to download it) and the bundles are built; otherwise it is reported as skipped, with the reason.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { hasDisplay, installedElectronBinary } from '../../scripts/start';

const root = join(import.meta.dirname, '..', '..');
const binary = installedElectronBinary(root);
const built = existsSync(join(root, 'dist', 'electron', 'main.cjs'));
const skipReason = !binary
  ? 'the Electron binary is not installed (node_modules/electron/path.txt or its dist/ is missing)'
  : !built
    ? 'dist/electron/main.cjs is missing; run `npm run build`'
    : !hasDisplay()
      ? 'no display (set DISPLAY, or run under xvfb-run)'
      : undefined;
if (skipReason) console.log(`[skip] Electron smoke test: ${skipReason}`);

describe('the Electron app', () => {
  it.skipIf(skipReason !== undefined)('opens one sandboxed window on app://berth with only window.berth', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [root], env: { ...process.env, CI: '1' } });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toBe('app://berth/index.html');
      const exposed = await page.evaluate(() => ({
        berth: Object.keys((window as unknown as { berth: object }).berth).sort(),
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
      }));
      expect(exposed).toEqual({
        berth: ['ack', 'call', 'subscribe', 'unsubscribe'],
        require: 'undefined',
        process: 'undefined',
      });
      const project = await page.evaluate(() =>
        (window as unknown as { berth: { call(n: string, i: object): Promise<unknown> } }).berth.call(
          'project.default',
          {},
        ),
      );
      expect(project).toMatchObject({ dockerfile: 'Dockerfile', tags: ['notas-iv:latest'] });
      const navigated = await page.evaluate(() => {
        window.location.href = 'https://example.com/';
        return new Promise((resolve) => setTimeout(() => resolve(window.location.href), 500));
      });
      expect(navigated).toBe('app://berth/index.html');
    } finally {
      await app.close();
    }
  });
});

/**
 * Several browser tabs on one web-mode server: each signs in with its own one-time link, shows the engine
 * connected, and sees a container created after they opened (through the one event feed, no polling).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../e2e/browser';
import { startWebMode } from '../../e2e/web-mode';
import { LABEL, type LoadResult, RUN } from './load';

const run = promisify(execFile);
const TAB_DEADLINE_MS = 60_000;

export async function browserTabs(image: string, count: number): Promise<LoadResult> {
  const berth = await startWebMode({ projectDir: process.cwd() });
  const launched = await launchChromium();
  const notes: string[] = [];
  try {
    const pages: Page[] = [];
    const openStarted = performance.now();
    await Promise.all(
      Array.from({ length: count }, async () => {
        const page = await launched.browser.newPage();
        page.on('pageerror', (error) => notes.push(`page error: ${error.message.slice(0, 200)}`));
        pages.push(page);
        await page.goto(berth.signInUrl(), { timeout: TAB_DEADLINE_MS });
        await page
          .getByLabel('Engine connection')
          .filter({ hasText: /^\s*connected\s*$/i })
          .waitFor({ timeout: TAB_DEADLINE_MS });
        await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Containers' }).click();
        await page.getByRole('table', { name: 'Containers' }).waitFor({ timeout: TAB_DEADLINE_MS });
      }),
    );
    const allOpenMs = performance.now() - openStarted;

    const name = `berth-reliability-${RUN}-tabs`;
    const createdAt = performance.now();
    await run('docker', ['create', '--label', LABEL, '--name', name, image, 'true']);
    const seen = await Promise.all(
      pages.map((page) =>
        page
          .getByRole('table', { name: 'Containers' })
          .getByText(name, { exact: true })
          .waitFor({ timeout: TAB_DEADLINE_MS })
          .then(
            () => performance.now() - createdAt,
            () => Number.NaN,
          ),
      ),
    );
    const showed = seen.filter((ms) => !Number.isNaN(ms));
    return {
      name: `${count} browser tabs in web mode (Chromium)`,
      bar: 'every tab signs in, stays connected and sees a new container',
      held: pages.length === count && showed.length === count && notes.length === 0,
      figures: {
        'tabs signed in and connected': pages.length,
        'all tabs open and showing Containers, ms': Math.round(allOpenMs),
        'tabs showing the new container': showed.length,
        'slowest tab to show it, ms': showed.length ? Math.round(Math.max(...showed)) : 'none',
        ...(notes.length && { 'page errors': notes.join('; ') }),
      },
    };
  } finally {
    await launched.close();
    await berth.close();
  }
}

/**
 * The views added in session 3 (Disk, container Files, merged Logs; Services is in services.e2e.test.ts, which
 * has the swarm) in Debian's Chromium against web mode and the real engine, in dark mode and by keyboard
 * alone: every piece of text meets WCAG AA contrast on what it is drawn on, Tab reaches every control, and
 * each shows a focus ring nothing clips (e2e/a11y-audit.ts). Run under the engine lock.
 */
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { contrastProblems, keyboardProblems } from './a11y-audit';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous: the first connect and disk usage share two loaded cores with other work. */
const UI_DEADLINE_MS = 60_000;
const WINDOW = { width: 1360, height: 900 };

const litter = new EngineLitter();
const project = uniqueName('darkkeys').replace(/[^a-z0-9_-]/g, '');
const printers = [litter.container(uniqueName('dark-logs-a')), litter.container(uniqueName('dark-logs-b'))];
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;

const openView = (name: string) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
const view = () => page.locator('main.view');

/** Both checks on `root`, in dark mode: what they found wrong, to be empty. */
async function audit(root: ReturnType<Page['locator']>): Promise<string[]> {
  const contrast = await contrastProblems(page, root);
  const keys = await keyboardProblems(page, root);
  expect(keys.reached).toBeGreaterThan(0);
  return [...contrast, ...keys.problems];
}

beforeAll(async () => {
  for (const name of printers) {
    const script = `let i = 0; setInterval(() => console.log('${name} line ' + i++), 200)`;
    await docker(
      'run',
      '-d',
      '--name',
      name,
      '--label',
      `com.docker.compose.project=${project}`,
      inject('nodeImage'),
      'node',
      '-e',
      script,
    );
  }
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium({ colorScheme: 'dark' });
  page = await signedInPage(launched.browser, berth, UI_DEADLINE_MS);
  await page.setViewportSize(WINDOW);
  await page.emulateMedia({ colorScheme: 'dark' });
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
});

it('the Disk view, dark and by keyboard', async () => {
  await openView('Disk');
  await view().getByRole('table', { name: 'Disk usage' }).waitFor({ timeout: UI_DEADLINE_MS });
  expect(await audit(view())).toEqual([]);
});

it('the merged Logs view, its container tags included, dark and by keyboard', async () => {
  await openView('Logs');
  await view().getByLabel('Show').selectOption('project');
  await view().getByLabel('Compose project').fill(project);
  const tags = view().locator('.log-tag');
  await expect.poll(async () => new Set(await tags.allInnerTexts()).size, { timeout: UI_DEADLINE_MS }).toBe(2);
  expect(await audit(view())).toEqual([]);
});

it('the Files dialog of a container, dark and by keyboard', async () => {
  await openView('Containers');
  await page.getByRole('button', { name: `Files of ${printers[0]}` }).click();
  const dialog = page.getByRole('dialog', { name: `Files in ${printers[0]}` });
  await dialog.getByRole('table').waitFor({ timeout: UI_DEADLINE_MS });
  expect(await audit(dialog)).toEqual([]);
  await page.keyboard.press('Escape');
});

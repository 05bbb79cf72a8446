/**
 * Issue 11 part 5 in Debian's Chromium against web mode and the real dockerd: a build whose RUN fails offers
 * "Debug this step"; the shell opens in the state before it with the failing command typed at the prompt;
 * typing runs commands and shows their output; closing removes the container and image (docker CLI, by
 * label). The screenshot goes to docs/screenshots/debug-shell.png for the README.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { DEBUG_SHELL_LABEL } from '../electron/contract';
import { docker, testLabels, uniqueName, waitFor } from '../test/engine-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { copyNotesProject, REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** Generous: this build of three tiny steps and its cached rebuild take a second or two here. */
const BUILD_TIMEOUT = 120_000;
const SHELL_TIMEOUT = 60_000;

let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let notesDir: string;
let appDir: string;
const marker = uniqueName('e2e-debug');

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  notesDir = copyNotesProject();
  appDir = mkdtempSync(join(tmpdir(), 'berth-e2e-debug-'));
  writeFileSync(
    join(appDir, 'Dockerfile'),
    [
      'ARG BASE=node:22-alpine',
      'FROM ${BASE}',
      'WORKDIR /app',
      `RUN echo "${marker}" > config.txt`,
      'ENV MODE=production',
      'RUN test "$(cat config.txt)" = "expected" || exit 3',
      'CMD ["node", "index.js"]',
      '',
    ].join('\n'),
  );
  berth = await startWebMode({ projectDir: notesDir });
  launched = await launchChromium({ colorScheme: 'dark' });
  page = await signedInPage(launched.browser, berth);
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  for (const dir of [notesDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const debugLeftovers = async (): Promise<string> => {
  const [run, value] = Object.entries(testLabels())[0]!;
  const filters = ['--filter', `label=${DEBUG_SHELL_LABEL}`, '--filter', `label=${run}=${value}`];
  return `${await docker('ps', '-aq', ...filters)}${await docker('images', '-q', ...filters)}`.trim();
};

it('opens a debug shell at the failed step, runs typed commands, and removes it on close', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Build' }).click();
  const form = page.getByRole('form', { name: 'Build settings' });
  await expect.poll(() => form.getByLabel('Context folder').inputValue()).toBe(notesDir);
  await form.getByLabel('Context folder').fill(appDir);
  const base = form.getByLabel('BASE', { exact: true });
  await base.waitFor();
  await base.fill(inject('nodeImage'));
  await form.getByLabel('Tags').fill('');
  await form.getByRole('button', { name: 'Start build' }).click();

  const debugButton = page.getByRole('button', { name: 'Debug this step' });
  await debugButton.waitFor({ timeout: BUILD_TIMEOUT });
  expect(await page.getByRole('region', { name: 'Current build' }).getByLabel('Build state').innerText()).toContain(
    'failed',
  );
  await debugButton.click();

  const panel = page.getByRole('region', { name: 'Debug shell' });
  const screen = panel.locator('.xterm-rows');
  const shown = () => screen.innerText();
  // The failing command waits at the prompt; the terminal has the focus.
  await expect
    .poll(shown, { timeout: SHELL_TIMEOUT, interval: 200 })
    .toContain(`/bin/sh -c 'test "$(cat config.txt)" = "expected" || exit 3'`);
  expect(await panel.innerText()).toContain('press Enter to run it');
  await page.keyboard.press('Enter');
  await page.keyboard.type('echo "exit=$? in $(pwd) as $MODE: $(cat config.txt)"');
  await page.keyboard.press('Enter');
  await expect
    .poll(shown, { timeout: SHELL_TIMEOUT, interval: 200 })
    .toContain(`exit=3 in /app as production: ${marker}`);
  expect(await debugLeftovers()).not.toBe('');

  await panel.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'debug-shell.png') });

  await panel.getByRole('button', { name: 'Close Debug shell' }).click();
  await waitFor(async () => ((await debugLeftovers()) === '' ? true : undefined), SHELL_TIMEOUT, 'no debug container');
});

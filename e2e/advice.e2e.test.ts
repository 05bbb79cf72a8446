/**
 * Issue 11 part 3 in Debian's Chromium against web mode and the real dockerd: a careless project (the whole
 * context copied before the install, no .dockerignore, shell-form CMD, root) gets its findings in the Build
 * view; the COPY-order fix is shown as a diff, written on confirmation, and the rebuild's measured effect stands
 * beside the prediction. The screenshots go to docs/screenshots/ for the README.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** Four builds of a tiny app (two to measure before the fix, two after): seconds here, generous for a loaded machine. */
const MEASURE_TIMEOUT = 240_000;

let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let appDir: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  appDir = mkdtempSync(join(tmpdir(), 'berth-e2e-advice-'));
  mkdirSync(join(appDir, 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(
    join(appDir, 'Dockerfile'),
    `FROM ${inject('nodeImage')}\nWORKDIR /app\nCOPY . .\nRUN npm install --no-audit --no-fund && npm cache clean --force\nENV PORT=8080\nEXPOSE 3000\nCMD node index.js\n`,
  );
  writeFileSync(join(appDir, 'package.json'), '{ "name": "careless-app", "version": "1.0.0", "private": true }\n');
  writeFileSync(join(appDir, 'index.js'), `console.log("hello ${Date.now()}");\n`);
  writeFileSync(join(appDir, 'node_modules', 'left-pad', 'index.js'), `module.exports = ${'0'.repeat(20_000)};\n`);
  berth = await startWebMode({ projectDir: appDir });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth);
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

it('finds what the careless Dockerfile should change, writes the COPY-order fix on confirmation, and measures it', {
  timeout: 2 * MEASURE_TIMEOUT,
}, async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Build' }).click();
  const panel = page.getByRole('region', { name: 'Dockerfile advice' });
  await panel.getByRole('button', { name: 'Check the Dockerfile' }).click();
  const findings = panel.getByRole('list', { name: 'Findings' }).locator(':scope > li');
  await expect.poll(() => findings.count()).toBe(5);
  expect(await findings.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')?.split(':')[0]))).toEqual([
    '.dockerignore',
    'line 1', // no USER: the final stage, from its FROM, runs as root
    'line 3',
    'line 6',
    'line 7',
  ]);
  expect(await findings.first().innerText()).toMatch(/node_modules: 20\.\d kB/);

  // The state before the fix, measured by two builds of a temporary copy.
  await panel.getByRole('button', { name: /Measure now/ }).click();
  await panel.getByText(/steps cached after a source edit/).waitFor({ timeout: MEASURE_TIMEOUT });
  expect(await panel.getByText(/steps cached after a source edit/).innerText()).toMatch(/1 of 3 steps cached/);

  const copyFirst = findings.nth(2);
  await copyFirst.getByRole('button', { name: 'Show the fix' }).click();
  const diff = copyFirst.getByRole('group', { name: /Diff of Dockerfile/ });
  expect(await diff.innerText()).toContain('+COPY package.json .\n');
  await copyFirst.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'advice-diff.png') });
  // Nothing is written before the confirmation.
  expect(readFileSync(join(appDir, 'Dockerfile'), 'utf8')).toContain('COPY . .\nRUN npm install');

  await diff.getByRole('button', { name: 'Write this fix to Dockerfile' }).click();
  const effect = panel.getByRole('region', { name: 'Effect of the fix' });
  const cachedRow = effect.getByRole('row', { name: /Steps cached/ });
  await expect
    .poll(() => cachedRow.innerText(), { timeout: MEASURE_TIMEOUT, interval: 250 })
    .toMatch(/1 of 3\s+1 → 3 of 4 \(edit of index\.js\)\s+3 of 4/);
  // The context grows by the bytes of the added COPY line, as predicted, and the rebuild measures exactly that.
  const contextRow = await effect.getByRole('row', { name: /Context sent/ }).innerText();
  const figures = [...contextRow.matchAll(/\(([\d,]+) bytes\)/g)].map((m) => m[1]);
  expect(figures).toHaveLength(4);
  expect([figures[0], figures[3]]).toEqual([figures[1], figures[2]]);
  expect(readFileSync(join(appDir, 'Dockerfile'), 'utf8')).toContain(
    'COPY package.json .\nRUN npm install --no-audit --no-fund && npm cache clean --force\nCOPY . .\n',
  );
  // The user's source was never edited: the measuring edits went to temporary copies.
  expect(readFileSync(join(appDir, 'index.js'), 'utf8')).toMatch(/^console\.log\("hello \d+"\);\n$/);
  await effect.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'advice-effect.png') });
});

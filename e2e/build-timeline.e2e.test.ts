/**
 * Issue 11 (where the time went, trace export) in Debian's Chromium against web mode and the real dockerd: a
 * build with two parallel stages, one sleeping, shows its timeline with the critical path through the slow
 * stage; the bars are reachable with the keyboard and Enter opens the step; the trace downloads as OTLP JSON
 * that the contract's schema accepts. Screenshots (light and dark) go to docs/screenshots/ for the README.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { OtlpTrace } from '../electron/contract';
import { EngineLitter, uniqueName } from '../test/engine-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { copyNotesProject, REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** Generous: the build sleeps 3 s and its other steps take about a second here. */
const BUILD_TIMEOUT = 120_000;

let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let notesDir: string;
let appDir: string;
const litter = new EngineLitter();
const imageTag = litter.image(`${uniqueName('e2e-timeline')}:test`);

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  notesDir = copyNotesProject();
  appDir = mkdtempSync(join(tmpdir(), 'berth-e2e-timeline-'));
  // A marker of this run in each RUN, so the engine's cache cannot hold them and they really run.
  const marker = uniqueName('run');
  writeFileSync(
    join(appDir, 'Dockerfile'),
    `ARG BASE=node:22-alpine
FROM \${BASE} AS assets
RUN sleep 3 && echo "${marker}" > /assets.txt
FROM \${BASE} AS deps
RUN echo "${marker}" > /deps.txt
FROM \${BASE} AS runtime
COPY --from=deps /deps.txt /deps.txt
COPY --from=assets /assets.txt /assets.txt
RUN cat /deps.txt /assets.txt
CMD ["cat", "/assets.txt"]
`,
  );
  berth = await startWebMode({ projectDir: notesDir });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth);
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  for (const dir of [notesDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

it('shows where the time went, the critical path through the slow stage, and exports the trace', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Build' }).click();
  const form = page.getByRole('form', { name: 'Build settings' });
  await expect.poll(() => form.getByLabel('Context folder').inputValue()).toBe(notesDir);
  await form.getByLabel('Context folder').fill(appDir);
  const base = form.getByLabel('BASE', { exact: true });
  await base.waitFor();
  await base.fill(inject('nodeImage'));
  await form.getByLabel('Tags').fill(imageTag);
  await form.getByRole('button', { name: 'Start build' }).click();

  const timeline = page.getByRole('region', { name: 'Where the time went' });
  // Live: the sleeping step's bar is drawn while it runs.
  await timeline.getByRole('listitem', { name: /^RUN sleep 3 .*: running/ }).waitFor({ timeout: BUILD_TIMEOUT });
  const history = page.getByRole('table', { name: 'Build history' }).getByRole('row');
  await expect.poll(() => history.count(), { timeout: BUILD_TIMEOUT, interval: 250 }).toBeGreaterThan(1);
  expect(await page.getByRole('region', { name: 'Current build' }).getByLabel('Build state').innerText()).toContain(
    'succeeded',
  );

  const bar = (name: RegExp) => timeline.getByRole('listitem', { name });
  expect(await bar(/^RUN sleep 3 .*: ran, .*on the critical path$/).count()).toBe(1);
  expect(await bar(/^COPY --from=assets .*on the critical path$/).count()).toBe(1);
  expect(await bar(/^RUN echo .*: ran/).getAttribute('aria-label')).not.toMatch(/critical path/);
  expect(await timeline.getByTestId('timeline-what-if').innerText()).toMatch(/^If the slowest step, RUN sleep 3/);

  // The keyboard: one tab stop, arrows move between bars, Enter opens the step in the step list.
  await bar(/^RUN sleep 3/).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^RUN echo/);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const toggle = page.getByRole('button', { name: /Show output of RUN sleep 3/ });
  await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');

  // The trace: a real download, in the shape tracing tools read.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    timeline.getByRole('button', { name: 'Export trace (OTLP JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^berth-build-[\w-]+\.otlp\.json$/);
  const trace = OtlpTrace.parse(JSON.parse(readFileSync((await download.path())!, 'utf8')));
  const names = trace.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['stage assets', 'stage deps', 'stage runtime']));
  expect(names.some((n) => n.startsWith('RUN sleep 3'))).toBe(true);

  await timeline.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'build-timeline.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SCREENSHOTS, 'build-timeline-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

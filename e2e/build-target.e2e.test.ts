/**
 * Issue 10 (items 6 to 8) in Debian's Chromium against web mode and the real dockerd: a project that is not
 * the bundled one, typed as a path. The form lists its ARGs with their defaults and its stages; a build to
 * the middle stage with an unused build arg shows the warning, and the Dockerfile text beside the steps opens
 * a step from its line. The screenshot goes to docs/screenshots/ for the README.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { EngineLitter, uniqueName } from '../test/engine-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { copyNotesProject, REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** Generous: this build of three tiny steps takes about a second here. */
const BUILD_TIMEOUT = 120_000;

const DOCKERFILE = `# A small Node app: dependencies, a test stage, and the runtime image.
ARG BASE=node:22-alpine
FROM \${BASE} AS deps
WORKDIR /app
COPY package.json ./
RUN mkdir -p node_modules && echo "dependencies for node $(node --version)"

FROM \${BASE} AS test
ARG TEST_FLAGS=--verbose
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY src ./src
RUN node src/check.js $TEST_FLAGS

FROM \${BASE} AS runtime
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY src ./src
ENV NODE_ENV=production
CMD ["node", "src/index.js"]
`;

let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let notesDir: string;
let appDir: string;
let missingBaseDir: string;
const litter = new EngineLitter();
const imageTag = litter.image(`${uniqueName('e2e-target')}:test`);
const missingBase = `${uniqueName('berth-missing-base')}:1.0`;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  notesDir = copyNotesProject();
  appDir = mkdtempSync(join(tmpdir(), 'berth-e2e-multistage-'));
  mkdirSync(join(appDir, 'src'));
  writeFileSync(join(appDir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(appDir, 'package.json'), '{ "name": "small-app", "version": "1.0.0" }\n');
  writeFileSync(join(appDir, 'src', 'index.js'), 'console.log("hello");\n');
  writeFileSync(
    join(appDir, 'src', 'check.js'),
    // A marker of this run, so the engine's cache cannot hold the test stage and the check really runs.
    `console.log(\`checking with \${process.argv.slice(2).join(" ")}\`);\nconsole.log("3 checks passed");\n// ${uniqueName('run')}\n`,
  );
  // A project whose base image is on no engine and cannot be pulled (the machine is offline): the build fails
  // before any step runs. The name is unique to this run, so no cache or earlier pull can hold it.
  missingBaseDir = mkdtempSync(join(tmpdir(), 'berth-e2e-missing-base-'));
  writeFileSync(
    join(missingBaseDir, 'Dockerfile'),
    `# The team's base image, not pulled on this machine yet.\nFROM ${missingBase}\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n`,
  );
  writeFileSync(join(missingBaseDir, 'index.js'), 'console.log("hello");\n');
  berth = await startWebMode({ projectDir: notesDir });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, 20_000);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: join(tmpdir(), `berth-e2e-failure-${context.task.name.slice(0, 40)}.png`) });
  }
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  for (const dir of [notesDir, appDir, missingBaseDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

it('builds a multi-stage project to its target, with its ARGs, the unused-arg warning and the Dockerfile text', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Build' }).click();
  const form = page.getByRole('form', { name: 'Build settings' });
  await expect.poll(() => form.getByLabel('Context folder').inputValue()).toBe(notesDir);
  // Web mode has no native folder dialog, and says so.
  expect(await form.getByText(/cannot open a folder dialog/).count()).toBe(1);

  await form.getByLabel('Context folder').fill(appDir);
  const base = form.getByLabel('BASE', { exact: true });
  await base.waitFor();
  expect(await base.getAttribute('placeholder')).toBe('node:22-alpine');
  expect(await form.getByLabel('TEST_FLAGS').getAttribute('placeholder')).toBe('--verbose');
  // The bundled project's NODE_IMAGE does not follow into another project.
  expect(await form.getByLabel('NODE_IMAGE').count()).toBe(0);
  await base.fill(inject('nodeImage'));
  expect(
    await form
      .getByLabel('Target stage')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
  ).toEqual(['', 'deps', 'test', 'runtime']);
  await form.getByLabel('Target stage').selectOption('test');
  await form.getByRole('button', { name: 'Add other build arg' }).click();
  await form.getByLabel('other build arg 1 name').fill('COMMIT_SHA');
  await form.getByLabel('other build arg 1 value').fill('4f2a9c1');
  await form.getByLabel('Tags').fill(imageTag);

  await form.getByRole('button', { name: 'Start build' }).click();
  const history = page.getByRole('table', { name: 'Build history' }).getByRole('row');
  await expect.poll(() => history.count(), { timeout: BUILD_TIMEOUT, interval: 250 }).toBeGreaterThan(1);
  const summary = page.getByRole('region', { name: 'Current build' });
  expect(await summary.getByLabel('Build state').innerText()).toContain('succeeded');
  expect(await page.getByRole('list', { name: 'Build warnings' }).innerText()).toMatch(
    /build-args \[COMMIT_SHA\] were not consumed/,
  );
  expect(await history.nth(1).innerText()).toMatch(/→ test/);

  // The Dockerfile text: the target's RUN line opens its step, whose output the check wrote.
  const text = page.getByRole('region', { name: 'Dockerfile text' });
  const runLine = text.getByRole('button', { name: /^Line 13: RUN node src\/check\.js/ });
  await runLine.click();
  const toggle = page.getByRole('button', { name: /Show output of RUN node src\/check\.js/ });
  await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
  await expect.poll(() => page.getByText('3 checks passed').count()).toBeGreaterThan(0);
  // The runtime stage is past the target: its lines carry no step.
  expect(await text.getByRole('button', { name: /^Line 18:/ }).count()).toBe(0);

  // The result: summary with the warning, the Dockerfile text beside its steps, the history row with the target.
  await summary.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'build-target.png') });
  // The form as it was filled: the Dockerfile's ARGs with their defaults, the target, the extra arg.
  await form.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'build-target-form.png') });
});

it('a base image that cannot be pulled fails before any step, naming its FROM line, the image and the fix', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Build' }).click();
  const form = page.getByRole('form', { name: 'Build settings' });
  await form.getByLabel('Context folder').fill(missingBaseDir);
  // The form has read this project's Dockerfile: its one stage has no name, so it builds to the last stage.
  await form.getByText(/names no stage/).waitFor();
  const target = form.getByLabel('Target stage');
  if (await target.isEnabled()) await target.selectOption('');
  expect(await target.inputValue()).toBe('');
  await form.getByLabel('Tags').fill(litter.image(`${uniqueName('e2e-missing-base')}:test`));
  const rowsBefore = await page.getByRole('table', { name: 'Build history' }).getByRole('row').count();
  await form.getByRole('button', { name: 'Start build' }).click();
  const history = page.getByRole('table', { name: 'Build history' }).getByRole('row');
  await expect.poll(() => history.count(), { timeout: BUILD_TIMEOUT, interval: 250 }).toBeGreaterThan(rowsBefore);
  const summary = page.getByRole('region', { name: 'Current build' });
  expect(await summary.getByLabel('Build state').innerText()).toContain('failed');
  const alert = await summary.getByRole('alert').innerText();
  expect(alert).toMatch(/The base image \S*/);
  expect(alert).toContain(`${missingBase} (FROM on line 2 of Dockerfile)`);
  expect(alert).toMatch(/make .* available to the engine/);
  // No step ran: none is blamed, and the steps after the FROM are "not run".
  expect(await page.getByText('not run').count()).toBeGreaterThan(0);
  // The summary with its explanation, and below it the steps marked "not run", in one picture.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1360, height: 1000 });
  await summary.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'build-missing-base.png') });
  if (viewport) await page.setViewportSize(viewport);
});

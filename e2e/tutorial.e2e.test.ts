/**
 * The tutorial's whole flow, driven through the real UI in Debian's Chromium against web mode, the real
 * dockerd and a real htpasswd registry: build, rebuild after a source edit (dependency install cached),
 * run with PORT and a host port, open the port link, read and search the logs, push with a wrong then
 * the right password. Screenshots of every view go to docs/screenshots/ for the README.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, freePort, uniqueName } from '../test/engine-harness';
import { startTestRegistry, type TestRegistry } from '../test/registry-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { copyNotesProject, REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const BUILD_TIMEOUT = 240_000;
/** Generous deadlines for the UI to answer on a busy machine. */
const UI_DEADLINE_MS = 60_000;
const SERVICE_DEADLINE_MS = 60_000;

let berth: RunningWebMode;
let registry: TestRegistry;
let launched: LaunchedBrowser;
let page: Page;
let projectDir: string;
const litter = new EngineLitter();
const imageTag = litter.image(`${uniqueName('e2e')}:latest`);
const containerName = litter.container(uniqueName('e2e-run'));
let hostPort = 0;

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The build's result at the top of the window: the form above it is tall now that it lists the Dockerfile's ARGs. */
async function showCurrentBuild(): Promise<void> {
  await page
    .getByRole('region', { name: 'Current build' })
    .evaluate((element) => element.scrollIntoView({ block: 'start' }));
}

async function openView(name: 'Build' | 'Images' | 'Containers' | 'Logs' | 'Ship'): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();
}

const step = (instruction: RegExp): Locator =>
  page.getByRole('region', { name: 'Build steps' }).getByRole('listitem', { name: instruction }).first();

const stepState = (instruction: RegExp): Promise<string> => step(instruction).getByTestId('step-state').innerText();

const isPortFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** Starts a build and waits for it to finish: the build history gains a row when its record is written. */
async function buildAndWait(): Promise<void> {
  const history = page.getByRole('table', { name: 'Build history' }).getByRole('row');
  const before = (await history.count()) || 1; // the header row, once the table is shown
  await page.getByRole('button', { name: 'Start build' }).click();
  await expect.poll(() => history.count(), { timeout: BUILD_TIMEOUT, interval: 250 }).toBeGreaterThan(before);
  const state = await page.getByRole('region', { name: 'Current build' }).getByLabel('Build state').innerText();
  expect(state).toContain('succeeded');
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  process.env.BERTH_NODE_IMAGE = inject('nodeImage');
  projectDir = copyNotesProject();
  registry = await startTestRegistry({ username: 'berth', password: 'right-password' });
  berth = await startWebMode({ projectDir });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, 20_000);
});

// A failing step leaves a picture of the page and the text of its alerts behind, and in the failure message.
afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await registry?.stop();
  await litter.cleanup();
  if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  delete process.env.BERTH_NODE_IMAGE;
});

describe('the tutorial flow in the dashboard', () => {
  it('builds the bundled notes service and shows every step', async () => {
    await openView('Build');
    const form = page.getByRole('form', { name: 'Build settings' });
    await expect.poll(() => form.getByLabel('Context folder').inputValue()).toBe(projectDir);
    await form.getByLabel('Tags').fill(imageTag);
    await buildAndWait();

    for (const instruction of [/RUN npm ci --omit=dev/, /COPY service\/src \.\/src/, /RUN npm run build/]) {
      expect(await stepState(instruction)).toMatch(/\b(cached|ran)\b/i);
    }
    expect(await page.getByTestId('build-context').innerText()).toMatch(/Context: .*in \d+ files/);
    await showCurrentBuild();
    await screenshot('build');
  });

  it('rebuilds after a source edit with the dependency install cached and the source COPY run again', async () => {
    // A comment no earlier run wrote, so the engine's build cache cannot already hold this source.
    appendFileSync(join(projectDir, 'service', 'src', 'app.ts'), `\n// edited by the end-to-end test ${Date.now()}\n`);
    await buildAndWait();
    expect(await stepState(/RUN npm ci --omit=dev/)).toMatch(/cached/i);
    expect(await stepState(/COPY service\/src \.\/src/)).toMatch(/\bran\b/i);
    expect(await page.getByTestId('build-cache-hits').innerText()).toMatch(/\d+\s*(of|\/)\s*\d+/);
    await showCurrentBuild();
    await screenshot('build-rebuild');
    // why the source COPY ran: exactly the edited file, against the previous build of the project
    expect(
      await step(/COPY service\/src \.\/src/)
        .getByTestId('step-cause')
        .innerText(),
    ).toMatch(/^Why it ran: files changed: modified service\/src\/app\.ts \(/);
    const compare = page.getByRole('region', { name: 'Compare builds' });
    await compare.getByRole('table', { name: 'Steps of both builds' }).waitFor({ timeout: UI_DEADLINE_MS });
    await compare.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot('build-compare');
  });

  it('lists the image and its layers', async () => {
    await openView('Images');
    await page.getByRole('searchbox', { name: 'Filter images' }).fill(imageTag.split(':')[0] as string);
    // An image with several tags is listed under its first one.
    await page
      .getByRole('button', { name: /^Show layers of / })
      .first()
      .click();
    const layers = page.getByRole('region', { name: /^Layers of / });
    // The runtime stage's layers: compiled JS and production dependencies copied from the build stages.
    await layers.getByText('COPY /app/dist ./dist').waitFor({ timeout: 30_000 });
    expect(await layers.getByText('COPY /app/node_modules ./node_modules').count()).toBe(1);
    expect(await layers.getByText('CMD ["node" "dist/server.js"]').count()).toBe(1);
    await screenshot('images');
  });

  it('runs the image with PORT 5000 on a free host port and opens the port link', async () => {
    await openView('Containers');
    const form = page.getByRole('form', { name: 'Run a container' });
    await form.getByLabel('Image').fill(imageTag);
    await form.getByLabel('Container name').fill(containerName);
    await form.getByRole('textbox', { name: 'PORT', exact: true }).fill('5000');
    // The form asks the backend for a free host port when it opens and fills it in when the answer comes.
    const hostPortBox = form.getByRole('textbox', { name: 'Host port' });
    await expect.poll(() => hostPortBox.inputValue(), { timeout: UI_DEADLINE_MS }).toMatch(/^\d+$/);
    hostPort = Number(await hostPortBox.inputValue());
    if (!(await isPortFree(hostPort))) {
      hostPort = await freePort();
      await form.getByRole('textbox', { name: 'Host port' }).fill(String(hostPort));
    }
    expect(hostPort).toBeGreaterThan(0);
    // What is sent is what was typed (the form is the one filled in, not a fresh one).
    expect(await form.getByLabel('Image').inputValue()).toBe(imageTag);
    expect(await form.getByLabel('Container name').inputValue()).toBe(containerName);
    await form.getByRole('button', { name: 'Run', exact: true }).click();

    // Either the started container shows, or the form says why not: fail at once with its words.
    const started = page.getByRole('region', { name: 'Started container' });
    const refusal = form.getByRole('alert');
    await started.or(refusal).first().waitFor({ timeout: UI_DEADLINE_MS });
    if (await refusal.count()) throw new Error(`The run was refused: ${(await refusal.allInnerTexts()).join(' | ')}`);
    expect(await docker('inspect', '-f', '{{.State.Running}}', containerName)).toBe('true');
    const link = started.getByRole('link', { name: `Open 127.0.0.1:${hostPort} → 5000 in the browser` });
    await link.waitFor({ timeout: UI_DEADLINE_MS });
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => undefined))?.status, {
        timeout: SERVICE_DEADLINE_MS,
      })
      .toBe(200);
    const [notesPage] = await Promise.all([launched.browser.waitForEvent('page'), link.click()]);
    await notesPage.waitForLoadState();
    expect(await notesPage.getByRole('heading', { name: 'Notes' }).count()).toBe(1);
    await notesPage.close();
    await screenshot('containers');
  });

  it('shows the listening line and the request lines in the logs, and searches them', async () => {
    await openView('Logs');
    await page.getByRole('combobox', { name: 'Container' }).selectOption({ label: `${containerName} (running)` });
    const lines = page.getByRole('log', { name: 'Log lines' });
    await lines.getByText('Listening at http://0.0.0.0:5000').waitFor({ timeout: UI_DEADLINE_MS });
    await lines
      .getByText(/GET \/ 200/)
      .first()
      .waitFor({ timeout: UI_DEADLINE_MS });
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('GET /');
    await expect.poll(() => page.getByLabel('Search matches').innerText()).toMatch(/[1-9]/);
    await screenshot('logs');
  });

  it('pushes to the local registry: a wrong password shows the error, the right one the digest', async () => {
    const target = `${registry.address}/${uniqueName('e2e-push')}:1.0`;
    litter.image(target);
    await openView('Ship');
    const login = page.getByRole('form', { name: 'Registry login' });
    await login.getByLabel('Registry').fill(registry.address);
    await login.getByLabel('User name').fill(registry.username);
    await login.getByLabel('Password or token').fill('wrong-password');
    await login.getByRole('button', { name: 'Log in' }).click();
    const loginError = login.getByRole('alert');
    await loginError.waitFor();
    expect(await loginError.innerText()).toMatch(/AUTH_FAILED|unauthorized|401/i);
    await screenshot('ship-wrong-password');

    await login.getByLabel('Password or token').fill(registry.password);
    const push = page.getByRole('form', { name: 'Tag and push' });
    await push.getByLabel('Local image').fill(imageTag);
    await push.getByLabel('Push to').fill(target);
    await push.getByRole('button', { name: 'Push', exact: true }).click();
    const digest = page.getByTestId('push-digest');
    await digest.waitFor({ timeout: 120_000 });
    expect(await digest.innerText()).toMatch(/sha256:[0-9a-f]{64}/);

    const manifest = await fetch(
      `http://${registry.address}/v2/${target.split('/')[1]?.replace(':1.0', '')}/manifests/1.0`,
      {
        headers: {
          Authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
          Accept: 'application/vnd.docker.distribution.manifest.v2+json',
        },
      },
    );
    expect(manifest.status).toBe(200);
    expect(await digest.innerText()).toContain(manifest.headers.get('docker-content-digest') ?? 'missing');
    await screenshot('ship');
  });

  it('leaves the container it ran in the engine until cleanup (sanity check of the run)', async () => {
    const state = await docker('inspect', '-f', '{{.State.Running}}', containerName);
    expect(state).toBe('true');
  });
});

/**
 * The Services view in Chromium against web mode and a real single-node Swarm (issue 13): deploy the notes
 * service with 2 replicas from the view, see both tasks running with their own host ports, read the service
 * logs, and write docs/screenshots/services.png for the README. The docker CLI is the oracle. The swarm is left
 * (and docker_gwbridge removed) in afterAll whatever happened: run only under the engine lock.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { buildNotesService, initTestSwarm, publishedPorts, type TestSwarm } from '../test/swarm-harness';
import { contrastProblems, keyboardProblems } from './a11y-audit';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { copyNotesProject, REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** Generous: each notes task needs its first HEALTHCHECK (test/swarm-harness.ts) before Swarm calls it running. */
const CONVERGE_DEADLINE_MS = 180_000;
const UI_DEADLINE_MS = 60_000;

const litter = new EngineLitter();
const image = litter.image(`${uniqueName('notes-services')}:1`);
const service = uniqueName('notes').slice(0, 30);
let swarm: TestSwarm | undefined;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let projectDir: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  swarm = await initTestSwarm(() => [service]);
  await buildNotesService(litter, image, inject('nodeImage'));
  projectDir = copyNotesProject();
  berth = await startWebMode({ projectDir });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, UI_DEADLINE_MS);
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await swarm?.leave();
  await litter.cleanup();
  if (projectDir) rmSync(projectDir, { recursive: true, force: true });
});

it('deploys the notes service with 2 replicas from the Services view, each task on its own port', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Services' }).click();
  const form = page.getByRole('form', { name: 'Deploy a service' });
  await form.getByLabel('Image').fill(image);
  await form.getByLabel('Service name').fill(service);
  await form.getByLabel('Container port (PORT)').fill('5000');
  await form.getByLabel('Replicas').fill('2');
  await form.getByRole('button', { name: 'Deploy' }).click();

  const card = page.getByRole('region', { name: `Service ${service}` });
  await card.getByText('2/2 running').waitFor({ timeout: CONVERGE_DEADLINE_MS });
  const tasks = card.getByRole('table', { name: `Tasks of ${service}` });
  const portLinks = tasks.getByRole('link');
  await expect.poll(() => portLinks.count(), { timeout: UI_DEADLINE_MS }).toBe(2);
  const ports = (await portLinks.allInnerTexts()).map((t) => Number(/:(\d+)\s*→/.exec(t)?.[1]));
  expect(new Set(ports).size).toBe(2);

  // The oracle: docker ps shows the same two host ports on the service's containers, and each answers 200.
  const published = await publishedPorts(service);
  for (const port of ports) {
    expect(published).toContain(`:${port}->5000/tcp`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  }

  await card.getByRole('button', { name: 'Logs' }).click();
  const logs = page.getByRole('region', { name: `Logs of ${service}` });
  await expect.poll(() => logs.innerText(), { timeout: UI_DEADLINE_MS }).toContain('Listening at http://0.0.0.0:5000');
  // Followed live and tagged by task: both replicas said where they listen, each under its own slot.task tag.
  const tags = logs.locator('.log-tag');
  await expect.poll(async () => new Set(await tags.allInnerTexts()).size, { timeout: UI_DEADLINE_MS }).toBe(2);
  for (const tag of await tags.allInnerTexts()) expect(tag).toMatch(/^[12]\.[a-z0-9]{12}$/);
  await card.evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SCREENSHOTS, 'services.png'), fullPage: true });
});

it('in dark mode and by keyboard alone: readable, every control reached, and Remove asks first', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const view = page.locator('main.view');
  const card = page.getByRole('region', { name: `Service ${service}` });
  await card.waitFor({ timeout: UI_DEADLINE_MS });
  await page
    .getByRole('region', { name: `Logs of ${service}` })
    .locator('.log-tag')
    .first()
    .waitFor();
  expect(await contrastProblems(page, view)).toEqual([]);
  const keys = await keyboardProblems(page, view);
  expect(keys.problems).toEqual([]);

  // Remove by keyboard: the first Enter only asks, naming the service; Escape keeps it; the second time goes.
  await card.getByRole('button', { name: 'Remove' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Remove service ${service}?` });
  await dialog.waitFor();
  expect(await contrastProblems(page, dialog)).toEqual([]);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await docker('service', 'ls', '--filter', `name=${service}`, '--format', '{{.Name}}')).toBe(service);
  await card.getByRole('button', { name: 'Remove' }).focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await card.waitFor({ state: 'detached', timeout: UI_DEADLINE_MS });
  // The oracle: the engine has no such service any more.
  expect(await docker('service', 'ls', '--filter', `name=${service}`, '--format', '{{.Name}}')).toBe('');
});

/**
 * A finished Heroku deploy through the UI, in Debian's Chromium against web mode, with Berth pointed at a
 * stub of Heroku's Platform API (test/deploy-stubs/heroku-stub.ts) and a real docker-registry standing in
 * for registry.heroku.com, through the same BERTH_HEROKU_* environment variables a user would set.
 * Writes docs/screenshots/deploy.png for the README.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startHerokuStandIn } from '../test/deploy-stubs/heroku-stub';
import { EngineLitter, uniqueName } from '../test/engine-harness';
import { buildPushableImage, removeLabelledImages } from '../test/registry-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, startWebMode } from './web-mode';

/** Generous deadlines: a sub-MiB push and a few stub calls take seconds on an idle machine. */
const CONNECT_DEADLINE_MS = 30_000;
const DEPLOY_DEADLINE_MS = 120_000;
const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshots', 'deploy.png');

const litter = new EngineLitter();
const app = 'notas-iv';
const variables = ['BERTH_HEROKU_API_URL', 'BERTH_HEROKU_REGISTRY'] as const;
let standIn: Awaited<ReturnType<typeof startHerokuStandIn>>;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let source: string;

beforeAll(async () => {
  standIn = await startHerokuStandIn(app);
  const { heroku, registry } = standIn;
  // As a user would start Berth: the endpoints come from the environment, nothing else is told.
  process.env.BERTH_HEROKU_API_URL = heroku.server.url;
  process.env.BERTH_HEROKU_REGISTRY = registry.address;
  source = await buildPushableImage(litter.image(`${uniqueName('e2e-deploy-src')}:1.0`));
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium();
  page = await launched.browser.newPage();
  await page.goto(berth.signInUrl());
  await page
    .getByLabel('Engine connection')
    .filter({ hasText: /^\s*connected\s*$/i })
    .waitFor({ timeout: CONNECT_DEADLINE_MS });
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  for (const name of variables) delete process.env[name];
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  await removeLabelledImages();
  await standIn?.stop();
});

it('signs in to Heroku, deploys the local image, and shows the release output and the app URL', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Ship' }).click();
  await page.getByRole('form', { name: 'Tag and push' }).getByLabel('Local image').fill(source);
  await page.getByRole('note').filter({ hasText: 'BERTH_HEROKU_API_URL' }).waitFor({ timeout: CONNECT_DEADLINE_MS });

  const herokuPanel = page.getByRole('region', { name: 'Heroku' });
  const signIn = herokuPanel.getByRole('form', { name: 'Heroku sign-in' });
  await signIn.getByLabel('Heroku API key').fill(standIn.apiKey);
  await signIn.getByRole('button', { name: 'Sign in to Heroku' }).click();
  await herokuPanel.getByText('Signed in as dev@example.com').waitFor({ timeout: CONNECT_DEADLINE_MS });
  await herokuPanel.getByRole('button', { name: 'Deploy to Heroku' }).click();

  const progress = page.getByRole('region', { name: 'Heroku deploy' });
  await progress.getByRole('link', { name: /herokuapp\.com/ }).waitFor({ timeout: DEPLOY_DEADLINE_MS });
  expect(await progress.getByRole('log', { name: 'Release output' }).innerText()).toContain('Release command finished');
  expect(await progress.getByRole('list', { name: 'Deploy steps' }).innerText()).not.toMatch(/failed/);
  expect(await page.locator('body').innerText()).not.toContain(standIn.apiKey);
  expect(standIn.heroku.server.violations).toEqual([]);
  await progress.scrollIntoViewIfNeeded();
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

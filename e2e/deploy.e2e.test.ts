/**
 * A finished Heroku deploy, and an Azure App Service deploy after a device code sign-in, through the UI, in Debian's Chromium against web mode, with Berth pointed at a
 * stub of Heroku's Platform API (test/deploy-stubs/heroku-stub.ts) and a real docker-registry standing in
 * for registry.heroku.com, and at stubs of Entra ID (TLS, a test CA) and ARM, through the same BERTH_*
 * environment variables a user would set.
 * Writes docs/screenshots/deploy.png for the README.
 */

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AZURE_CLOUDS } from '../electron/core/deploy';
import { ArmStub, AuthorityStub, testCertificate } from '../test/deploy-stubs/azure-stub';
import { startHerokuStandIn } from '../test/deploy-stubs/heroku-stub';
import { EngineLitter, uniqueName } from '../test/engine-harness';
import { buildPushableImage, removeLabelledImages } from '../test/registry-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous deadlines: a sub-MiB push and a few stub calls take seconds on an idle machine. */
const CONNECT_DEADLINE_MS = 30_000;
const DEPLOY_DEADLINE_MS = 120_000;
const SCREENSHOT = join(REPO_ROOT, 'docs', 'screenshots', 'deploy.png');

const litter = new EngineLitter();
const app = 'notas-iv';
const variables = [
  'BERTH_HEROKU_API_URL',
  'BERTH_HEROKU_REGISTRY',
  'BERTH_AZURE_AUTHORITY_HOST',
  'BERTH_AZURE_ARM_URL',
] as const;
const SUBSCRIPTION = randomUUID();
let authority: AuthorityStub;
let arm: ArmStub;
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
  const tls = await testCertificate();
  authority = await new AuthorityStub({ tls, scope: AZURE_CLOUDS.public.armScope }).start();
  arm = await new ArmStub({ token: authority.token, subscriptionId: SUBSCRIPTION }).start();
  process.env.BERTH_AZURE_AUTHORITY_HOST = authority.server.url;
  process.env.BERTH_AZURE_ARM_URL = arm.server.url;
  source = await buildPushableImage(litter.image(`${uniqueName('e2e-deploy-src')}:1.0`));
  // The stub authority's CA: a user would start Berth with NODE_EXTRA_CA_CERTS, which is read only at start.
  berth = await startWebMode({ projectDir: REPO_ROOT, deploy: { azureTlsCa: tls.ca, logTailMs: 5_000 } });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, CONNECT_DEADLINE_MS);
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  for (const name of variables) delete process.env[name];
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  await removeLabelledImages();
  await standIn?.stop();
  await authority?.stop();
  await arm?.stop();
});

it('signs in to Heroku, deploys the local image, and shows the release output and the app URL', async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Ship' }).click();
  // The view proposes a local image once the image list has loaded: replace it only after that, or the
  // proposal and the typed name can land in the field together.
  const local = page.getByRole('form', { name: 'Tag and push' }).getByLabel('Local image');
  await expect.poll(() => local.inputValue(), { timeout: CONNECT_DEADLINE_MS }).not.toBe('');
  await local.fill(source);
  expect(await local.inputValue()).toBe(source);
  await page.getByRole('note').filter({ hasText: 'BERTH_HEROKU_API_URL' }).waitFor({ timeout: CONNECT_DEADLINE_MS });

  const herokuPanel = page.getByRole('region', { name: 'Heroku' });
  const signIn = herokuPanel.getByRole('form', { name: 'Heroku sign-in' });
  await signIn.getByLabel('Heroku API key').fill(standIn.apiKey);
  await signIn.getByRole('button', { name: 'Sign in to Heroku' }).click();
  await herokuPanel.getByText('Signed in as dev@example.com').waitFor({ timeout: CONNECT_DEADLINE_MS });
  // The stand-in image serves nothing, so it cannot pass "Run as Heroku": the deploy is overridden on purpose.
  await herokuPanel.getByRole('checkbox', { name: /Deploy without a passed "Run as Heroku"/ }).check();
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

it('signs in to Azure with the device code shown on the page, deploys to App Service, and shows the URL and log', async () => {
  const azure = page.getByRole('region', { name: 'Azure App Service' });
  await azure.getByRole('button', { name: 'Sign in with a code' }).click();
  const code = azure.getByRole('status');
  await code.getByText(authority.userCode).waitFor({ timeout: CONNECT_DEADLINE_MS });
  expect(await code.getByRole('link').innerText()).toBe('https://microsoft.com/devicelogin');

  const form = azure.getByRole('form', { name: 'Azure deploy' });
  await form.getByLabel('Resource group').fill('berth-rg');
  await form.getByLabel('Linux plan').fill('berth-linux');
  await form.getByLabel('Web app').fill(app);
  await form.getByLabel('Image App Service pulls').fill(`berthuser/${app}:1.0`);
  await form.getByLabel('Port (WEBSITES_PORT)').fill('80');
  await form.getByRole('checkbox', { name: /Deploy without a passed "Run as Azure"/ }).check();
  await form.getByRole('button', { name: 'Deploy to Azure' }).click();

  const progress = page.getByRole('region', { name: 'Azure App Service deploy' });
  await progress
    .getByRole('link', { name: `https://${app}.azurewebsites.net` })
    .waitFor({ timeout: DEPLOY_DEADLINE_MS });
  await progress
    .getByRole('log', { name: 'Container log' })
    .getByText(/Site .* started/)
    .waitFor({ timeout: DEPLOY_DEADLINE_MS });
  expect(arm.sites.get(app)?.settings).toEqual({ WEBSITES_PORT: '80' });
  expect(await page.locator('body').innerText()).not.toContain(authority.token);
  expect(arm.server.violations).toEqual([]);
  expect(authority.server.violations).toEqual([]);
});

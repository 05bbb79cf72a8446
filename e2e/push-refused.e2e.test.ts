/**
 * The done-when of issue 8, through the UI: in Debian's Chromium against web mode, the user logs in to a
 * real read-only docker-registry (the login succeeds), pushes, and sees the push fail with the registry's
 * own words and a fix, and no digest anywhere on the page.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EngineLitter, uniqueName } from '../test/engine-harness';
import {
  buildPushableImage,
  registryManifestDigest,
  removeLabelledImages,
  startTestRegistry,
  type TestRegistry,
} from '../test/registry-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous deadlines: each of these takes well under a second on an idle machine. */
const CONNECT_DEADLINE_MS = 30_000;
const LOGIN_DEADLINE_MS = 30_000;
const PUSH_DEADLINE_MS = 120_000;

const litter = new EngineLitter();
let readOnly: TestRegistry;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let source: string;

beforeAll(async () => {
  readOnly = await startTestRegistry({ username: 'berth', password: uniqueName('pw'), readOnly: true });
  source = await buildPushableImage(litter.image(`${uniqueName('e2e-push-src')}:1.0`));
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, CONNECT_DEADLINE_MS);
});

afterEach(async (context) => {
  // A failing step leaves a picture of the page and the text of any alert, to explain itself.
  if (context.task.result?.state === 'fail' && page) {
    const path = join(tmpdir(), `berth-e2e-failure-push-refused-${Date.now()}.png`);
    await page.screenshot({ path }).catch(() => undefined);
    const alerts = await page
      .getByRole('alert')
      .allInnerTexts()
      .catch(() => []);
    console.error(`push-refused failed; screenshot ${path}; alerts: ${JSON.stringify(alerts)}`);
  }
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  await removeLabelledImages();
  await readOnly?.stop();
});

it('a push to a read-only registry fails in the Ship view with the registry words, a fix and no digest', async () => {
  const target = litter.image(`${readOnly.address}/${uniqueName('e2e-push-ro')}:1.0`);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Ship' }).click();

  const login = page.getByRole('form', { name: 'Registry login' });
  await login.getByLabel('Registry').fill(readOnly.address);
  await login.getByLabel('User name').fill(readOnly.username);
  await login.getByLabel('Password or token').fill(readOnly.password);
  await login.getByRole('button', { name: 'Log in' }).click();
  await login.getByText('Login Succeeded').waitFor({ timeout: LOGIN_DEADLINE_MS });

  const form = page.getByRole('form', { name: 'Tag and push' });
  await form.getByLabel('Local image').fill(source);
  await form.getByLabel('Push to').fill(target);
  await form.getByRole('button', { name: 'Push', exact: true }).click();

  const progress = page.getByRole('region', { name: 'Push progress' });
  const alert = progress.getByRole('alert');
  await alert.waitFor({ timeout: PUSH_DEADLINE_MS });
  const text = await alert.innerText();
  expect(text).toContain('PUSH_FAILED');
  expect(text).toContain(readOnly.address);
  expect(text).toMatch(/error parsing HTTP 405 response body.*Method not allowed/);
  expect(text).toMatch(/Fix:.*read-only/s);
  expect(await progress.getByLabel('Push state').innerText()).toContain('failed');
  expect(await page.getByTestId('push-digest').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Copy digest' }).count()).toBe(0);
  expect(await page.locator('body').innerText()).not.toMatch(/sha256:[0-9a-f]{64}/);

  const [repository, tag] = target.slice(target.indexOf('/') + 1).split(':') as [string, string];
  expect(await registryManifestDigest(readOnly, repository, tag)).toBeNull();
});

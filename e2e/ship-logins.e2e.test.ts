/**
 * Issue 12 through the UI, in Debian's Chromium against web mode: a login made with the real docker CLI
 * (into a temp DOCKER_CONFIG) shows up with its source and is used without asking again; web mode says
 * remembered logins stay in memory; a namespace that is not the user's is caught and retagged; two tags
 * push their shared layers once; the digest is the registry's. The screenshot goes to docs/screenshots/.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { uniqueName } from '../test/engine-harness';
import { buildPushableImage, registryManifestDigest } from '../test/registry-harness';
import { ShipFixture } from '../test/ship-fixture';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous deadlines: each of these takes well under a second on an idle machine. */
const CONNECT_DEADLINE_MS = 30_000;
const UI_DEADLINE_MS = 30_000;
const PUSH_DEADLINE_MS = 120_000;
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

const fixture = new ShipFixture();
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let source: string;

beforeAll(async () => {
  await fixture.start(uniqueName('pw'), {});
  source = await buildPushableImage(fixture.litter.image(`${uniqueName('e2e-logins-src')}:1.0`));
  const configDir = await fixture.tempDir('berth-e2e-dockercfg-');
  await fixture.dockerLogin(configDir);
  berth = await startWebMode({ projectDir: REPO_ROOT, env: fixture.helpers.env({ DOCKER_CONFIG: configDir }) });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, CONNECT_DEADLINE_MS);
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await fixture.stop();
});

it('reuses the docker CLI login, catches the namespace, retags, and pushes two tags with shared layers once', async () => {
  const { address, username } = fixture.registry;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Ship' }).click();
  const logins = page.getByRole('list', { name: 'Logins' });
  await logins.waitFor({ timeout: UI_DEADLINE_MS });
  expect(await logins.innerText()).toMatch(new RegExp(`${username} @ ${address}\\s*docker config file`));
  expect(await page.getByRole('note').innerText()).toContain('stay in memory for this session only');

  const name = uniqueName('e2e-logins');
  const form = page.getByRole('form', { name: 'Tag and push' });
  await form.getByLabel('Local image').fill(source);
  await form.getByLabel('Push to').fill(`${address}/someone-else/${name}:1.2.0`);
  const notice = page.getByRole('alert', { name: 'Namespace check' });
  await notice.waitFor({ timeout: UI_DEADLINE_MS });
  expect(await notice.innerText()).toContain(`The namespace "someone-else" is not your user name "${username}"`);
  expect(await form.getByRole('button', { name: 'Push', exact: true }).isDisabled()).toBe(true);

  const retagged = `${address}/${username}/${name}:1.2.0`;
  await notice.getByRole('button', { name: `Retag as ${retagged}` }).click();
  expect(await form.getByLabel('Push to').inputValue()).toBe(retagged);
  fixture.litter.image(retagged);
  fixture.litter.image(retagged.replace(/:1\.2\.0$/, ':latest'));
  await form.getByLabel('Also tag').fill('latest');
  // No password typed: the push uses the login the docker CLI made.
  await form.getByRole('button', { name: 'Push', exact: true }).click();

  const digest = page.getByTestId('push-digest');
  await digest.waitFor({ timeout: PUSH_DEADLINE_MS });
  const progress = page.getByRole('region', { name: 'Push progress' });
  expect(await progress.innerText()).toContain(`as ${username} (docker config file)`);
  const tags = progress.getByRole('list', { name: 'Tags' }).getByRole('listitem');
  expect(await tags.nth(0).innerText()).toContain('2 layers pushed, 0 already in the registry');
  expect(await tags.nth(1).innerText()).toContain('0 layers pushed, 2 already in the registry');
  expect(await progress.innerText()).toContain(`${address} has no repository web page that Berth knows of`);
  expect(await digest.innerText()).toBe(await registryManifestDigest(fixture.registry, `${username}/${name}`, '1.2.0'));
  await page.getByRole('form', { name: 'Registry login' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'ship-logins.png') });
  await progress.scrollIntoViewIfNeeded();
  await progress.screenshot({ path: join(SCREENSHOTS, 'ship-tags.png') });
});

/**
 * Issue 13: switching engines in the UI while a logs view is open. Two real engines: this machine's dockerd
 * (the "default" context) and a second dockerd behind TLS, saved as a context by the docker CLI itself in a
 * temp DOCKER_CONFIG. Each runs a container printing its own word. After the switch the old stream has
 * stopped (the old word never shows again), the new engine's container and logs appear, and the choice
 * survives a reload. Writes docs/screenshots/engine-switcher.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { docker, EngineLitter, testLabels, uniqueName } from '../test/engine-harness';
import { importBusybox, startTlsDockerd, type TlsDockerd } from '../test/remote-engines';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous: the UI follows a switch within a second or two here. */
const UI_DEADLINE_MS = 30_000;
/**
 * The tickers' stop timeout. `sh` as PID 1 ignores SIGTERM, so the second dockerd's shutdown (afterAll) waited
 * the default 10 s for it before it killed it; this test is not about stopping.
 */
const TICKER_STOP_TIMEOUT_S = 1;

const litter = new EngineLitter();
let tls: TlsDockerd;
let config: string;
let dataDir: string;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let mainContainer: string;
let tlsContainer: string;

const ticker = (word: string) => ['sh', '-c', `while true; do echo ${word}; sleep 0.5; done`];

beforeAll(async () => {
  tls = await startTlsDockerd();
  config = mkdtempSync(join(tmpdir(), 'berth-e2e-contexts-'));
  execFileSync(
    'docker',
    [
      'context',
      'create',
      'tls-e2e',
      '--description',
      'second dockerd over TLS',
      '--docker',
      `host=${tls.host},ca=${join(tls.clientDir, 'ca.pem')},cert=${join(tls.clientDir, 'cert.pem')},key=${join(tls.clientDir, 'key.pem')}`,
    ],
    { env: { ...process.env, DOCKER_CONFIG: config }, stdio: 'ignore' },
  );
  const mainImage = litter.image(`${uniqueName('busybox')}:1`);
  const tlsImage = `${uniqueName('busybox')}:1`;
  await Promise.all([
    importBusybox((...args) => docker(...args), mainImage, testLabels()),
    importBusybox(tls.cli, tlsImage, testLabels()),
  ]);
  mainContainer = litter.container(uniqueName('on-main'));
  tlsContainer = uniqueName('on-tls');
  const stopTimeout = ['--stop-timeout', String(TICKER_STOP_TIMEOUT_S)];
  await docker('run', '-d', ...stopTimeout, '--name', mainContainer, mainImage, ...ticker('tick-from-main'));
  await tls.cli(
    'run',
    '-d',
    ...stopTimeout,
    '--network',
    'none',
    '--name',
    tlsContainer,
    tlsImage,
    ...ticker('tick-from-tls'),
  );
  dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-switch-data-'));
  berth = await startWebMode({ projectDir: REPO_ROOT, dockerConfig: config, dataDir });
  launched = await launchChromium({ colorScheme: 'dark' });
  page = await signedInPage(launched.browser, berth, UI_DEADLINE_MS);
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  await tls?.stop();
  if (config) rmSync(config, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('switches engines with a logs view open: the old stream stops, the new engine shows, the choice is kept', async () => {
  const mainId = await docker('inspect', '--format', '{{.Id}}', mainContainer);
  await page.evaluate((id) => {
    window.location.hash = `#/logs?container=${id}`;
  }, mainId);
  const logs = page.locator('main');
  await expect.poll(() => logs.innerText(), { timeout: UI_DEADLINE_MS }).toContain('tick-from-main');

  await page.getByRole('combobox', { name: 'Docker context' }).selectOption('tls-e2e');
  await expect.poll(() => page.getByTestId('engine-endpoint').innerText(), { timeout: UI_DEADLINE_MS }).toBe(tls.host);
  await expect.poll(() => logs.innerText(), { timeout: UI_DEADLINE_MS }).toContain('tick-from-tls');
  // Nothing of the old engine stays on screen, and its stream does not come back while the new one ticks.
  expect(await logs.innerText()).not.toContain('tick-from-main');
  await page.waitForTimeout(1500);
  expect(await logs.innerText()).not.toContain('tick-from-main');
  expect(await page.getByTestId('engine-kind').innerText()).toContain('Docker');

  await page.evaluate(() => {
    window.location.hash = '#/containers';
  });
  await expect.poll(() => logs.innerText(), { timeout: UI_DEADLINE_MS }).toContain(tlsContainer);
  expect(await logs.innerText()).not.toContain(mainContainer);
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'screenshots', 'engine-switcher.png') });

  // Remembered: a reload comes back on the TLS engine...
  await page.reload();
  await expect.poll(() => page.getByTestId('engine-endpoint').innerText(), { timeout: UI_DEADLINE_MS }).toBe(tls.host);

  // ...and so does a restart of Berth on the same data folder: a new backend and engine, a new page.
  await page.close();
  await berth.close();
  expect(JSON.parse(readFileSync(join(dataDir, 'engine.json'), 'utf8'))).toEqual({ context: 'tls-e2e' });
  berth = await startWebMode({ projectDir: REPO_ROOT, dockerConfig: config, dataDir });
  page = await signedInPage(launched.browser, berth, UI_DEADLINE_MS);
  await expect.poll(() => page.getByTestId('engine-endpoint').innerText(), { timeout: UI_DEADLINE_MS }).toBe(tls.host);
  expect(await page.getByRole('combobox', { name: 'Docker context' }).inputValue()).toBe('tls-e2e');
  await page.evaluate(() => {
    window.location.hash = '#/containers';
  });
  await expect.poll(() => page.locator('main').innerText(), { timeout: UI_DEADLINE_MS }).toContain(tlsContainer);
});

/**
 * The engine-down screen: Berth is pointed at the real engine through a unix-socket proxy that the test
 * stops (as if dockerd went away) and starts again; the UI says how to fix it, then recovers by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SocketProxy } from '../test/socket-proxy';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, startWebMode } from './web-mode';

let proxyDir: string;
let proxy: SocketProxy;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;

beforeAll(async () => {
  proxyDir = mkdtempSync(join(tmpdir(), 'berth-e2e-engine-'));
  proxy = new SocketProxy(join(proxyDir, 'docker.sock'));
  await proxy.start();
  berth = await startWebMode({ projectDir: REPO_ROOT, dockerHost: proxy.endpoint });
  launched = await launchChromium({ colorScheme: 'dark' });
  page = await launched.browser.newPage();
  await page.goto(berth.signInUrl());
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await proxy?.stop();
  if (proxyDir) rmSync(proxyDir, { recursive: true, force: true });
});

it('shows the engine-down screen with the fix, and recovers when the engine returns', async () => {
  const connection = page.getByLabel('Engine connection');
  await expect.poll(() => connection.innerText(), { timeout: 15_000 }).toMatch(/^\s*connected\s*$/i);

  await proxy.stop();
  const down = page.getByRole('region', { name: 'Engine unreachable' });
  await down.waitFor({ timeout: 20_000 });
  const text = await down.innerText();
  expect(text).toContain(proxy.endpoint);
  expect(text).toMatch(/DOCKER_HOST|Start Docker/);
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'screenshots', 'engine-down-dark.png') });

  await proxy.start();
  await down.waitFor({ state: 'detached', timeout: 20_000 });
  await expect.poll(() => connection.innerText(), { timeout: 15_000 }).toMatch(/^\s*connected\s*$/i);
});

/**
 * Issue 13: port links on a remote engine, in Chromium. The engine is reached over SSH at 127.0.0.2 (sshd
 * started for the test; the same machine, but an address Berth does not count as local), through a context
 * made by the docker CLI itself, with the key and known_hosts under a HOME of the test's own. Two
 * containers serve a page: one published on every interface, whose link must point at the engine's host
 * (127.0.0.2) and answer there; one published on the engine host's loopback only, which Berth must mark as
 * not reachable from here instead of linking to it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { docker, EngineLitter, testLabels, uniqueName } from '../test/engine-harness';
import { httpGet } from '../test/http-get';
import { importBusybox, type Sshd, startSshd } from '../test/remote-engines';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode } from './web-mode';

/** Generous: over SSH every request opens a connection; the list shows up within seconds here. */
const UI_DEADLINE_MS = 60_000;
const REMOTE = '127.0.0.2';

const litter = new EngineLitter();
let sshd: Sshd;
let home: string;
let config: string;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let everywhere: string;
let loopback: string;

const server = (word: string) => [
  'sh',
  '-c',
  `mkdir -p /www && echo ${word} > /www/index.html && exec httpd -f -p 80 -h /www`,
];
const hostPort = async (name: string) =>
  Number((await docker('port', name, '80/tcp')).split('\n')[0]?.split(':').pop());

beforeAll(async () => {
  sshd = await startSshd(REMOTE);
  home = mkdtempSync(join(tmpdir(), 'berth-e2e-home-'));
  sshd.trustIn(home);
  // A CLI-made context holds no key: Berth falls back to ~/.ssh/id_ed25519 of its HOME, as ssh would.
  copyFileSync(sshd.key, join(home, '.ssh', 'id_ed25519'));
  config = mkdtempSync(join(tmpdir(), 'berth-e2e-contexts-'));
  execFileSync('docker', ['context', 'create', 'ssh-e2e', '--docker', `host=${sshd.host}`], {
    env: { ...process.env, DOCKER_CONFIG: config },
    stdio: 'ignore',
  });
  const image = litter.image(`${uniqueName('busybox')}:1`);
  await importBusybox((...args) => docker(...args), image, testLabels());
  everywhere = litter.container(uniqueName('port-all'));
  loopback = litter.container(uniqueName('port-loopback'));
  await docker('run', '-d', '--name', everywhere, '-p', '80', image, ...server('answered-on-the-engine-host'));
  await docker('run', '-d', '--name', loopback, '-p', '127.0.0.1::80', image, ...server('loopback-only'));
  berth = await startWebMode({ projectDir: REPO_ROOT, dockerConfig: config, engineHome: home });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, UI_DEADLINE_MS);
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
  await sshd?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (config) rmSync(config, { recursive: true, force: true });
});

it("links a port to the engine's host over SSH, and says when a port cannot be reached from here", async () => {
  await page.getByRole('combobox', { name: 'Docker context' }).selectOption('ssh-e2e');
  await expect.poll(() => page.getByTestId('engine-endpoint').innerText(), { timeout: UI_DEADLINE_MS }).toBe(sshd.host);
  await page.evaluate(() => {
    window.location.hash = '#/containers';
  });

  const publicPort = await hostPort(everywhere);
  // Published on 0.0.0.0 and :: alike: both point at the engine's host.
  const link = page.getByRole('link', { name: `Open ${REMOTE}:${publicPort} → 80 in the browser` }).first();
  await link.waitFor({ timeout: UI_DEADLINE_MS });
  const href = await link.getAttribute('href');
  expect(href).toBe(`http://${REMOTE}:${publicPort}/`);
  // The link answers where it points: the engine's host, not this machine's 127.0.0.1 by assumption.
  expect(await httpGet(publicPort, REMOTE)).toMatchObject({ status: 200, body: 'answered-on-the-engine-host\n' });

  const privatePort = await hostPort(loopback);
  const unreachable = page.getByText(`${REMOTE}:${privatePort} → 80 (not reachable from here)`);
  await unreachable.waitFor({ timeout: UI_DEADLINE_MS });
  expect(await unreachable.getAttribute('title')).toContain(`ssh -L ${privatePort}:127.0.0.1:${privatePort}`);
  expect(await page.getByRole('link', { name: new RegExp(`:${privatePort} → 80`) }).count()).toBe(0);
});

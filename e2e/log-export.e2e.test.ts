/**
 * Issue 14, export, in Debian's Chromium against web mode and the real engine: the whole range of a
 * container's log downloads through the browser (a one-time ticket minted through the contract, the
 * session cookie, no secret in the address) and equals `docker logs -t` byte for byte; the lines shown
 * download from the page itself and equal the tail the view holds.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, startWebMode } from './web-mode';

const LINES = 3000;
/** Generous; only reached on failure. */
const CONNECT_DEADLINE = 60_000;
const UI_DEADLINE = 30_000;

const litter = new EngineLitter();
const name = litter.container(uniqueName('e2e-log-export'));
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;

async function cliLogs(...flags: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('docker', ['logs', '-t', ...flags, name], { maxBuffer: 64 << 20 });
  return stdout;
}

beforeAll(async () => {
  await docker(
    'run',
    '-d',
    '--name',
    name,
    inject('nodeImage'),
    'sh',
    '-c',
    `i=1; while [ $i -le ${LINES} ]; do echo "export line $i"; i=$((i+1)); done; sleep 3600`,
  );
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium();
  page = await launched.browser.newPage();
  await page.goto(berth.signInUrl());
  await page
    .getByLabel('Engine connection')
    .filter({ hasText: /^\s*connected\s*$/i })
    .waitFor({ timeout: CONNECT_DEADLINE });
  const id = await docker('inspect', '-f', '{{.Id}}', name);
  await page.goto(`${new URL(page.url()).origin}/#/logs?container=${id}`);
  await page.getByText(`export line ${LINES}`, { exact: true }).waitFor({ timeout: UI_DEADLINE });
}, CONNECT_DEADLINE * 2);

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
});

it('downloads the whole range through the browser, equal to docker logs -t', async () => {
  await page.getByLabel('Export', { exact: true }).selectOption('range');
  await page.getByLabel('As').selectOption('text');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: UI_DEADLINE }),
    page.getByRole('button', { name: 'Export', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${name}-\\d{8}T\\d{6}Z\\.log$`));
  const file = await download.path();
  expect(await readFile(file, 'utf8')).toBe(await cliLogs());
  // The address carried a ticket only: no container name, no launch token.
  const url = download.url();
  expect(url).toMatch(/\/api\/download\/logs\?ticket=[A-Za-z0-9_-]+$/);
  expect(url).not.toContain(name);
  // Spent: the page opening the same address again (with its cookie) is refused with a code.
  const again = await page.evaluate(async (href) => {
    const reply = await fetch(href);
    return { status: reply.status, body: await reply.json() };
  }, url);
  expect(again.status).toBe(410);
  expect(again.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fix: expect.any(String) } });
});

it('downloads the lines shown from the page, equal to the tail the view holds', async () => {
  await page.getByLabel('Export', { exact: true }).selectOption('shown');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: UI_DEADLINE }),
    page.getByRole('button', { name: 'Export', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.log$/);
  expect(await readFile(await download.path(), 'utf8')).toBe(await cliLogs('--tail', '1000'));
});

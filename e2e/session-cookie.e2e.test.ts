/**
 * Issue 9, found in review: cookies are scoped by host, not by port, so a session cookie set for
 * 127.0.0.1 would go to every other server on 127.0.0.1 that the same browser visits (a container's web
 * page, another local user's listener). Signed in through its link, Chromium keeps Berth's cookie for
 * the per-launch name alone, and a real second local server receives no cookie at all.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, startWebMode } from './web-mode';

/** Generous; only reached on failure. */
const CONNECTED_DEADLINE_MS = 30_000;

let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let other: Server;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  other = createServer((req, res) => {
    seen.push(req.headers);
    res.end('another local server');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium({ colorScheme: 'light' });
  page = await launched.browser.newPage();
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await new Promise((resolve) => other?.close(resolve));
});

it('keeps the session cookie on the launch host, away from other servers on 127.0.0.1', async () => {
  const link = new URL(berth.signInUrl());
  expect(link.hostname).toMatch(/^berth-[0-9a-f]{16}\.localhost$/);
  await page.goto(link.href);
  await expect
    .poll(() => page.getByLabel('Engine connection').innerText(), { timeout: CONNECTED_DEADLINE_MS })
    .toMatch(/connected/i);
  expect(new URL(page.url()).hostname).toBe(link.hostname);
  expect(page.url()).not.toContain('code=');

  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.startsWith('berth_token_'))).toBe(true);
  for (const cookie of cookies) expect(cookie.domain).toBe(link.hostname);

  const port = (other.address() as AddressInfo).port;
  for (const host of ['127.0.0.1', 'localhost']) {
    await page.goto(`http://${host}:${port}/`);
    expect(await page.textContent('body')).toContain('another local server');
  }
  // Two pages, and whatever else the browser asked of that server (its favicon): none carried a cookie.
  expect(seen.length).toBeGreaterThanOrEqual(2);
  for (const headers of seen) expect(headers.cookie).toBeUndefined();
});

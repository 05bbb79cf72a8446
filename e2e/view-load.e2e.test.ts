/**
 * A view's code that does not arrive must never leave a blank page. CI runs 13, 16 and 18 showed one:
 * Chromium aborted the Build chunk with net::ERR_NETWORK_CHANGED (other lanes were adding docker networks
 * and veths), React.lazy rejected, and with no error boundary the whole dashboard unmounted. Here real
 * Chromium is refused the Build chunk: once, and the page reloads itself and shows Build; always, and it
 * reloads once, then shows the error with its fix inside the view while the bar and navigation still work.
 */
import type { Page } from 'playwright-core';
import { type LaunchedBrowser, launchChromium } from './browser';
import { REPO_ROOT, type RunningWebMode, startWebMode, untilConnected } from './web-mode';

/** Generous: a sign-in, a failed chunk with its retries, a reload and a second sign-in check, under load. */
const RECOVERY_DEADLINE_MS = 60_000;

const BUILD_CHUNK = /\/assets\/BuildView-[^/]+\.(js|css)$/;

let berth: RunningWebMode;
let launched: LaunchedBrowser;

beforeAll(async () => {
  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium();
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
});

/** A page whose Build chunk is refused while `refusing()` says so; counts refusals and page loads after one. */
async function pageRefusingBuild(refusing: (reloadsSinceRefusal: number) => boolean) {
  const page: Page = await launched.browser.newPage();
  const seen = { refused: 0, reloadsAfterRefusal: 0 };
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame() && seen.refused > 0) {
      seen.reloadsAfterRefusal++;
    }
  });
  await page.route(BUILD_CHUNK, async (route) => {
    if (refusing(seen.reloadsAfterRefusal)) {
      seen.refused++;
      await route.abort('internetdisconnected');
    } else {
      await route.continue();
    }
  });
  return { page, seen };
}

it('reloads itself once when the Build chunk is refused, and then shows Build', async () => {
  const { page, seen } = await pageRefusingBuild((reloads) => reloads === 0);
  await page.goto(berth.signInUrl());
  await page.getByRole('form', { name: 'Build settings' }).waitFor({ timeout: RECOVERY_DEADLINE_MS });
  await untilConnected(page, RECOVERY_DEADLINE_MS);
  expect(seen.refused).toBeGreaterThanOrEqual(1);
  expect(seen.reloadsAfterRefusal).toBe(1);
  expect(await page.getByRole('alert').count()).toBe(0);
  await page.close();
});

it('when the chunk never arrives, reloads once, then shows the error and its fix inside the view', async () => {
  const { page, seen } = await pageRefusingBuild(() => true);
  // The first test's self-reload is remembered per tab; this is a new tab, so it may reload once too.
  await page.goto(berth.signInUrl());
  const alert = page.getByRole('main').getByRole('alert');
  await alert.waitFor({ timeout: RECOVERY_DEADLINE_MS });
  const said = await alert.innerText();
  expect(said).toContain('Build did not load.');
  expect(said).toContain('Fix: Reload the page.');
  expect(seen.reloadsAfterRefusal).toBe(1);
  // The rest of the dashboard stayed: the engine bar is connected and another view opens.
  await untilConnected(page, RECOVERY_DEADLINE_MS);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Images' }).click();
  await page.getByRole('main', { name: 'Images' }).waitFor({ timeout: RECOVERY_DEADLINE_MS });
  expect(await page.getByRole('main').getByRole('alert').count()).toBe(0);
  await page.close();
});

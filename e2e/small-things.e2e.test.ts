/**
 * The small things a user trips on (issue 8, part 6), checked in Debian's Chromium against web mode and the
 * real engine: the Containers table fits a 1360 px window in light and dark mode with every action button
 * visible and reachable by keyboard; a running container's uptime is real and moves; a stopped one's is
 * not a frozen "… ago"; the base image's layer is named; the favicon loads under the CSP.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { buildTestImage } from '../electron/core/images/test/test-image';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { FAILURE_DIR } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, startWebMode } from './web-mode';

const WINDOW = { width: 1360, height: 800 };
const SCREENSHOTS = join(tmpdir(), 'berth-e2e-small-things');
/** How long the UI may take to show a change the engine already made (list reloads ride on engine events). */
const UI_DEADLINE = 20_000;
/** The first connect shares two loaded cores with the suite's other work: generous, only reached on failure. */
const CONNECT_DEADLINE = 60_000;
/** The uptime must move within this long (it ticks every second). */
const UPTIME_MOVES_WITHIN = 15_000;
/** Slack between the engine's StartedAt and what the page shows: ticks, rounding and a busy machine. */
const UPTIME_SLACK_MS = 10_000;

const litter = new EngineLitter();
const label = `berth-test=${uniqueName('small-things')}`;
const running = litter.container(uniqueName('e2e-uptime-running'));
const stopped = litter.container(uniqueName('e2e-uptime-stopped'));
const byId = litter.container(uniqueName('e2e-by-image-id'));
const builtTag = litter.image(`${uniqueName('e2e-layers')}:latest`);
let nodeImage: string;
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
const cspViolations: string[] = [];

const openView = (name: 'Images' | 'Containers'): Promise<void> =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();

const containerRow = (name: string): Locator =>
  page.getByRole('table', { name: 'Containers' }).getByRole('row').filter({ hasText: name });

/** The Uptime column is the fourth. */
const uptimeOf = (name: string): Promise<string> => containerRow(name).getByRole('cell').nth(3).innerText();

/** "4 s", "3 min 05 s", "2 h 03 min", "1 d 02 h" back to seconds. */
function uptimeSeconds(text: string): number {
  const units: Record<string, number> = { d: 86_400, h: 3_600, min: 60, s: 1 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+) (d|h|min|s)\b/g)) total += Number(n) * (units[unit as string] ?? 0);
  return total;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  nodeImage = inject('nodeImage');
  const keepAlive = ['node', '-e', 'setInterval(() => {}, 1000)'];
  await docker('run', '-d', '--label', label, '--name', running, nodeImage, ...keepAlive);
  // `docker run` fails with the container's own exit code, 3, which is the point.
  await docker('run', '--label', label, '--name', stopped, nodeImage, 'node', '-e', 'process.exit(3)').catch(() => '');
  // A container made from a bare image id: its Image column is a 71-character sha256 id.
  const imageId = await docker('image', 'inspect', '-f', '{{.Id}}', nodeImage);
  await docker('create', '--label', label, '--name', byId, imageId, ...keepAlive);
  await buildTestImage(new Dockerode(), {
    tag: builtTag,
    buildkit: true,
    dockerfile: `FROM ${nodeImage}\nLABEL ${label}\nRUN echo built > /built.txt\nCMD ["node"]\n`,
  });

  berth = await startWebMode({ projectDir: REPO_ROOT });
  launched = await launchChromium();
  page = await launched.browser.newPage();
  await page.setViewportSize(WINDOW);
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(berth.signInUrl());
  try {
    await page
      .getByLabel('Engine connection')
      .filter({ hasText: /^\s*connected\s*$/i })
      .waitFor({ timeout: CONNECT_DEADLINE });
  } catch (error) {
    // Say what the page showed instead, so a failure here explains itself.
    mkdirSync(FAILURE_DIR, { recursive: true });
    const shot = join(FAILURE_DIR, `small-things-connect-${Date.now()}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    const bar = await page
      .getByLabel('Engine connection')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `Berth did not show a connected engine: url ${page.url()}, engine bar ${JSON.stringify(bar)}, screenshot ${shot}`,
      {
        cause: error,
      },
    );
  }
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) {
    await page.screenshot({ path: join(SCREENSHOTS, `failure-${context.task.name.slice(0, 40)}.png`) });
  }
});

afterAll(async () => {
  await launched?.close();
  await berth?.close();
  await litter.cleanup();
});

describe('the Containers table at a 1360 px window', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`shows every action button of every row without horizontal overflow (${scheme})`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await openView('Containers');
      for (const name of [running, stopped, byId]) await containerRow(name).waitFor({ timeout: UI_DEADLINE });
      await page.screenshot({ path: join(SCREENSHOTS, `containers-${scheme}.png`) });

      const view = page.locator('main, .view').first();
      const overflow = await view.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const viewBox = await view.boundingBox();
      if (!viewBox) throw new Error('the view has no box');
      for (const name of [running, stopped, byId]) {
        const buttons = containerRow(name).getByRole('button');
        // The five row actions, plus Edit and, on a running container, Terminal: every one of them inside the view.
        expect(await buttons.count()).toBeGreaterThanOrEqual(6);
        for (const button of await buttons.all()) {
          const box = await button.boundingBox();
          if (!box) throw new Error(`${await button.getAttribute('aria-label')} has no box`);
          expect(box.x).toBeGreaterThanOrEqual(viewBox.x);
          expect(box.x + box.width).toBeLessThanOrEqual(viewBox.x + viewBox.width);
          expect(box.y + box.height).toBeLessThanOrEqual(WINDOW.height + (await view.evaluate((el) => el.scrollTop)));
        }
      }
    });
  }

  it('reaches a row action by Tab alone and opens it with Enter', async () => {
    await openView('Containers');
    await containerRow(stopped).waitFor({ timeout: UI_DEADLINE });
    const target = `Remove ${stopped}`;
    await page.getByRole('link', { name: 'Containers' }).focus();
    let reached = false;
    for (let presses = 0; presses < 200 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((label) => document.activeElement?.getAttribute('aria-label') === label, target);
    }
    expect(reached).toBe(true);
    // The focused button is on screen, not scrolled off to the right.
    const box = await page.getByRole('button', { name: target, exact: true }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(WINDOW.width);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Remove container ${stopped}?` });
    await dialog.waitFor({ timeout: UI_DEADLINE });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: UI_DEADLINE });
  });
});

describe('uptime', () => {
  it('shows the running container real uptime from the engine StartedAt, and it moves', async () => {
    await openView('Containers');
    await containerRow(running).waitFor({ timeout: UI_DEADLINE });
    const startedAt = Date.parse(await docker('inspect', '-f', '{{.State.StartedAt}}', running));
    const before = Date.now();
    const first = await uptimeOf(running);
    const after = Date.now();
    expect(first).toMatch(/^\d+ (s|min|h|d)\b/);
    const shown = uptimeSeconds(first) * 1000;
    expect(shown).toBeLessThanOrEqual(after - startedAt + UPTIME_SLACK_MS);
    expect(shown).toBeGreaterThanOrEqual(before - startedAt - UPTIME_SLACK_MS);
    await expect.poll(() => uptimeOf(running), { timeout: UPTIME_MOVES_WITHIN, interval: 250 }).not.toBe(first);
  });

  it('shows a stopped container as exited with its code, not an uptime', async () => {
    const code = await docker('inspect', '-f', '{{.State.ExitCode}}', stopped);
    expect(await uptimeOf(stopped)).toBe(`Exited (${code})`);
    expect(await uptimeOf(byId)).toBe('Created');
  });
});

describe('the base image in the layers panel', () => {
  it('names the base image on the rows that came from it', async () => {
    await openView('Images');
    await page.getByRole('searchbox', { name: 'Filter images' }).fill(builtTag.split(':')[0] as string);
    await page.getByRole('button', { name: `Show layers of ${builtTag}` }).click();
    const layers = page.getByRole('region', { name: `Layers of ${builtTag}` }).getByRole('list', { name: 'Layers' });
    await layers.getByText('RUN echo built > /built.txt').waitFor({ timeout: UI_DEADLINE });
    const rows = layers.getByRole('listitem');
    // Top first: CMD, RUN, LABEL are this image's; the bottom row is the base image's only layer.
    const [baseName] = JSON.parse(await docker('image', 'inspect', '--format', '{{json .RepoTags}}', nodeImage));
    expect(await rows.last().innerText()).toContain(`base image ${baseName}`);
    expect(await rows.first().innerText()).not.toContain(baseName);
    await page.screenshot({ path: join(SCREENSHOTS, 'layers.png') });
  });
});

describe('the favicon', () => {
  it('is linked from the page and served, with no CSP violation', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBeTruthy();
    // Fetched by the page itself: the sign-in host (berth-<random>.localhost) is resolved by the browser,
    // not by Node's resolver, and the request carries the page's own cookie and origin.
    const fetchFromPage = (path: string) =>
      page.evaluate(async (url) => {
        const reply = await fetch(url);
        return {
          status: reply.status,
          type: reply.headers.get('content-type') ?? '',
          csp: reply.headers.get('content-security-policy') ?? '',
        };
      }, new URL(path, page.url()).toString());
    const linked = await fetchFromPage(href as string);
    expect(linked.status).toBe(200);
    expect(linked.type).toMatch(/^image\//);
    const fallback = await fetchFromPage('/favicon.ico');
    expect(fallback.status).toBe(200);
    expect(fallback.csp).toContain("default-src 'self'");
    expect(cspViolations).toEqual([]);
  });
});

/**
 * 2. Web-mode cold start: spawn `node dist/web/server.mjs --no-open --port 0` … the page showing the engine
 *    connected and "Start build" enabled, under two conditions, alternating:
 *    - idle browser: a fresh Chromium already running and settled on about:blank before the clock starts (a
 *      user whose browser is open);
 *    - cold browser: a fresh Chromium process with a fresh profile launched when the clock starts, alongside
 *      the server (a user whose browser is not running).
 *    Baselines timed in the same run: `docker version`, a bare `node -e ''`, and Chromium's own launch to a
 *    blank page. Every run must load the same JS/CSS files and reach the same interactive state.
 */
import type { Page } from 'playwright-core';
import { requireSameWork, sameSet } from '../lib/same-work';
import { formatSpread, type Spread, spread } from '../lib/stats';
import { type Sizes, sizesOf } from './bundle';
import { waitReady, watchPage } from './page';
import { browser, type Row, startServer, timed } from './setup';

const RUNS = 5;
const BROWSER_SETTLE_MS = 1500;
const GOAL_MS = 1500;

type Condition = 'idle' | 'cold';

interface StartRun {
  total: number;
  url: number;
  files: Set<string>;
}

function recordAssets(page: Page, files: Set<string>): void {
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/assets\/.+\.(js|css)$/.test(path)) files.add(path.slice(1));
  });
}

/** The same state through accessible names, as a user (or the e2e tests) would see it. */
async function checkInteractive(page: Page): Promise<void> {
  const connected = ((await page.getByLabel('Engine connection').textContent()) ?? '').trim();
  const enabled = await page.getByRole('button', { name: /Start build/ }).isEnabled();
  if (!/^connected$/i.test(connected) || !enabled) throw new Error(`not interactive: ${connected}, ${enabled}`);
}

async function idleRun(n: number, launches: number[]): Promise<StartRun> {
  const launchStarted = performance.now();
  const launched = await browser();
  const page = await launched.browser.newPage();
  await page.goto('about:blank');
  launches.push(performance.now() - launchStarted);
  const files = new Set<string>();
  watchPage(page, `idle-browser start ${n}`);
  recordAssets(page, files);
  // Let Chromium finish its own start-up (it competes for the cores for a while after launch).
  await new Promise((resolve) => setTimeout(resolve, BROWSER_SETTLE_MS));
  const started = performance.now();
  const server = await startServer(started);
  await page.goto(server.url, { waitUntil: 'commit', timeout: 20_000 });
  await waitReady(page);
  const total = performance.now() - started;
  await checkInteractive(page);
  await launched.close();
  await server.stop();
  return { total, url: server.urlMs, files };
}

async function coldRun(n: number): Promise<StartRun> {
  const files = new Set<string>();
  const started = performance.now();
  const [server, launched] = await Promise.all([startServer(started), browser()]);
  const page = await launched.browser.newPage();
  watchPage(page, `cold-browser start ${n}`);
  recordAssets(page, files);
  await page.goto(server.url, { waitUntil: 'commit', timeout: 20_000 });
  await waitReady(page);
  const total = performance.now() - started;
  await checkInteractive(page);
  await launched.close();
  await server.stop();
  return { total, url: server.urlMs, files };
}

export interface ColdStart {
  rows: Row[];
  /** The JS + CSS the first view loaded (the same in every run). */
  firstView: Sizes;
  /** Medians for the README, by condition. */
  byCondition: Record<Condition, Spread>;
}

export async function measureColdStart(): Promise<ColdStart> {
  const dockerVersion: number[] = [];
  const nodeBare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    dockerVersion.push(await timed('docker', ['version']));
    nodeBare.push(await timed('node', ['-e', '']));
  }
  const runs: Record<Condition, StartRun[]> = { idle: [], cold: [] };
  const launches: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    runs.idle.push(await idleRun(i, launches));
    console.log(`[bench] cold start ${i}, idle browser: ${runs.idle.at(-1)!.total.toFixed(0)} ms`);
    runs.cold.push(await coldRun(i));
    console.log(`[bench] cold start ${i}, cold browser: ${runs.cold.at(-1)!.total.toFixed(0)} ms`);
  }
  // The same work in every run: the same files loaded (and the same interactive state, checked per run).
  const all = [...runs.idle, ...runs.cold];
  const sides = Object.fromEntries(all.map((r, i) => [`run ${i + 1}`, r.files]));
  requireSameWork('cold start', sameSet('JS/CSS files', sides, all[0]!.files));

  const idle = spread(runs.idle.map((r) => r.total));
  const cold = spread(runs.cold.map((r) => r.total));
  const docker = spread(dockerVersion);
  const node = spread(nodeBare);
  const launch = spread(launches);
  const ms = (s: Spread) => formatSpread(s, 0, 'ms');
  const x = (a: number, b: number) => `${(a / b).toFixed(1)} ×`;
  const rows: Row[] = [
    {
      measure: `Cold start, **idle browser** (fresh Chromium already running): spawn → engine connected and "Start build" enabled (${RUNS} runs)`,
      result: ms(idle),
      goal: `< ${GOAL_MS} ms`,
      met: idle.median < GOAL_MS,
      ratio: `median ${x(idle.median, docker.median)} \`docker version\`; ${x(idle.median, node.median)} \`node -e ''\``,
    },
    {
      measure: 'of which spawn → URL printed (idle browser)',
      result: ms(spread(runs.idle.map((r) => r.url))),
      ratio: `median ${x(spread(runs.idle.map((r) => r.url)).median, node.median)} \`node -e ''\``,
    },
    {
      measure: `Cold start, **cold browser** (fresh Chromium process and profile launched with the server): spawn → the same state (${RUNS} runs)`,
      result: ms(cold),
      goal: '',
      ratio: `median ${x(cold.median, launch.median)} Chromium's own launch to a blank page; ${x(cold.median, idle.median)} the idle-browser start`,
    },
    { measure: `baseline: \`docker version\` (${RUNS} runs)`, result: ms(docker) },
    { measure: `baseline: \`node -e ''\` (${RUNS} runs)`, result: ms(node) },
    { measure: `baseline: Chromium launch (fresh profile) to about:blank (${RUNS} runs)`, result: ms(launch) },
  ];
  const firstView = sizesOf([...all[0]!.files].sort());
  return { rows, firstView, byCondition: { idle, cold } };
}

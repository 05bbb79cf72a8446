/**
 * Logs end to end (issue 14): one container's whole 1,000,000-line log, engine to screen, against
 * `docker logs <id> > /dev/null` on the same log, alternating in the same run. Berth is the built app in web
 * mode in Debian's Chromium (as bench/dashboard.ts runs it): the Logs view is open on the container, and the clock
 * runs from picking "whole log" to the frame whose DOM shows line 999,999 at the bottom. Frame times are
 * requestAnimationFrame deltas over that same span.
 *
 * Same work, checked before any ratio: each CLI run's output has all 1,000,000 lines (counted by `wc -l` on a
 * second, untimed read right after the timed one), and each Berth run's view counted 1,000,000 lines (held +
 * dropped), the WebSocket carried 1,000,000, and the newest line on screen is number 999,999.
 *
 *   npx tsx bench/logs-e2e.ts      prints the figures and writes "## Logs end to end (issue 14)" in BENCHMARKS.md
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { writeBenchmarkSection } from './benchmarks-file';
import { jsHeap, openDashboard, viewState } from './dashboard/page';
import {
  browser,
  burstPrinter,
  chromiumVersion,
  closeAll,
  go,
  image,
  MB,
  notes,
  run,
  runBrowserBenchmark,
  type Server,
  sleep,
  startContainer,
  startOfBench,
  startServer,
  withTimeout,
  yes,
} from './dashboard/setup';
import { type CpuShares, cpuSpan, pidsWhere } from './lib/cpu';
import { benchRun, countsLine, engineCounts, loadAverage, machineLine, removeLabelled } from './lib/engine';
import { writeHighlights } from './lib/highlights';
import { requireSameWork, sameCount } from './lib/same-work';
import { fmt, formatSpread, pairedRatios, rateOf, type Spread, spread } from './lib/stats';

const SECTION = '## Logs end to end (issue 14)';
const COUNT = 1_000_000;
const RUNS = 3;
const RATIO_GOAL = 0.5;
const FRAME_GOAL_MS = 50;
/** Generous: the container printing its lines, one Berth run, the whole benchmark. */
const PRINT_LIMIT_MS = 300_000;
const BERTH_LIMIT_MS = 240_000;
const WHOLE_RUN_MS = 1_500_000;

const owner = benchRun('logs-e2e');

/** `docker logs <id> > /dev/null`, timed; then an untimed `docker logs <id> | wc -l` that counts its lines. */
async function cliOnce(name: string, server: Server): Promise<{ ms: number; lines: number; cpu: CpuShares }> {
  const devNull = openSync('/dev/null', 'w');
  const cpu = cpuSpan(cpuGroups(server));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('docker', ['logs', name], { stdio: ['ignore', devNull, devNull] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const ms = performance.now() - started;
  const shares = cpu();
  if (code !== 0) throw new Error(`docker logs exited ${code}`);
  const { stdout } = await run('sh', ['-c', `docker logs ${name} 2>&1 | wc -l`], { timeout: 120_000 });
  return { ms, lines: Number(stdout.trim()), cpu: shares };
}

/**
 * The processes whose CPU each run reports: the engine, Berth's server and the benchmark's Chromium (the only
 * Chromium while the engine lock is held). A CLI run's `docker logs` ends before it is counted: it is in "rest".
 */
const cpuGroups = (server: Server) => ({
  dockerd: () => pidsWhere((cmd) => /(^|\/)dockerd( |$)/.test(cmd)),
  server: () => (server.child.pid ? [server.child.pid] : []),
  chromium: () => pidsWhere((cmd) => cmd.includes('chromium') && cmd.includes('berth-chromium-')),
});

/** "wall 12.3 s: dockerd 9.1, server 2.0, Chromium 4.2, rest 3.0 core-s": where one run's time went. */
function cpuLine(ms: number, { machine, groups }: CpuShares, load: string): string {
  const named = Object.values(groups).reduce((a, b) => a + b, 0);
  const parts = Object.entries(groups).map(([name, s]) => `${name} ${fmt(s, 1)}`);
  return `${fmt(ms / 1000, 1)} s: ${parts.join(', ')}, rest ${fmt(machine - named, 1)} of ${fmt(machine, 1)} core-s busy (load ${load})`;
}

/** In-page expression: the text of the newest row in the log viewport's DOM, or null. */
const NEWEST_ROW = `(() => {
  let newest = null, newestIndex = -1;
  for (const row of document.querySelectorAll('[role="log"] .log-line')) {
    const index = Number(row.getAttribute('data-index'));
    if (index > newestIndex) { newestIndex = index; newest = row.textContent; }
  }
  return newest;
})()`;

/**
 * In the page: one requestAnimationFrame loop that logs frame deltas and watches the DOM. The view shows the
 * last 1,000 lines before the pick, so the read counts as started once the newest row is an earlier line
 * (the ring was cleared and refills from line 0), and done once the newest row is `line <last> ` again.
 * It also notes when the WebSocket probe has counted COUNT more lines. Times are epoch ms.
 */
const WATCH = (last: number) => `(() => {
  const s = { frames: [], doneAt: null, wsDoneAt: null, firstAt: null, wsBefore: window.__benchWs.lines };
  window.__e2e = s;
  const want = 'line ${last} ';
  let prev = performance.now();
  const tick = (now) => {
    s.frames.push(now - prev);
    prev = now;
    const at = performance.timeOrigin + now;
    if (s.wsDoneAt === null && window.__benchWs.lines - s.wsBefore >= ${COUNT}) s.wsDoneAt = at;
    const newest = ${NEWEST_ROW};
    if (s.firstAt === null) {
      if (newest !== null && !newest.includes(want)) s.firstAt = at;
    } else if (newest !== null && newest.includes(want)) {
      s.doneAt = at;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface Watch {
  frames: number[];
  doneAt: number | null;
  wsDoneAt: number | null;
  firstAt: number | null;
  wsBefore: number;
}

interface BerthRun {
  ms: number;
  /** From the pick to the first line of the new read on screen, and to the last line on the WebSocket. */
  firstMs: number;
  wsMs: number;
  total: number;
  held: number;
  ws: number;
  newestNumber: number;
  frames: { p50: number; p95: number; max: number; over50: number; count: number };
  heapAfter: number;
  cpu: CpuShares;
  load: string;
}

const pick = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function berthOnce(server: Server, name: string, n: number): Promise<BerthRun> {
  const launched = await browser();
  try {
    const page: Page = await openDashboard(launched, await server.freshUrl(), `Berth run ${n}`);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Logs' })
      .click({ timeout: 10_000 });
    await page
      .getByRole('combobox', { name: 'Container' })
      .selectOption({ label: `${name} (exited)` }, { timeout: 15_000 });
    // The default tail (last 1,000 lines) shows first; the measured read starts at "whole log".
    await page
      .locator('.log-status')
      .filter({ hasText: /^1,000 lines/ })
      .waitFor({ timeout: 30_000 });
    await sleep(300);
    await page.evaluate(WATCH(COUNT - 1));
    const load = loadAverage().split(' / ')[0]!;
    const cpu = cpuSpan(cpuGroups(server));
    const started = Date.now();
    await page.getByRole('combobox', { name: 'Tail' }).selectOption('all', { timeout: 10_000 });
    const until = performance.now() + BERTH_LIMIT_MS;
    let watch: Watch;
    for (;;) {
      await sleep(200);
      watch = (await page.evaluate('window.__e2e')) as Watch;
      if (watch.doneAt !== null) break;
      if (performance.now() > until) throw new Error(`Berth run ${n}: line ${COUNT - 1} not on screen in time`);
    }
    const shares = cpu();
    const state = await viewState(page);
    const newest = ((await page.evaluate(NEWEST_ROW)) as string | null) ?? '';
    const newestNumber = Number(/line (\d+) /.exec(newest)?.[1] ?? -1);
    const sorted = [...watch.frames].sort((a, b) => a - b);
    const heapAfter = await jsHeap(page, true);
    const ms = watch.doneAt! - started;
    console.log(`[bench] Berth run ${n}: ${cpuLine(ms, shares, load)}, view ${fmt(state.total)} lines`);
    return {
      ms,
      firstMs: (watch.firstAt ?? Number.NaN) - started,
      wsMs: (watch.wsDoneAt ?? Number.NaN) - started,
      total: state.total,
      held: state.held,
      ws: state.ws.lines - watch.wsBefore,
      newestNumber,
      frames: {
        p50: pick(sorted, 0.5),
        p95: pick(sorted, 0.95),
        max: sorted[sorted.length - 1] ?? 0,
        over50: sorted.filter((d) => d > 50).length,
        count: sorted.length,
      },
      heapAfter,
      cpu: shares,
      load,
    };
  } finally {
    await launched.close();
  }
}

async function main(): Promise<void> {
  const { loadAtStart, countsBefore, startedAt, engineVersion } = await startOfBench();
  const { stdout: cliVersion } = await run('docker', ['version', '--format', '{{.Client.Version}}']);

  const name = await startContainer('million', burstPrinter(COUNT), owner);
  await go(name);
  await withTimeout(run('docker', ['wait', name], { timeout: PRINT_LIMIT_MS }), PRINT_LIMIT_MS, 'printing the lines');
  const { stdout: lastLine } = await run('docker', ['logs', '--tail', '1', name]);
  if (!lastLine.includes(`line ${COUNT - 1} `)) throw new Error(`the container's last line is "${lastLine.trim()}"`);
  const { stdout: logSize } = await run('docker', ['inspect', '--format', '{{.LogPath}}', name]);
  const { stdout: bytes } = await run('sh', ['-c', `stat -c %s ${logSize.trim()} 2>/dev/null || echo 0`]);

  const server = await startServer();
  const cli: { ms: number; lines: number; cpu: CpuShares }[] = [];
  const cliLoads: string[] = [];
  const berth: BerthRun[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const load = loadAverage().split(' / ')[0]!;
    cliLoads.push(load);
    const c = await cliOnce(name, server);
    console.log(`[bench] CLI run ${i}: ${cpuLine(c.ms, c.cpu, load)}, ${fmt(c.lines)} lines`);
    cli.push(c);
    berth.push(await berthOnce(server, name, i));
  }
  await closeAll();
  await removeLabelled(owner);
  const countsAfter = await engineCounts();

  for (const [i, b] of berth.entries()) {
    requireSameWork(`run ${i + 1}`, [
      ...sameCount(
        'lines',
        { 'docker logs (wc -l)': cli[i]!.lines, 'the view (held + dropped)': b.total, 'the WebSocket': b.ws },
        COUNT,
      ),
      ...(b.newestNumber === COUNT - 1
        ? []
        : [`the newest line on screen is number ${b.newestNumber}, not ${COUNT - 1}`]),
    ]);
  }

  const cliMs = spread(cli.map((c) => c.ms));
  const berthMs = spread(berth.map((b) => b.ms));
  const ratio = pairedRatios(
    cli.map((c) => c.ms),
    berth.map((b) => b.ms),
  );
  const p95 = spread(berth.map((b) => b.frames.p95));
  const per = (f: (b: BerthRun) => number) => spread(berth.map(f));
  const s1 = (s: Spread) => formatSpread(s, 2, 's');
  const toS = (s: Spread): Spread => ({ ...s, min: s.min / 1000, median: s.median / 1000, max: s.max / 1000 });
  const ms1 = (s: Spread) => formatSpread(s, 1, 'ms');
  const rows = [
    '| Measure | Result (min / median / max) | Goal | Met | Note |',
    '| --- | --- | --- | --- | --- |',
    `| \`docker logs <id> > /dev/null\` (${RUNS} runs) | ${s1(toS(cliMs))} |  |  | ${formatSpread(rateOf(COUNT, cliMs))} lines/s |`,
    `| Berth: "whole log" picked → line ${fmt(COUNT - 1)} on screen (${RUNS} runs) | ${s1(toS(berthMs))} |  |  | ${formatSpread(rateOf(COUNT, berthMs))} lines/s |`,
    `| **ratio CLI time ÷ Berth time, per pair** | **${formatSpread(ratio, 2)}** | ≥ ${RATIO_GOAL} | ${yes(ratio.min >= RATIO_GOAL)} | median ${yes(ratio.median >= RATIO_GOAL)} |`,
    `| frame time p95 while ingesting, per run | ${ms1(p95)} | < ${FRAME_GOAL_MS} ms | ${yes(p95.max < FRAME_GOAL_MS)} | p50 ${ms1(per((b) => b.frames.p50))}; longest ${ms1(per((b) => b.frames.max))}; frames > 50 ms: ${berth.map((b) => `${b.frames.over50} of ${b.frames.count}`).join(', ')} |`,
    `| of Berth's time: pick → first line of the read on screen | ${s1(toS(per((b) => b.firstMs)))} |  |  |  |`,
    `| of Berth's time: pick → last line received on the WebSocket | ${s1(toS(per((b) => b.wsMs)))} |  |  | median ${fmt(per((b) => b.wsMs / b.ms).median, 2)} of the whole |`,
    `| lines counted: CLI (\`wc -l\`) / view (held + dropped) / WebSocket; lines held | ${[...new Set(cli.map((c) => fmt(c.lines)))].join(', ')} / ${[...new Set(berth.map((b) => fmt(b.total)))].join(', ')} / ${[...new Set(berth.map((b) => fmt(b.ws)))].join(', ')}; ${[...new Set(berth.map((b) => fmt(b.held)))].join(', ')} | all ${fmt(COUNT)} | yes |  |`,
    `| where each pair's time went (CLI run; Berth run): wall time, then core-seconds used in it | ${cli.map((c, i) => `${i + 1}. ${cpuLine(c.ms, c.cpu, cliLoads[i]!)}; ${cpuLine(berth[i]!.ms, berth[i]!.cpu, berth[i]!.load)}`).join('<br>')} |  |  | 2 cores give 2 core-s per s; "rest" is every other process on the machine |`,
    `| renderer JS heap after the read (after GC) | ${formatSpread(
      per((b) => b.heapAfter / MB),
      1,
      'MB',
    )} |  |  |  |`,
  ];
  const lines = [
    `Measured by \`npx tsx bench/logs-e2e.ts\` on ${new Date().toISOString().slice(0, 10)}: one container that printed ${fmt(COUNT)} numbered lines`,
    `(${fmt(Number(bytes) / MB, 1)} MB json-file log; every 10th line has ANSI colours) of \`${image}\`, read whole by \`docker logs\` (CLI ${cliVersion.trim()})`,
    `and by Berth, alternating, ${RUNS} runs each; dockerd ${engineVersion}. Berth is the built app in web mode`,
    `(\`node dist/web/server.mjs\`) in Debian's Chromium ${chromiumVersion()} headless (playwright-core), a fresh browser per run, the`,
    'Logs view open on the container (last 1,000 lines) when "whole log" is picked; the clock stops at the first',
    'animation frame whose DOM shows the last line at the bottom. The ratio is CLI time ÷ Berth time per pair (≥ 1 would',
    'mean Berth is as fast). Checked before any figure: every run of both sides had all the lines (see the table).',
    `Machine: ${machineLine(loadAtStart)}; dockerd, the CLI, the server, Chromium and the benchmark share the cores.`,
    '',
    ...rows,
    '',
    `Whole run: ${fmt((performance.now() - startedAt) / 1000, 0)} s. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.`,
  ];
  if (notes.length) lines.push('', `Seen in the page: ${[...new Set(notes)].slice(0, 5).join('; ')}`);
  const body = lines.join('\n');
  console.log(`\n${body}\n`);
  writeBenchmarkSection(SECTION, body);
  writeHighlights('logs-e2e', SECTION, [
    {
      measure: `logs end to end, ${fmt(COUNT)} lines engine to screen: CLI time ÷ Berth time`,
      result: formatSpread(ratio, 2),
      goal: `≥ ${RATIO_GOAL}`,
    },
    { measure: 'same read: frame p95 while ingesting', result: ms1(p95), goal: `< ${FRAME_GOAL_MS} ms` },
  ]);
  console.log(`[bench] wrote "${SECTION}" in BENCHMARKS.md`);
}

await runBrowserBenchmark(owner, main, WHOLE_RUN_MS);

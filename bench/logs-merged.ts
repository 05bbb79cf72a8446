/**
 * Merged logs follow (issue 14): CONTAINERS containers, each printing RATE numbered lines/s that start with its
 * tag (c00, c01, …), followed together in the Logs view's merged mode ("several containers, merged"). Berth is
 * the built app in web mode in Debian's Chromium, as bench/dashboard.ts runs it. Measured over WINDOWS windows
 * after a warm-up: frame times (requestAnimationFrame deltas), lines/s the view received against the lines/s
 * printed, and the age of the newest line on screen (its `t=` stamp against the clock).
 *
 * The physical limit, in the same run: one `docker logs -f` per container follows the same containers, counting
 * lines, and Berth's lines/s per window are reported as a ratio to what those CLI followers received in it.
 *
 * Same work, checked before any figure: once the containers stop, the view counted (held + dropped) every line
 * `docker logs` has for them, and the WebSocket carried, per container, exactly the lines `docker logs` counts
 * for that container; each CLI follower, too, received exactly its container's lines.
 *
 *   npx tsx bench/logs-merged.ts      prints the figures and writes "## Merged logs follow (issue 14)" in BENCHMARKS.md
 */
import { writeBenchmarkSection } from './benchmarks-file';
import { type Frames, frames, openDashboard, viewState } from './dashboard/page';
import {
  browser,
  chromiumVersion,
  closeAll,
  go,
  image,
  notes,
  ratePrinter,
  run,
  runBrowserBenchmark,
  sleep,
  startContainer,
  startOfBench,
  startServer,
  yes,
} from './dashboard/setup';
import { benchRun, cliFollower, countsLine, engineCounts, machineLine, removeLabelled } from './lib/engine';
import { writeHighlights } from './lib/highlights';
import { requireSameWork, sameCount } from './lib/same-work';
import { fmt, formatSpread, pairedRatios, type Spread, spread } from './lib/stats';

const SECTION = '## Merged logs follow (issue 14)';
const CONTAINERS = 10;
const RATE = 5_000;
const WARMUP_MS = 3_000;
const WINDOW_MS = 6_000;
const WINDOWS = 3;
/** The printing outlasts the warm-up and the windows by a little. */
const SECONDS = Math.ceil((WARMUP_MS + WINDOWS * WINDOW_MS) / 1000) + 2;
const FRAME_GOAL_MS = 50;
/** Generous: how long the view may take to show every line after the containers stop printing; the whole run. */
const END_DEADLINE_MS = 120_000;
const WHOLE_RUN_MS = 900_000;

const owner = benchRun('logs-merged');
const tagOf = (i: number) => `c${String(i).padStart(2, '0')}`;

/** In the page, before any script: counts the log lines each container tag had on the stream WebSocket. */
const TAG_PROBE = `(() => {
  const counts = {};
  window.__benchTags = counts;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        // A text starts a value: after "text": (a line object) or [ or , (a batch's text column).
        const tags = /[[,:]"(c[0-9]{2}) /g;
        for (let m = tags.exec(event.data); m; m = tags.exec(event.data)) counts[m[1]] = (counts[m[1]] || 0) + 1;
      });
    }
  };
})()`;

async function main(): Promise<void> {
  const { loadAtStart, countsBefore, startedAt, engineVersion } = await startOfBench();
  const cliVersion = (await run('docker', ['version', '--format', '{{.Client.Version}}'])).stdout.trim();
  const names: string[] = [];
  for (let i = 0; i < CONTAINERS; i++)
    names.push(await startContainer(tagOf(i), ratePrinter(RATE, SECONDS, tagOf(i)), owner));

  const server = await startServer();
  const launched = await browser();
  const dashboard = await openDashboard(launched, await server.freshUrl(), 'merged follow', [TAG_PROBE]);
  await dashboard
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: 'Logs' })
    .click({ timeout: 20_000 });
  await dashboard.getByRole('combobox', { name: 'Show' }).selectOption('containers', { timeout: 10_000 });
  await dashboard.getByRole('listbox', { name: 'Containers' }).selectOption(
    names.map((n) => ({ label: `${n} (running)` })),
    { timeout: 15_000 },
  );
  await dashboard.getByRole('log', { name: 'Log lines' }).waitFor({ timeout: 10_000 });
  const followers = names.map(cliFollower);
  const cliTotal = () => followers.reduce((sum, f) => sum + f.lines, 0);
  await sleep(1_000);
  await Promise.all(names.map((n) => go(n)));
  const printStarted = Date.now();
  await sleep(WARMUP_MS);
  const windows: Frames[] = [];
  /** Lines/s the CLI followers received over each window (counted around the page's own window). */
  const cliRates: number[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const [lines, at] = [cliTotal(), performance.now()];
    windows.push(await frames(dashboard, WINDOW_MS));
    cliRates.push(((cliTotal() - lines) * 1000) / (performance.now() - at));
  }

  // Same work: every line each container printed, per container and in all.
  await Promise.all(names.map((n) => run('docker', ['wait', n], { timeout: END_DEADLINE_MS })));
  const printedMs = Date.now() - printStarted;
  const perContainer = await Promise.all(
    names.map(async (n) => Number((await run('sh', ['-c', `docker logs ${n} 2>&1 | wc -l`])).stdout.trim())),
  );
  const printed = perContainer.reduce((a, b) => a + b, 0);
  const until = performance.now() + END_DEADLINE_MS;
  let end = await viewState(dashboard);
  while (end.total < printed && performance.now() < until) {
    await sleep(250);
    end = await viewState(dashboard);
  }
  const tags = (await dashboard.evaluate('window.__benchTags')) as Record<string, number>;
  const cliExits = await Promise.all(followers.map((f) => f.ended));
  await closeAll();
  await removeLabelled(owner);
  const countsAfter = await engineCounts();
  requireSameWork('merged follow', [
    ...sameCount(
      'lines',
      { 'docker logs, all containers': printed, 'the view (held + dropped)': end.total },
      RATE * SECONDS * CONTAINERS,
    ),
    ...names.flatMap((_, i) =>
      sameCount(
        `lines of ${tagOf(i)}`,
        {
          'docker logs': perContainer[i]!,
          'the WebSocket': tags[tagOf(i)] ?? 0,
          'docker logs -f': followers[i]!.lines,
        },
        RATE * SECONDS,
      ),
    ),
    ...cliExits.flatMap((code, i) => (code === 0 ? [] : [`docker logs -f ${names[i]} exited with ${code}`])),
  ]);

  const per = (f: (w: Frames) => number) => spread(windows.map(f));
  const berthRates = windows.map((w) => ((w.end.total - w.start.total) * 1000) / w.wallMs);
  const received = spread(berthRates);
  const cliReceived = spread(cliRates);
  const ofCli = pairedRatios(berthRates, cliRates);
  const p95 = per((w) => w.p95);
  const ages = windows.flatMap((w) => w.ages);
  const wsAges = windows.flatMap((w) => w.wsAges);
  const total = CONTAINERS * RATE;
  const ms1 = (s: Spread) => formatSpread(s, 1, 'ms');
  const rows = [
    '| Measure | Result (min / median / max) | Goal | Met | Note |',
    '| --- | --- | --- | --- | --- |',
    `| frame time p95, per ${fmt(WINDOW_MS / 1000)} s window (${WINDOWS} windows) | ${ms1(p95)} | < ${FRAME_GOAL_MS} ms | ${yes(p95.max < FRAME_GOAL_MS)} | p50 ${ms1(per((w) => w.p50))}; longest ${ms1(per((w) => w.max))}; frames > 50 ms: ${windows.map((w) => `${w.over50} of ${w.count}`).join(', ')} |`,
    `| lines/s the view received, per window | ${formatSpread(received)} | ${fmt(total)} printed | ${yes(received.min >= 0.95 * total)} | median ${fmt(received.median / total, 2)} of the rate printed |`,
    `| lines/s the ${CONTAINERS} \`docker logs -f\` followers received, same windows | ${formatSpread(cliReceived)} |  |  | median ${fmt(cliReceived.median / total, 2)} of the rate printed |`,
    `| **Berth's lines/s ÷ the CLI followers', per window** | **${formatSpread(ofCli, 2)}** |  |  | what the CLI followers received is the most this machine delivered while Berth ran too |`,
    `| age of the newest line on screen (every 0.5 s, ${ages.length} samples) | ${formatSpread(spread(ages), 0, 'ms')} |  |  | includes the merge's hold-back for late containers (250 ms) |`,
    `| age of the newest line received on the WebSocket (${wsAges.length} samples) | ${formatSpread(spread(wsAges), 0, 'ms')} |  |  |  |`,
    `| after the containers stopped: lines \`docker logs\` has / the view counted (held + dropped) / held | ${fmt(printed)} / ${fmt(end.total)} / ${fmt(end.held)} | all | yes | per container on the WebSocket: ${[...new Set(names.map((_, i) => fmt(tags[tagOf(i)] ?? 0)))].join(', ')} each; by \`docker logs -f\`: ${[...new Set(followers.map((f) => fmt(f.lines)))].join(', ')} each (\`docker logs\`: ${[...new Set(perContainer.map((c) => fmt(c)))].join(', ')}) |`,
  ];
  const body = [
    `Measured by \`npx tsx bench/logs-merged.ts\` on ${new Date().toISOString().slice(0, 10)}: ${CONTAINERS} containers of \`${image}\`, each printing`,
    `${fmt(RATE)} numbered lines/s (${fmt(total)} lines/s in all) tagged with its name, paced on the clock for ${SECONDS} s (it took`,
    `${fmt(printedMs / 1000, 1)} s from the start signal to the last container's exit), followed in the Logs view's merged mode`,
    `("several containers, merged") and, at the same time, by one \`docker logs -f\` per container (CLI ${cliVersion}) counting lines;`,
    `dockerd ${engineVersion}. Berth is the built app in web mode in Debian's Chromium`,
    `${chromiumVersion()} headless (playwright-core). Windows start after a ${fmt(WARMUP_MS / 1000)} s warm-up. The newest line's age is its`,
    "`t=` stamp (the container's clock when printed) against the page's clock. Checked before any figure: the counts in the last row.",
    `Machine: ${machineLine(loadAtStart)}; dockerd, the ${CONTAINERS} printers, the server, Chromium and the benchmark share the cores.`,
    '',
    ...rows,
    '',
    `Whole run: ${fmt((performance.now() - startedAt) / 1000, 0)} s. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.`,
    ...(notes.length ? ['', `Seen in the page: ${[...new Set(notes)].slice(0, 5).join('; ')}`] : []),
  ].join('\n');
  console.log(`\n${body}\n`);
  writeBenchmarkSection(SECTION, body);
  writeHighlights('logs-merged', SECTION, [
    {
      measure: `merged follow of ${CONTAINERS} containers × ${fmt(RATE)} lines/s: frame p95 per window`,
      result: ms1(p95),
      goal: `< ${FRAME_GOAL_MS} ms`,
    },
    { measure: 'same: lines/s the view received', result: formatSpread(received), goal: fmt(total) },
    {
      measure: "same: Berth's lines/s ÷ the CLI followers' (physical limit)",
      result: formatSpread(ofCli, 2),
      goal: '',
    },
  ]);
  console.log(`[bench] wrote "${SECTION}" in BENCHMARKS.md`);
}

await runBrowserBenchmark(owner, main, WHOLE_RUN_MS);

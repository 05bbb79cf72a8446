/**
 * The dashboard (issue 5), measured in one run against the built app (dist/), Debian's Chromium and the real
 * dockerd; one module per measurement in bench/dashboard/, sharing the server and browser set-up:
 *  1. bundle.ts      the initial JS/CSS, gzipped, against a bare React + ReactDOM bundle;
 *  2. cold-start.ts  web-mode cold start with an idle browser and with a cold browser, against baselines;
 *  3. follow.ts      the Logs view following 10,000 lines/s: frame times, lines received, freshness;
 *  4. million.ts     the renderer's heap after following 1,000,000 lines, and responsiveness right after.
 *
 *   npx tsx bench/dashboard.ts      prints the figures and writes "## Dashboard (issue 5)" in BENCHMARKS.md
 */
import { writeBenchmarkSection } from './benchmarks-file';
import { measureBundle } from './dashboard/bundle';
import { measureColdStart } from './dashboard/cold-start';
import { measureFollow } from './dashboard/follow';
import { measureMillion } from './dashboard/million';
import {
  bench,
  chromiumVersion,
  closeAll,
  image,
  KB,
  notes,
  type Row,
  runBrowserBenchmark,
  startOfBench,
  startServer,
  yes,
} from './dashboard/setup';
import { countsLine, engineCounts, machineLine, removeLabelled } from './lib/engine';
import { writeHighlights } from './lib/highlights';
import { fmt, formatSpread } from './lib/stats';

const SECTION = '## Dashboard (issue 5)';
/** Generous: the whole benchmark. */
const WHOLE_RUN_MS = 900_000;

const table = (rows: Row[]) => [
  '| Measure | Result (min / median / max) | Goal | Met | Ratio |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.measure} | ${r.result} | ${r.goal ?? ''} | ${r.met === undefined ? '' : yes(r.met)} | ${r.ratio ?? ''} |`,
  ),
];

async function main(): Promise<void> {
  const { loadAtStart, countsBefore, startedAt, engineVersion } = await startOfBench();
  const bundle = await measureBundle();
  const coldStart = await measureColdStart();
  const firstView: Row = {
    measure: `JS + CSS the first view (Build) loads, gzip -9 (${coldStart.firstView.files.length} files, the same in every cold start)`,
    result: `${fmt(coldStart.firstView.gzip9 / KB, 1)} KB`,
    ratio: `raw ${fmt(coldStart.firstView.raw / KB, 1)} KB`,
  };
  const server = await startServer(); // 3 and 4 share one server, started like a user would
  const follow = await measureFollow(server);
  const million = await measureMillion(server);
  await closeAll();
  await removeLabelled(bench);
  const countsAfter = await engineCounts();

  const lines = [
    `Measured by \`npx tsx bench/dashboard.ts\` on ${new Date().toISOString().slice(0, 10)}: the built app (\`dist/\`), web mode`,
    `(\`node dist/web/server.mjs --no-open --port 0\`, a fresh data dir per start), Debian's Chromium ${chromiumVersion()}`,
    `headless through playwright-core, viewport 1360×860; dockerd ${engineVersion}, base image \`${image}\`.`,
    `Machine: ${machineLine(loadAtStart)}; dockerd, the server, Chromium and the benchmark share the cores.`,
    'Frame times are `requestAnimationFrame` deltas inside the page (16.7 ms is the 60 Hz floor); heap is CDP',
    '`Performance.getMetrics` JSHeapUsedSize after `HeapProfiler.collectGarbage`. Results are min / median / max over',
    'the runs (or windows) named; a goal on a spread is met only if every run meets it, except cold start (its median).',
    'Checked before any figure: every cold start loaded the same JS/CSS files and reached the same state; the Logs',
    'view received every line each container printed.',
    '',
    ...table([...bundle, firstView, ...coldStart.rows, ...follow.rows, ...million.rows]),
    '',
    `Whole run: ${fmt((performance.now() - startedAt) / 1000, 0)} s. ${million.facts}`,
    `Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.`,
  ];
  if (notes.length) {
    // Grouped by text, then by phase without its run number: "idle-browser start × 5".
    const byText = new Map<string, Map<string, number>>();
    for (const note of notes) {
      const [phase = '', text = note] = note.split(/: (.*)/s);
      const phases = byText.get(text) ?? new Map<string, number>();
      const kind = phase.replace(/ \d+$/, '');
      phases.set(kind, (phases.get(kind) ?? 0) + 1);
      byText.set(text, phases);
    }
    lines.push('', 'Seen in the page while measuring (as reported; where, and how many times):');
    for (const [text, phases] of byText) {
      lines.push(`- ${text} (${[...phases].map(([kind, count]) => `${kind} × ${count}`).join('; ')})`);
    }
  }
  const body = lines.join('\n');
  console.log(`\n${body}\n`);
  writeBenchmarkSection(SECTION, body);
  const idle = coldStart.rows[0]!;
  const cold = coldStart.rows[2]!;
  writeHighlights('dashboard', SECTION, [
    {
      measure: 'web mode cold start to an interactive dashboard, **browser already running (idle)**',
      result: idle.result,
      goal: idle.goal ?? '',
    },
    {
      measure: 'web mode cold start to an interactive dashboard, **cold browser** (fresh process and profile)',
      result: cold.result,
      goal: '',
    },
    {
      measure: 'logs view following 10k lines/s, frame p95 per window',
      result: formatSpread(follow.p95, 1, 'ms'),
      goal: '< 50 ms',
    },
    { measure: 'renderer heap after 1M log lines', result: formatSpread(million.heap, 1, 'MB'), goal: '< 150 MB' },
  ]);
  console.log(`[bench] wrote "${SECTION}" in BENCHMARKS.md`);
}

await runBrowserBenchmark(bench, main, WHOLE_RUN_MS);

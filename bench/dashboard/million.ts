/**
 * 4. The renderer's JS heap (CDP, after a forced GC) once the Logs view has followed COUNT lines printed as fast
 *    as possible, the lines it holds, frame times while ingesting and while scrolling right after, and a search
 *    over the held lines. RUNS runs, each with a fresh container and browser. Same work: every run's view must
 *    have received all COUNT lines and seen the stream end.
 */
import { requireSameWork, sameCount } from '../lib/same-work';
import { fmt, formatSpread, type Spread, spread } from '../lib/stats';
import { frames, jsHeap, openDashboard, openLogsOf, startFrameLog, stopFrameLog, viewState } from './page';
import { browser, burstPrinter, go, MB, type Row, run, type Server, sleep, startContainer } from './setup';

const COUNT = 1_000_000;
const RUNS = 3;
/** Generous: the whole ingestion of one run, and how long it may stall before the run is given up. */
const INGEST_LIMIT_MS = 150_000;
const STALL_MS = 15_000;
const HEAP_GOAL_MB = 150;

interface MillionRun {
  total: number;
  held: number;
  ws: number;
  ingestMs: number;
  heapBefore: number;
  heapAfter: number;
  peakHeap: number;
  ingest: { p50: number; p95: number; max: number; over50: number; count: number };
  scroll: { p95: number; max: number; over50: number; count: number };
  searchMs: number;
  searchText: string;
  status: string;
  closes: number[];
}

async function once(server: Server, n: number): Promise<MillionRun> {
  const name = await startContainer('million', burstPrinter(COUNT));
  const launched = await browser();
  const page = await openDashboard(launched, await server.freshUrl(), `${fmt(COUNT)}-line run ${n}`);
  await openLogsOf(page, name);
  await sleep(500);
  const heapBefore = await jsHeap(page, true);
  const started = performance.now();
  await go(name);
  await startFrameLog(page);
  let peakHeap = heapBefore;
  let state = await viewState(page);
  let lastProgress = performance.now();
  let lastTotal = 0;
  while (performance.now() - started < INGEST_LIMIT_MS) {
    await sleep(500);
    state = await viewState(page);
    peakHeap = Math.max(peakHeap, await jsHeap(page, false));
    if (state.total !== lastTotal) {
      lastTotal = state.total;
      lastProgress = performance.now();
    }
    if (state.total >= COUNT && state.ended) break;
    if (performance.now() - lastProgress > STALL_MS) break; // stalled: the same-work check names it
  }
  const ingestMs = performance.now() - started;
  const ingest = await stopFrameLog(page);
  requireSameWork(
    `${fmt(COUNT)} lines, run ${n}`,
    sameCount('lines', { 'the view (held + dropped)': state.total, 'the WebSocket': state.ws.lines }, COUNT),
  );
  if (!state.ended) throw new Error(`run ${n}: the view did not see the stream end: "${state.status}"`);
  const heapAfter = await jsHeap(page, true);
  // Responsiveness right after: scroll up through the held lines, then a search over all of them.
  const scroll = await frames(page, 3_000, 400);
  const searchStarted = performance.now();
  await page.getByRole('searchbox', { name: 'Search logs' }).fill(`line ${COUNT - 1} `, { timeout: 10_000 });
  await page
    .getByLabel('Search matches')
    .filter({ hasText: /matching line/ })
    .waitFor({ timeout: 20_000 });
  const searchMs = performance.now() - searchStarted;
  const searchText = ((await page.getByLabel('Search matches').textContent()) ?? '').trim();
  await launched.close();
  await run('docker', ['rm', '-f', name]).catch(() => undefined);
  console.log(`[bench] ${fmt(COUNT)} lines, run ${n}: ${fmt(ingestMs)} ms, heap ${fmt(heapAfter / MB, 1)} MB`);
  return {
    ...{ total: state.total, held: state.held, ws: state.ws.lines, ingestMs, heapBefore, heapAfter, peakHeap },
    ...{ ingest, scroll, searchMs, searchText, status: state.status.trim(), closes: state.ws.closes },
  };
}

export interface Million {
  rows: Row[];
  heap: Spread;
  /** Measured facts for the prose under the table. */
  facts: string;
}

export async function measureMillion(server: Server): Promise<Million> {
  const runs: MillionRun[] = [];
  for (let i = 1; i <= RUNS; i++) runs.push(await once(server, i));
  const per = (f: (r: MillionRun) => number) => spread(runs.map(f));
  const heap = per((r) => r.heapAfter / MB);
  const growth = per((r) => (r.heapAfter - r.heapBefore) / MB);
  // The text the held lines amount to: a floor for any representation of them (JS strings are 1 byte/char here,
  // all ASCII), so heap growth ÷ text is the overhead of objects, timestamps and the UI.
  const heldText = per(
    (r) => (r.held * (' the quick brown fox jumps over the lazy dog'.length + 'line 999999'.length + 30)) / MB,
  );
  const ms1 = (s: Spread) => formatSpread(s, 1, 'ms');
  const rate = per((r) => (r.total * 1000) / r.ingestMs);
  const rows: Row[] = [
    {
      measure: `${fmt(COUNT)} lines followed (${RUNS} runs): lines received / held, every run`,
      result: `${[...new Set(runs.map((r) => fmt(r.total)))].join(', ')} / ${[...new Set(runs.map((r) => fmt(r.held)))].join(', ')}`,
      goal: `all ${fmt(COUNT)}`,
      met: true,
      ratio: `ingestion ${formatSpread(
        per((r) => r.ingestMs / 1000),
        1,
        's',
      )} (${formatSpread(rate)} lines/s)`,
    },
    {
      measure: `renderer JS heap after ${fmt(COUNT)} lines (after GC)`,
      result: formatSpread(heap, 1, 'MB'),
      goal: `< ${HEAP_GOAL_MB} MB`,
      met: heap.max < HEAP_GOAL_MB,
      ratio: `median ${fmt(heap.median / HEAP_GOAL_MB, 2)} of the goal; growth over the open view ${formatSpread(growth, 1, 'MB')} = median ${fmt(growth.median / heldText.median, 1)} × the held text (${fmt(heldText.median, 1)} MB)`,
    },
    {
      measure: 'peak JS heap while ingesting (no GC, sampled every 0.5 s)',
      result: formatSpread(
        per((r) => r.peakHeap / MB),
        1,
        'MB',
      ),
    },
    {
      measure: `frame time while ingesting: p95 per run`,
      result: ms1(per((r) => r.ingest.p95)),
      ratio: `p50 ${ms1(per((r) => r.ingest.p50))}; longest ${ms1(per((r) => r.ingest.max))}; frames > 50 ms: ${runs.map((r) => `${r.ingest.over50} of ${r.ingest.count}`).join(', ')}`,
    },
    {
      measure: 'right after: frame time p95 scrolling up 400 px/frame for 3 s, per run',
      result: ms1(per((r) => r.scroll.p95)),
      goal: 'p95 < 50 ms',
      met: per((r) => r.scroll.p95).max < 50,
      ratio: `longest ${ms1(per((r) => r.scroll.max))}; frames > 50 ms: ${runs.map((r) => `${r.scroll.over50} of ${r.scroll.count}`).join(', ')}`,
    },
    {
      measure: `right after: search "line ${COUNT - 1} " over the held lines → result shown`,
      result: formatSpread(
        per((r) => r.searchMs),
        0,
        'ms',
      ),
      ratio: [...new Set(runs.map((r) => `"${r.searchText}"`))].join(', '),
    },
  ];
  const closes = runs.flatMap((r) => r.closes);
  const facts =
    `Stream WebSocket closes seen by the page during the ${fmt(COUNT)}-line runs: ${closes.length ? closes.join(', ') : 'none'}; ` +
    `status line at the end: ${[...new Set(runs.map((r) => `"${r.status}"`))].join(', ')}.`;
  return { rows, heap, facts };
}

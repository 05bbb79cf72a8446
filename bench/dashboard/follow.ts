/**
 * 3. The Logs view following a container that prints RATE lines/s: frame times (requestAnimationFrame deltas in
 *    the page) over WINDOWS windows of the same stream, lines/s the view received, the age of the newest line on
 *    screen. Same work: once the stream ends, the view must hold every line the container printed.
 */
import { requireSameWork, sameCount } from '../lib/same-work';
import { fmt, formatSpread, type Spread, spread } from '../lib/stats';
import { type Frames, frames, openDashboard, openLogsOf, viewState } from './page';
import { browser, go, type Row, ratePrinter, type Server, sleep, startContainer } from './setup';

const RATE = 10_000;
const WARMUP_MS = 3_000;
const WINDOW_MS = 8_000;
const WINDOWS = 3;
/** The stream outlasts the warm-up and the windows by a little. */
const SECONDS = Math.ceil((WARMUP_MS + WINDOWS * WINDOW_MS) / 1000) + 2;
/** Generous: how long the view may take to show the end of the stream after the container stops printing. */
const END_DEADLINE_MS = 60_000;
const FRAME_MS = 1000 / 60;

export interface Follow {
  rows: Row[];
  p95: Spread;
}

export async function measureFollow(server: Server): Promise<Follow> {
  const name = await startContainer('rate', ratePrinter(RATE, SECONDS));
  const launched = await browser();
  const page = await openDashboard(launched, await server.freshUrl(), `${fmt(RATE)} lines/s`);
  await openLogsOf(page, name);
  await go(name);
  await sleep(WARMUP_MS);
  const windows: Frames[] = [];
  for (let i = 0; i < WINDOWS; i++) windows.push(await frames(page, WINDOW_MS));
  // Same work: every printed line reached the view, and the stream ended.
  const printed = RATE * SECONDS;
  const until = performance.now() + END_DEADLINE_MS;
  let end = await viewState(page);
  while (!(end.ended && end.total >= printed) && performance.now() < until) {
    await sleep(250);
    end = await viewState(page);
  }
  requireSameWork(
    `${fmt(RATE)} lines/s`,
    sameCount('lines', { 'the view (held + dropped)': end.total, 'the WebSocket': end.ws.lines }, printed),
  );
  await launched.close();

  const per = (f: (w: Frames) => number) => spread(windows.map(f));
  const received = per((w) => ((w.end.total - w.start.total) * 1000) / w.wallMs);
  const wsReceived = per((w) => ((w.end.ws.lines - w.start.ws.lines) * 1000) / w.wallMs);
  const p95 = per((w) => w.p95);
  const ages = windows.flatMap((w) => w.ages);
  const wsAges = windows.flatMap((w) => w.wsAges);
  const followed = windows.filter((w) => w.end.follow).length;
  const atBottom = windows.filter((w) => w.end.fromBottomPx !== null && w.end.fromBottomPx <= 1).length;
  const f1 = (s: Spread) => formatSpread(s, 1, 'ms');
  console.log(`[bench] ${fmt(RATE)}/s: p95 per window ${f1(p95)}; ${formatSpread(received)} lines/s`);
  return {
    p95,
    rows: [
      {
        measure: `Logs view following ${fmt(RATE)} lines/s: frame time p95, per ${fmt(WINDOW_MS / 1000)} s window (${WINDOWS} windows)`,
        result: f1(p95),
        goal: 'p95 < 50 ms',
        met: p95.max < 50,
        ratio: `median ${fmt(p95.median / FRAME_MS, 1)} × the 60 Hz frame (16.7 ms)`,
      },
      { measure: 'same windows: frame time p50', result: f1(per((w) => w.p50)) },
      {
        measure: 'same windows: longest frame',
        result: f1(per((w) => w.max)),
        ratio: `frames > 50 ms per window: ${windows.map((w) => `${w.over50} of ${w.count}`).join(', ')}`,
      },
      {
        measure: 'lines/s the view received, per window',
        result: formatSpread(received),
        goal: fmt(RATE),
        met: received.min >= 0.95 * RATE,
        ratio: `median ${fmt(received.median / RATE, 2)} of the rate printed (WebSocket: ${formatSpread(wsReceived)})`,
      },
      {
        measure: `age of the newest line on screen (sampled every 0.5 s, ${ages.length} samples)`,
        result: formatSpread(spread(ages), 0, 'ms'),
      },
      {
        measure: `age of the newest line received on the WebSocket (${wsAges.length} samples)`,
        result: formatSpread(spread(wsAges), 0, 'ms'),
      },
      {
        measure: 'end of each window: Follow checked; viewport at the bottom',
        result: `${followed} of ${WINDOWS}; ${atBottom} of ${WINDOWS}`,
        goal: `${WINDOWS} of ${WINDOWS}`,
        met: followed === WINDOWS && atBottom === WINDOWS,
      },
      {
        measure: 'after the stream ended: lines printed / in the view / on the WebSocket',
        result: `${fmt(printed)} / ${fmt(end.total)} / ${fmt(end.ws.lines)}`,
        goal: 'all',
        met: true,
      },
    ],
  };
}

/**
 * Engine event latency: how long after the engine publishes a container's `start` event (its own timeNano)
 * Berth's core delivers it, against the `docker events` CLI receiving the same event in the same run.
 * RUNS CLI `docker run`s on the local base image. Both consumers must have seen exactly the starts of the
 * containers this run made, and with the same engine time, before any ratio is reported.
 *
 *   npx tsx bench/events.ts            prints the figures and writes "## Engine events (issue 3)" in BENCHMARKS.md
 */
import { Engine } from '../electron/core/engine/engine';
import { EngineEvents } from '../electron/core/engine/events';
import { ensureBaseImage } from '../scripts/base-image';
import { writeBenchmarkSection } from './benchmarks-file';
import {
  benchRun,
  countsLine,
  engineCounts,
  loadAverage,
  machineLine,
  onInterrupt,
  removeLabelled,
} from './lib/engine';
import { writeHighlights } from './lib/highlights';
import { requireSameWork } from './lib/same-work';
import {
  type CliStart,
  type CoreStart,
  runAndAwaitStarts,
  startDifferences,
  startLatencies,
  watchCliStarts,
  watchCoreStarts,
} from './lib/start-events';
import { formatSpread, pairedRatios, spread } from './lib/stats';

const RUNS = 30;
/** Generous: how long one `docker run` may take before both start events must have arrived. */
const EVENT_DEADLINE_MS = 15_000;
const SECTION = '## Engine events (issue 3)';

const loadAtStart = loadAverage();
const bench = benchRun('events');
const countsBefore = await engineCounts();
const image = ensureBaseImage();
const prefix = `berth-bench-${bench.id}`;
/** Per container name: when each side delivered its start event, and which event it was (container id, engine time). */
const core = new Map<string, CoreStart>();
const cli = new Map<string, CliStart>();

const engine = new Engine();
const events = new EngineEvents(engine);
watchCoreStarts(events, prefix, core);
const watcher = watchCliStarts([], bench.label, prefix, cli);
onInterrupt(async () => {
  watcher.kill();
  await removeLabelled(bench);
});
const runOnce = (name: string) => runAndAwaitStarts(image, bench.label, name, [core, cli], EVENT_DEADLINE_MS);

try {
  await runOnce(`${prefix}-warmup`); // both streams are open and warm
  const names = Array.from({ length: RUNS }, (_, i) => `${prefix}-${i}`);
  for (const name of names) await runOnce(name);
  requireSameWork('container start events', startDifferences(names, core, cli));
  // Both latencies from the engine's own time, as the CLI reports it (it always carries timeNano).
  const { core: coreLatency, cli: cliLatency } = startLatencies(names, core, cli);
  const c = spread(coreLatency);
  const k = spread(cliLatency);
  const ratio = pairedRatios(coreLatency, cliLatency);
  const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1]!;
  const status = await engine.status();
  watcher.kill();
  await removeLabelled(bench);
  const countsAfter = await engineCounts();
  const body = `
Latency of a container \`start\` event, from the engine's own event time (\`timeNano\`) to delivery, over ${RUNS}
CLI \`docker run --rm\` runs of \`${image}\` (dockerd ${status.version}, API ${status.apiVersion}, ${status.os}/${status.arch}),
measured by \`npx tsx bench/events.ts\` on ${new Date().toISOString().slice(0, 10)}. Both consumers ran at the same time
and timed the same events: Berth's core (one shared \`GET /events\` stream, \`EngineEvents.subscribe\`) and
\`docker events --format '{{json .}}'\` read line by line from its stdout. Checked before any figure: both saw
exactly the ${RUNS} starts of the containers this run made, each with the same container id and engine time.

| consumer | min / median / max | p95 |
|---|---|---|
| Berth core (\`EngineEvents\`) | ${formatSpread(c, 2, 'ms')} | ${p95(coreLatency).toFixed(2)} ms |
| \`docker events\` CLI | ${formatSpread(k, 2, 'ms')} | ${p95(cliLatency).toFixed(2)} ms |
| ratio core ÷ CLI, per event | ${formatSpread(ratio, 2)} | |

Goal: p95 < 100 ms — ${p95(coreLatency) < 100 ? 'met' : '**not met**'}.

Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.
`;
  console.log(body);
  writeBenchmarkSection(SECTION, body);
  writeHighlights('events', SECTION, [
    {
      measure: `engine event latency, Berth core (p95 ${p95(coreLatency).toFixed(1)} ms)`,
      result: formatSpread(c, 1, 'ms'),
      goal: 'p95 < 100 ms',
    },
    {
      measure: `engine event latency, \`docker events\` CLI, same events (p95 ${p95(cliLatency).toFixed(1)} ms)`,
      result: formatSpread(k, 1, 'ms'),
      goal: '',
    },
  ]);
} finally {
  watcher.kill();
  events.close();
  engine.close();
  await removeLabelled(bench);
}

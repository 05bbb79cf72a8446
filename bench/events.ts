/**
 * Engine event latency: how long after the engine publishes a container's `start` event (its own timeNano)
 * Berth's core delivers it, against the `docker events` CLI receiving the same event in the same run.
 * RUNS CLI `docker run`s on the local base image. Both consumers must have seen exactly the starts of the
 * containers this run made, and with the same engine time, before any ratio is reported.
 *
 *   npx tsx bench/events.ts            prints the figures and writes "## Engine events (issue 3)" in BENCHMARKS.md
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
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
import { requireSameWork, sameSet } from './lib/same-work';
import { formatSpread, pairedRatios, spread } from './lib/stats';

const RUNS = 30;
/** Generous: how long one `docker run` may take before both start events must have arrived. */
const EVENT_DEADLINE_MS = 15_000;
const SECTION = '## Engine events (issue 3)';
const run = promisify(execFile);
const now = (): number => performance.timeOrigin + performance.now();

const loadAtStart = loadAverage();
const bench = benchRun('events');
const countsBefore = await engineCounts();
const image = ensureBaseImage();
const prefix = `berth-bench-${bench.id}`;
/** Per container name: when each side delivered its start event, and which event it was (container id, engine time). */
const core = new Map<string, { at: number; id: string; timeMs: number }>();
const cli = new Map<string, { at: number; id: string; published: number }>();

const engine = new Engine();
const events = new EngineEvents(engine);
events.subscribe((e) => {
  if (e.type === 'container' && e.action === 'start' && e.name?.startsWith(prefix)) {
    core.set(e.name, { at: now(), id: e.id, timeMs: e.time });
  }
});
const watcher = spawn('docker', [
  'events',
  '--filter',
  'type=container',
  '--filter',
  'event=start',
  '--filter',
  `label=${bench.label}`,
  '--format',
  '{{json .}}',
]);
onInterrupt(async () => {
  watcher.kill();
  await removeLabelled(bench);
});
createInterface({ input: watcher.stdout }).on('line', (line) => {
  const at = now();
  const raw = JSON.parse(line) as {
    id?: string;
    timeNano: number;
    Actor: { ID?: string; Attributes: { name?: string } };
  };
  const name = raw.Actor.Attributes.name ?? '';
  if (name.startsWith(prefix)) cli.set(name, { at, id: raw.Actor.ID ?? raw.id ?? '', published: raw.timeNano / 1e6 });
});

async function runOnce(name: string): Promise<void> {
  await run('docker', ['run', '--rm', '--label', bench.label, '--name', name, image, 'true']);
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  while (!(core.has(name) && cli.has(name))) {
    if (Date.now() > deadline) break; // the same-work check below names what is missing
    await new Promise((r) => setTimeout(r, 5));
  }
}

try {
  await runOnce(`${prefix}-warmup`); // both streams are open and warm
  const names = Array.from({ length: RUNS }, (_, i) => `${prefix}-${i}`);
  for (const name of names) await runOnce(name);
  const seen = (m: Map<string, unknown>) => [...m.keys()].filter((n) => !n.endsWith('-warmup'));
  const differences = sameSet('container starts', { core: seen(core), 'docker events': seen(cli) }, names);
  // The same event, not merely one per name: the same container id and the same engine time (the core keeps ms).
  for (const name of names) {
    const c = core.get(name);
    const k = cli.get(name);
    if (!c || !k) continue;
    if (c.id !== k.id) differences.push(`${name}: core saw container ${c.id}, the CLI ${k.id}`);
    if (c.timeMs !== Math.floor(k.published))
      differences.push(`${name}: core event time ${c.timeMs}, CLI ${k.published}`);
  }
  requireSameWork('container start events', differences);
  // Both latencies from the engine's own time, as the CLI reports it (it always carries timeNano).
  const coreLatency = names.map((n) => core.get(n)!.at - cli.get(n)!.published);
  const cliLatency = names.map((n) => cli.get(n)!.at - cli.get(n)!.published);
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

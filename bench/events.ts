/**
 * Engine event latency: how long after the engine publishes a container's `start` event (its own
 * timeNano) Berth's core delivers it, against the `docker events` CLI receiving the same event in the
 * same run. ~30 CLI `docker run`s on the local base image.
 *
 *   npx tsx bench/events.ts            prints the figures and writes "## Engine events (issue 3)" in BENCHMARKS.md
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Engine } from '../electron/core/engine/engine';
import { EngineEvents } from '../electron/core/engine/events';
import { ensureBaseImage } from '../scripts/base-image';
import { writeBenchmarkSection } from './benchmarks-file';

const RUNS = 30;
const SECTION = '## Engine events (issue 3)';
const run = promisify(execFile);
const now = (): number => performance.timeOrigin + performance.now();

const image = ensureBaseImage();
const prefix = `berth-bench-events-${randomBytes(3).toString('hex')}`;
const core = new Map<string, number>();
const cli = new Map<string, number>();
const published = new Map<string, number>();

const engine = new Engine();
const events = new EngineEvents(engine);
events.subscribe((e) => {
  if (e.type === 'container' && e.action === 'start' && e.name?.startsWith(prefix)) core.set(e.name, now());
});
const watcher = spawn('docker', [
  'events',
  '--filter',
  'type=container',
  '--filter',
  'event=start',
  '--format',
  '{{json .}}',
]);
createInterface({ input: watcher.stdout }).on('line', (line) => {
  const at = now();
  const raw = JSON.parse(line) as { timeNano: number; Actor: { Attributes: { name?: string } } };
  const name = raw.Actor.Attributes.name ?? '';
  if (!name.startsWith(prefix)) return;
  cli.set(name, at);
  published.set(name, raw.timeNano / 1e6);
});

async function runOnce(name: string): Promise<void> {
  await run('docker', ['run', '--rm', '--name', name, image, 'true']);
  const deadline = Date.now() + 5000;
  while (!(core.has(name) && cli.has(name))) {
    if (Date.now() > deadline) throw new Error(`no start event for ${name} within 5 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (v: number): string => `${v.toFixed(2)} ms`;

try {
  await runOnce(`${prefix}-warmup`); // both streams are open and warm
  for (let i = 0; i < RUNS; i += 1) await runOnce(`${prefix}-${i}`);
  const names = [...published.keys()].filter((n) => !n.endsWith('-warmup'));
  const coreLatency = names.map((n) => (core.get(n) ?? Number.NaN) - (published.get(n) ?? 0));
  const cliLatency = names.map((n) => (cli.get(n) ?? Number.NaN) - (published.get(n) ?? 0));
  const [c50, c95, k50, k95] = [percentile(coreLatency, 50), percentile(coreLatency, 95)].concat([
    percentile(cliLatency, 50),
    percentile(cliLatency, 95),
  ]) as [number, number, number, number];
  const status = await engine.status();
  const body = `
Latency of a container \`start\` event, from the engine's own event time (\`timeNano\`) to delivery, over ${names.length}
CLI \`docker run --rm\` runs of \`${image}\` (dockerd ${status.version}, API ${status.apiVersion}, ${status.os}/${status.arch}),
measured by \`npx tsx bench/events.ts\` on ${new Date().toISOString().slice(0, 10)}. Both consumers ran at the same time
and timed the same events: Berth's core (one shared \`GET /events\` stream, \`EngineEvents.subscribe\`) and
\`docker events --format '{{json .}}'\` read line by line from its stdout.

| consumer | p50 | p95 | max |
|---|---|---|---|
| Berth core (\`EngineEvents\`) | ${ms(c50)} | ${ms(c95)} | ${ms(Math.max(...coreLatency))} |
| \`docker events\` CLI | ${ms(k50)} | ${ms(k95)} | ${ms(Math.max(...cliLatency))} |
| ratio core / CLI | ${(c50 / k50).toFixed(2)} | ${(c95 / k95).toFixed(2)} | |

Goal: p95 < 100 ms — ${c95 < 100 ? 'met' : 'NOT met'}.
`;
  console.log(body);
  writeBenchmarkSection(SECTION, body);
} finally {
  watcher.kill();
  events.close();
  engine.close();
}

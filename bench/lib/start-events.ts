/**
 * The shared half of the event-latency benchmarks (bench/events.ts locally, bench/events-ssh.ts over SSH):
 * Berth's core and the `docker events` CLI watch the same container `start` events; each side notes, per
 * container name, when it delivered the event and which event it was. The same-work check and the
 * latencies (from the engine's own time, timeNano, which the CLI always carries) are computed here once.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { EngineEvents } from '../../electron/core/engine/events';
import { sameSet } from './same-work';

const run = promisify(execFile);
const now = (): number => performance.timeOrigin + performance.now();

export interface CoreStart {
  at: number;
  id: string;
  timeMs: number;
}
export interface CliStart {
  at: number;
  id: string;
  published: number;
}

/** Notes every container start whose name begins with `prefix`, as Berth's core delivers it. */
export function watchCoreStarts(events: EngineEvents, prefix: string, into: Map<string, CoreStart>): () => void {
  return events.subscribe((e) => {
    if (e.type === 'container' && e.action === 'start' && e.name?.startsWith(prefix)) {
      into.set(e.name, { at: now(), id: e.id, timeMs: e.time });
    }
  });
}

/** `docker [globalArgs] events` for the starts of containers labelled `label`, noted by name. */
export function watchCliStarts(
  globalArgs: string[],
  label: string,
  prefix: string,
  into: Map<string, CliStart>,
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const filters = ['--filter', 'type=container', '--filter', 'event=start', '--filter', `label=${label}`];
  const watcher = spawn('docker', [...globalArgs, 'events', ...filters, '--format', '{{json .}}'], { env });
  createInterface({ input: watcher.stdout! }).on('line', (line) => {
    const at = now();
    const raw = JSON.parse(line) as {
      id?: string;
      timeNano: number;
      Actor: { ID?: string; Attributes: { name?: string } };
    };
    const name = raw.Actor.Attributes.name ?? '';
    if (name.startsWith(prefix))
      into.set(name, { at, id: raw.Actor.ID ?? raw.id ?? '', published: raw.timeNano / 1e6 });
  });
  return watcher;
}

/** `docker run --rm` one labelled container over the local socket, then waits (up to a deadline) for both sides. */
export async function runAndAwaitStarts(
  image: string,
  label: string,
  name: string,
  sides: ReadonlyArray<Map<string, unknown>>,
  deadlineMs: number,
): Promise<void> {
  await run('docker', ['run', '--rm', '--label', label, '--name', name, image, 'true']);
  const deadline = Date.now() + deadlineMs;
  while (!sides.every((side) => side.has(name))) {
    if (Date.now() > deadline) break; // the same-work check names what is missing
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What differs between the two sides: not exactly `names`, or another container id or engine time. */
export function startDifferences(
  names: readonly string[],
  core: Map<string, CoreStart>,
  cli: Map<string, CliStart>,
): string[] {
  const measured = (m: Map<string, unknown>) => [...m.keys()].filter((n) => names.includes(n));
  const differences = sameSet('container starts', { core: measured(core), 'docker events': measured(cli) }, names);
  for (const name of names) {
    const c = core.get(name);
    const k = cli.get(name);
    if (!c || !k) continue;
    if (c.id !== k.id) differences.push(`${name}: core saw container ${c.id}, the CLI ${k.id}`);
    // The core keeps the event time in ms.
    if (c.timeMs !== Math.floor(k.published))
      differences.push(`${name}: core event time ${c.timeMs}, CLI ${k.published}`);
  }
  return differences;
}

/** Each side's latency per name, from the engine's own time of the event. */
export function startLatencies(
  names: readonly string[],
  core: Map<string, CoreStart>,
  cli: Map<string, CliStart>,
): { core: number[]; cli: number[] } {
  return {
    core: names.map((n) => core.get(n)!.at - cli.get(n)!.published),
    cli: names.map((n) => cli.get(n)!.at - cli.get(n)!.published),
  };
}

/**
 * What every benchmark needs from the machine: a label for everything it creates, removal by that label only
 * (never a prune of unlabelled things), the engine's counts before and after, and the measured load average.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The label key on every image and container a benchmark creates; its value names one run of one benchmark. */
export const BENCH_LABEL = 'berth.bench';

export interface BenchRun {
  /** e.g. "build-3f2a1c": the label value of this run. */
  readonly id: string;
  /** `key=value`, for `--label` and `--filter label=`. */
  readonly label: string;
}

export function benchRun(name: string): BenchRun {
  const id = `${name}-${randomBytes(3).toString('hex')}`;
  return { id, label: `${BENCH_LABEL}=${id}` };
}

async function docker(args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 64 << 20, timeout: 120_000 })).stdout.trim();
}

const ids = (text: string): string[] => text.split('\n').filter(Boolean);

/**
 * Removes the containers, then the images, that carry this run's label. `docker rmi` (without --no-prune)
 * also deletes the untagged parents a legacy build left, and stops at any image something else still uses.
 */
export async function removeLabelled(bench: BenchRun): Promise<void> {
  const containers = ids(await docker(['ps', '-aq', '--filter', `label=${bench.label}`]));
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]).catch(() => undefined);
  const images = [...new Set(ids(await docker(['images', '-aq', '--filter', `label=${bench.label}`])))];
  for (const image of images) await docker(['rmi', '-f', image]).catch(() => undefined);
}

export interface EngineCounts {
  images: number;
  containers: number;
  volumes: number;
}

export async function engineCounts(): Promise<EngineCounts> {
  const [images, containers, volumes] = await Promise.all([
    docker(['images', '-aq']),
    docker(['ps', '-aq']),
    docker(['volume', 'ls', '-q']),
  ]);
  return { images: ids(images).length, containers: ids(containers).length, volumes: ids(volumes).length };
}

/** "images 52 → 52, containers 3 → 3, volumes 1 → 1": what the run left behind, measured. */
export function countsLine(before: EngineCounts, after: EngineCounts): string {
  const same =
    before.images === after.images && before.containers === after.containers && before.volumes === after.volumes;
  const parts = (['images', 'containers', 'volumes'] as const).map((k) => `${k} ${before[k]} → ${after[k]}`);
  return `${parts.join(', ')}${same ? ' (unchanged)' : ' (**changed**: something else used the engine, or this run left something)'}`;
}

/** The 1, 5 and 15 minute load averages now, as the kernel reports them. */
export function loadAverage(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');
}

/** The machine line every section carries: cores, load average at start and at the end (1 / 5 / 15 min). */
export function machineLine(loadAtStart: string): string {
  return `${availableParallelism()} cores; load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${loadAverage()} at the end`;
}

/** Registers a cleanup that also runs on Ctrl-C, so an interrupted benchmark still removes what it made. */
export function onInterrupt(cleanup: () => Promise<void>): void {
  const handler = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** `docker logs -f <name>`, its output only counted (newlines on stdout and stderr); ends when the container stops. */
export function cliFollower(name: string) {
  const child = spawn('docker', ['logs', '-f', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  const follower = { lines: 0, ended: new Promise<number | null>((resolve) => child.on('close', resolve)) };
  const count = (chunk: Buffer) => {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) follower.lines += 1;
  };
  child.stdout.on('data', count);
  child.stderr.on('data', count);
  return follower;
}

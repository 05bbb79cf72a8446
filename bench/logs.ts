/**
 * Log pipeline throughput and memory: a container that printed LINES lines, read in full (tail all, no follow)
 * by Berth's core reader into a counting consumer, against `docker logs <id> 2>&1 | wc -l`, alternating, in the
 * same run. Both sides must count every line the container printed before any ratio is reported. Memory is the
 * growth of this process's RSS and heap while the core drains (peak, sampled every 10 ms, against the value
 * just before).
 *
 *   npx tsx bench/logs.ts      prints the figures and writes "## Log pipeline (issue 3)" in BENCHMARKS.md
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { readLogs } from '../electron/core/logs';
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
import { requireSameWork, sameCount } from './lib/same-work';
import { fmt, formatSpread, pairedRatios, rateOf, scaled, spread } from './lib/stats';

const LINES = 1_000_000;
const REPEATS = 3;
const SECTION = '## Log pipeline (issue 3)';
const MB = 1024 * 1024;
const run = promisify(execFile);

const loadAtStart = loadAverage();
const bench = benchRun('logs');
const countsBefore = await engineCounts();
const connection = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' };
const image = ensureBaseImage();
const name = `berth-bench-${bench.id}`;
onInterrupt(() => removeLabelled(bench));

// LINES short lines (~50 bytes each), written in blocks so the container itself is quick.
const PRINTER = `const b=[];for(let i=0;i<${LINES};i++){b.push('line '+i+' the quick brown fox jumps over the dog');if(b.length===1000){process.stdout.write(b.join('\\n')+'\\n');b.length=0}}`;

interface Timing {
  ms: number;
  /** CPU seconds (user + system) of the reading process. */
  cpu: number;
  lines: number;
}

/** `docker logs` into `wc -l`: the CLI's CPU is timed alone (/usr/bin/time), the wall time includes the pipe. */
async function timeCli(): Promise<Timing> {
  const cpuFile = join(tmpdir(), `${name}.cpu`);
  const started = performance.now();
  const { stdout } = await run('sh', [
    '-c',
    `/usr/bin/time -o "${cpuFile}" -f '%U %S' docker logs "${name}" 2>&1 | wc -l`,
  ]);
  const ms = performance.now() - started;
  const [user = 0, system = 0] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
  rmSync(cpuFile, { force: true });
  return { ms, cpu: user + system, lines: Number(stdout.trim()) };
}

interface CoreRun extends Timing {
  rssGrowth: number;
  heapGrowth: number;
}

async function timeCore(): Promise<CoreRun> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  let lines = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await readLogs(
    connection,
    { id: name, tail: 'all', follow: false },
    {
      deliver: (event) => {
        if (event.kind === 'lines') lines += event.lines.length;
      },
    },
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  return {
    ms,
    cpu: (cpu.user + cpu.system) / 1e6,
    lines,
    rssGrowth: peakRss - before.rss,
    heapGrowth: peakHeap - before.heapUsed,
  };
}

try {
  const madeAt = performance.now();
  await run('docker', ['run', '-d', '--label', bench.label, '--name', name, image, 'node', '-e', PRINTER]);
  await run('docker', ['wait', name]);
  const { stdout: logPath } = await run('docker', ['inspect', '--format', '{{.LogPath}}', name]);
  const logBytes = Number((await run('stat', ['-c', '%s', logPath.trim()])).stdout);
  console.log(`container ${name} printed ${fmt(LINES)} lines in ${fmt((performance.now() - madeAt) / 1000, 1)} s`);

  const cli: Timing[] = [];
  const core: CoreRun[] = [];
  for (let i = 0; i < REPEATS; i++) {
    cli.push(await timeCli());
    core.push(await timeCore());
    requireSameWork(`run ${i + 1}`, sameCount('lines', { core: core[i]!.lines, 'docker logs': cli[i]!.lines }, LINES));
    console.log(`run ${i + 1}: CLI ${fmt(cli[i]!.ms)} ms, core ${fmt(core[i]!.ms)} ms, both read ${fmt(LINES)} lines`);
  }
  const cliMs = spread(cli.map((r) => r.ms));
  const coreMs = spread(core.map((r) => r.ms));
  const cliCpu = spread(cli.map((r) => r.cpu));
  const coreCpu = spread(core.map((r) => r.cpu));
  // lines/s ratio per pair = CLI time ÷ core time of the same pair.
  const rateRatio = pairedRatios(
    cli.map((r) => r.ms),
    core.map((r) => r.ms),
  );
  const cpuRatio = pairedRatios(
    core.map((r) => r.cpu),
    cli.map((r) => r.cpu),
  );
  const rss = spread(core.map((r) => r.rssGrowth / MB));
  const heap = spread(core.map((r) => r.heapGrowth / MB));
  const { Version, ApiVersion } = await connection.docker.version();
  const { stdout: cliVersion } = await run('docker', ['version', '--format', '{{.Client.Version}}']);
  await removeLabelled(bench);
  const countsAfter = await engineCounts();

  const body = `
Reading the whole log of a container that printed ${fmt(LINES)} lines (${fmt(logBytes / MB, 1)} MB json-file log) of
\`${image}\`, dockerd ${Version} (API ${ApiVersion}), docker CLI ${cliVersion.trim()}; measured by
\`npx tsx bench/logs.ts\` on ${new Date().toISOString().slice(0, 10)}. The CLI (\`docker logs <id> 2>&1 | wc -l\`) and
Berth's core (\`readLogs\`, tail all, no follow, into a consumer that counts lines) alternate, ${REPEATS} runs each.
Every run was checked before it counted: both sides read exactly the ${fmt(LINES)} lines printed.
Figures are min / median / max over the runs; ratios are taken per pair (the CLI run and the core run next to it).
Memory: peak growth of the benchmark process while the core drains (sampled every 10 ms).

| reader | time | lines/s | CPU of the reader |
|---|---|---|---|
| \`docker logs\` CLI | ${formatSpread(scaled(cliMs, 1 / 1000), 2, 's')} | ${formatSpread(rateOf(LINES, cliMs))} | ${formatSpread(cliCpu, 2, 's')} |
| Berth core (\`readLogs\`) | ${formatSpread(scaled(coreMs, 1 / 1000), 2, 's')} | ${formatSpread(rateOf(LINES, coreMs))} | ${formatSpread(coreCpu, 2, 's')} |
| **ratio core ÷ CLI, per pair** | | **${formatSpread(rateRatio, 2)}** | ${formatSpread(cpuRatio, 2)} |

| memory while draining | peak growth |
|---|---|
| RSS | ${formatSpread(rss, 1, 'MB')} |
| JS heap | ${formatSpread(heap, 1, 'MB')} |

Goals: lines/s ratio ≥ 1.0 — median ${rateRatio.median >= 1 ? 'met' : '**not met**'}, min ${rateRatio.min >= 1 ? 'met' : '**not met**'};
memory growth < 50 MB — ${Math.max(rss.max, heap.max) < 50 ? 'met in every run' : '**not met** in every run'}.
Both readers share the machine with dockerd (and with whatever else runs on it), so the spread above is the
noise of this run; the CPU column shows what each reader itself costs.

Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.
`;
  console.log(body);
  writeBenchmarkSection(SECTION, body);
  writeHighlights('logs', SECTION, [
    {
      measure: `reading ${fmt(LINES)} log lines, Berth ÷ \`docker logs\` (lines/s, per pair)`,
      result: formatSpread(rateRatio, 2),
      goal: '≥ 1.0',
    },
    { measure: 'memory growth while reading them (RSS)', result: formatSpread(rss, 1, 'MB'), goal: '< 50 MB' },
  ]);
} finally {
  await removeLabelled(bench);
}

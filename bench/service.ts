/**
 * Benchmark of the notes service image (issue 2): build context, image size, cold vs cached build,
 * start to first 200 and `docker stop`. Measures in one run, prints a table, and rewrites only its own
 * section of BENCHMARKS.md.
 *
 *   npx tsx bench/service.ts
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureBaseImage } from '../scripts/base-image';
import { median, writeBenchmarkSection } from './benchmarks-file';

const SECTION = '## Notes service image (issue 2)';
const RUNS_BUILD = 3;
const RUNS_START = 5;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const tag = (what: string) => `berth-bench-notes-${what}:${randomBytes(4).toString('hex')}`;
const tags: string[] = [];
const containers: string[] = [];

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 64 << 20 })).stdout.trim();
}

/** A build with the 20.10 CLI: the legacy builder reports the whole context it sends, BuildKit caches per step. */
async function build(cwd: string, buildkit: boolean, args: string[]): Promise<{ ms: number; output: string }> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const { stdout, stderr } = await run('/usr/bin/docker', ['build', ...args, '.'], {
        cwd,
        env: { ...process.env, DOCKER_BUILDKIT: buildkit ? '1' : '0' },
        maxBuffer: 64 << 20,
      });
      return { ms: performance.now() - started, output: `${stdout}${stderr}` };
    } catch (error) {
      // The legacy builder's cached intermediate images are shared: another process's `docker rmi` can
      // prune one in the middle of this build. That is a race on a shared engine, so build again.
      if (attempt === 3 || !/No such image|unable to find image/.test(String(error))) throw error;
    }
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function untilOk(url: string): Promise<number> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    // A ref'd timer per attempt: while docker-proxy holds a connection to a service that is not listening
    // yet, the pending fetch alone does not keep Node alive, and the process would exit silently.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 1000);
    const ok = await fetch(url, { signal: abort.signal }).then(
      (r) => r.status === 200,
      () => false,
    );
    clearTimeout(timer);
    if (ok) return performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer 200 within 30 s`);
}

function copyContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-context-'));
  for (const path of ['Dockerfile', '.dockerignore', 'service/package.json', 'service/package-lock.json']) {
    cpSync(join(repoRoot, path), join(dir, path));
  }
  cpSync(join(repoRoot, 'service/tsconfig.json'), join(dir, 'service/tsconfig.json'));
  cpSync(join(repoRoot, 'service/src'), join(dir, 'service/src'), { recursive: true });
  return dir;
}

interface Row {
  measure: string;
  result: string;
  goal: string;
  met: boolean | undefined;
}

async function measure(nodeImage: string): Promise<Row[]> {
  const baseArg = ['--build-arg', `NODE_IMAGE=${nodeImage}`];
  const image = tag('image');
  tags.push(image);
  const legacy = await build(repoRoot, false, [...baseArg, '-t', image]);
  const sent = /Sending build context to Docker daemon\s+([\d.]+)\s*(B|kB|MB)/.exec(legacy.output);
  if (!sent) throw new Error('The legacy builder did not report its context size.');
  const contextBytes = Number(sent[1]) * { B: 1, kB: 1e3, MB: 1e6 }[sent[2] as 'B' | 'kB' | 'MB'];

  const imageBytes = Number(await docker('image', 'inspect', '-f', '{{.Size}}', image));
  const historySizes = async (ref: string) =>
    (await docker('history', '--human=false', '--format', '{{.Size}}', ref)).split('\n').map(Number);
  const [ownHistory, baseHistory] = [await historySizes(image), await historySizes(nodeImage)];
  const aboveBase = ownHistory.slice(0, ownHistory.length - baseHistory.length).reduce((a, b) => a + b, 0);

  const context = copyContext();
  const cold: number[] = [];
  const cached: number[] = [];
  try {
    for (let i = 0; i < RUNS_BUILD; i++) {
      const names = [tag('cold'), tag('edited')];
      tags.push(...names);
      cold.push((await build(context, true, [...baseArg, '--no-cache', '-t', names[0]!])).ms);
      // A one-line change the compiled output keeps (esbuild drops comments and unused exports).
      appendFileSync(
        join(context, 'service/src/note.ts'),
        `(globalThis as Record<string, unknown>).benchEdit = '${randomBytes(6).toString('hex')}';\n`,
      );
      cached.push((await build(context, true, [...baseArg, '-t', names[1]!])).ms);
      console.error(
        `build run ${i + 1}: cold ${cold.at(-1)?.toFixed(0)} ms, after edit ${cached.at(-1)?.toFixed(0)} ms`,
      );
    }
  } finally {
    rmSync(context, { recursive: true, force: true });
  }

  const toFirstOk: number[] = [];
  const fromEngineStart: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < RUNS_START; i++) {
    const hostPort = await freePort();
    const name = `berth-bench-notes-${randomBytes(4).toString('hex')}`;
    containers.push(name);
    const started = performance.now();
    await docker('run', '-d', '--name', name, '-e', 'PORT=5000', '-p', `127.0.0.1:${hostPort}:5000`, image);
    const okAt = await untilOk(`http://127.0.0.1:${hostPort}/`);
    const okWall = Date.now();
    toFirstOk.push(okAt - started);
    fromEngineStart.push(okWall - Date.parse(await docker('inspect', '-f', '{{.State.StartedAt}}', name)));
    const stopStarted = performance.now();
    await docker('stop', name);
    stops.push(performance.now() - stopStarted);
  }

  const ratio = median(cached) / median(cold);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return [
    {
      measure: 'Build context sent',
      result: `${(contextBytes / 1e3).toFixed(1)} kB`,
      goal: '< 100 kB',
      met: contextBytes < 1e5,
    },
    { measure: 'Image size (total)', result: mb(imageBytes), goal: '-', met: undefined },
    { measure: 'Layers above the base image', result: mb(aboveBase), goal: '< 15 MB', met: aboveBase < 15e6 },
    {
      measure: `Cold build, --no-cache (median of ${RUNS_BUILD})`,
      result: ms(median(cold)),
      goal: '-',
      met: undefined,
    },
    {
      measure: `Rebuild after a one-line source edit (median of ${RUNS_BUILD})`,
      result: ms(median(cached)),
      goal: '-',
      met: undefined,
    },
    { measure: 'Rebuild / cold build', result: ratio.toFixed(3), goal: '< 0.15', met: ratio < 0.15 },
    {
      measure: `Container start to first 200 (median of ${RUNS_START})`,
      result: ms(median(fromEngineStart)),
      goal: '< 500 ms',
      met: median(fromEngineStart) < 500,
    },
    {
      measure: `\`docker run\` call to first 200 (median of ${RUNS_START})`,
      result: ms(median(toFirstOk)),
      goal: '-',
      met: undefined,
    },
    {
      measure: `\`docker stop\` (median of ${RUNS_START})`,
      result: ms(median(stops)),
      goal: '< 2000 ms',
      met: median(stops) < 2000,
    },
  ];
}

function renderSection(rows: Row[], nodeImage: string, engine: string): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : '**no**');
  const lines = rows.map((r) => `| ${r.measure} | ${r.result} | ${r.goal} | ${verdict(r.met)} |`);
  return `Measured by \`npx tsx bench/service.ts\` on ${new Date().toISOString().slice(0, 10)}: Docker engine ${engine}, base image \`${nodeImage}\`, 2 cores, load average ${loadavg()[0]?.toFixed(1)} at the start (the machine is shared, so timings are noisy).
The context size is what the legacy builder reports sending; builds use BuildKit (\`DOCKER_BUILDKIT=1 /usr/bin/docker build\`) on a copy of the context, and the cold build's \`npm ci\` steps fetch from the npm registry.
"Container start" counts from the engine's \`State.StartedAt\`; the \`docker run\` row adds the CLI's create-and-start time.

| Measure | Result | Goal | Met |
| --- | --- | --- | --- |
${lines.join('\n')}
`;
}

async function main(): Promise<void> {
  const nodeImage = await docker('image', 'inspect', 'node:22-alpine').then(() => 'node:22-alpine', ensureBaseImage);
  try {
    const rows = await measure(nodeImage);
    console.table(rows.map((r) => ({ ...r, met: r.met === undefined ? '' : r.met ? 'yes' : 'NO' })));
    const engine = await docker('version', '--format', '{{.Server.Version}}');
    writeBenchmarkSection(SECTION, renderSection(rows, nodeImage, engine));
    console.log('Updated the issue-2 section of BENCHMARKS.md');
  } finally {
    await Promise.all(containers.map((c) => docker('rm', '-f', c).catch(() => undefined)));
    for (const t of tags) await docker('rmi', '--no-prune', t).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`bench/service.ts failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

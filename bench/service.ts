/**
 * Benchmark of the notes service image (issue 2): build context, image size, cold vs cached build,
 * start to first 200 and `docker stop`. Measures in one run, prints a table, and rewrites only its own
 * section of BENCHMARKS.md. Every build's steps and cache verdicts are read from the CLI's plain progress:
 * all cold builds must agree, and every rebuild after the edit must rebuild exactly the steps an edit of the
 * sources must rebuild, before the rebuild ÷ cold ratio is reported.
 *
 *   npx tsx bench/service.ts
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
import { legacyCreatedImages, parsePlainProgress, requireSameWork, type StepVerdict, sameSteps } from './lib/same-work';
import { formatSpread, pairedRatios, type Spread, spread } from './lib/stats';

const SECTION = '## Notes service image (issue 2)';
const RUNS_BUILD = 3;
const RUNS_START = 5;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const tag = (what: string) => `berth-bench-notes-${what}:${randomBytes(4).toString('hex')}`;
const bench = benchRun('service');
/** What a source edit must rebuild; every other step stays cached. */
const REBUILT_BY_EDIT = new Set(['COPY service/src ./src', 'RUN npm run build', 'COPY --from=build /app/dist ./dist']);
/** FROM only resolves the local base image; BuildKit reports it CACHED or DONE from run to run. */
const FROM_ONLY = new Set(['FROM']);
/** What the legacy build created (intermediate images of every stage), newest first when removed. */
const legacyImages: string[] = [];

/** Removes the labelled containers and images, then the legacy build's own intermediates (children first). */
async function cleanup(): Promise<void> {
  await removeLabelled(bench);
  for (const id of legacyImages.splice(0).reverse()) await docker('rmi', id).catch(() => undefined);
}

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { maxBuffer: 64 << 20 })).stdout.trim();
}

/** A build with the 20.10 CLI: the legacy builder reports the whole context it sends, BuildKit caches per step. */
async function build(cwd: string, buildkit: boolean, args: string[]): Promise<{ ms: number; output: string }> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const progress = buildkit ? ['--progress=plain'] : [];
      const { stdout, stderr } = await run(
        '/usr/bin/docker',
        ['build', ...progress, '--label', bench.label, ...args, '.'],
        {
          cwd,
          env: { ...process.env, DOCKER_BUILDKIT: buildkit ? '1' : '0' },
          maxBuffer: 64 << 20,
        },
      );
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
  const legacy = await build(repoRoot, false, [...baseArg, '-t', image]);
  legacyImages.push(...legacyCreatedImages(legacy.output));
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
  const coldSteps: StepVerdict[][] = [];
  const editSteps: StepVerdict[][] = [];
  try {
    for (let i = 0; i < RUNS_BUILD; i++) {
      const names = [tag('cold'), tag('edited')];
      const coldBuild = await build(context, true, [...baseArg, '--no-cache', '-t', names[0]!]);
      cold.push(coldBuild.ms);
      coldSteps.push(parsePlainProgress(coldBuild.output));
      // A one-line change the compiled output keeps (esbuild drops comments and unused exports).
      appendFileSync(
        join(context, 'service/src/note.ts'),
        `(globalThis as Record<string, unknown>).benchEdit = '${randomBytes(6).toString('hex')}';\n`,
      );
      const edited = await build(context, true, [...baseArg, '-t', names[1]!]);
      cached.push(edited.ms);
      editSteps.push(parsePlainProgress(edited.output));
      // The same work in every pair: the cold builds agree with the first one, the rebuild rebuilds just the edit.
      requireSameWork(
        `cold build ${i + 1}`,
        sameSteps(coldSteps[0]!, coldSteps[i]!, ['cold build 1', `cold build ${i + 1}`], FROM_ONLY),
      );
      const expected = editSteps[i]!.map((s) => ({
        instruction: s.instruction,
        verdict: REBUILT_BY_EDIT.has(s.instruction) ? ('built' as const) : ('cached' as const),
      }));
      requireSameWork(
        `rebuild ${i + 1}`,
        sameSteps(editSteps[i]!, expected, ['rebuild', 'an edit of the sources'], FROM_ONLY),
      );
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
    const started = performance.now();
    await docker(
      'run',
      '-d',
      '--label',
      bench.label,
      '--name',
      name,
      '-e',
      'PORT=5000',
      '-p',
      `127.0.0.1:${hostPort}:5000`,
      image,
    );
    const okAt = await untilOk(`http://127.0.0.1:${hostPort}/`);
    const okWall = Date.now();
    toFirstOk.push(okAt - started);
    fromEngineStart.push(okWall - Date.parse(await docker('inspect', '-f', '{{.State.StartedAt}}', name)));
    const stopStarted = performance.now();
    await docker('stop', name);
    stops.push(performance.now() - stopStarted);
  }

  const ratio = pairedRatios(cached, cold);
  const ms = (value: Spread) => formatSpread(value, 0, 'ms');
  const notFrom = (steps: StepVerdict[]) => steps.filter((s) => !FROM_ONLY.has(s.instruction));
  const built = (steps: StepVerdict[]) =>
    new Set(
      notFrom(steps)
        .filter((s) => s.verdict === 'built')
        .map((s) => s.instruction),
    ).size;
  const distinct = (steps: StepVerdict[]) => new Set(notFrom(steps).map((s) => s.instruction)).size;
  const [coldMs, cachedMs, startMs, runMs, stopMs] = [cold, cached, fromEngineStart, toFirstOk, stops].map(spread) as [
    Spread,
    Spread,
    Spread,
    Spread,
    Spread,
  ];
  return [
    {
      measure: 'Build context sent (legacy builder, 1 build)',
      result: `${(contextBytes / 1e3).toFixed(1)} kB`,
      goal: '< 100 kB',
      met: contextBytes < 1e5,
    },
    { measure: 'Image size (total)', result: mb(imageBytes), goal: '-', met: undefined },
    { measure: 'Layers above the base image', result: mb(aboveBase), goal: '< 15 MB', met: aboveBase < 15e6 },
    {
      measure: `Cold build, --no-cache (${RUNS_BUILD} runs; ${built(coldSteps[0]!)} of ${distinct(coldSteps[0]!)} distinct steps other than FROM built in each)`,
      result: ms(coldMs),
      goal: '-',
      met: undefined,
    },
    {
      measure: `Rebuild after a one-line source edit (${RUNS_BUILD} runs; ${built(editSteps[0]!)} of ${distinct(editSteps[0]!)} distinct steps other than FROM rebuilt in each)`,
      result: ms(cachedMs),
      goal: '-',
      met: undefined,
    },
    {
      measure: 'Rebuild ÷ the cold build before it, per pair',
      result: formatSpread(ratio, 3),
      goal: '< 0.15',
      met: ratio.max < 0.15,
    },
    {
      measure: `Container start to first 200 (${RUNS_START} runs)`,
      result: ms(startMs),
      goal: '< 500 ms',
      met: startMs.median < 500,
    },
    { measure: `\`docker run\` call to first 200 (${RUNS_START} runs)`, result: ms(runMs), goal: '-', met: undefined },
    {
      measure: `\`docker stop\` (${RUNS_START} runs)`,
      result: ms(stopMs),
      goal: '< 2000 ms',
      met: stopMs.median < 2000,
    },
  ];
}

function renderSection(rows: Row[], nodeImage: string, engine: string, machine: string, counts: string): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : '**no**');
  const lines = rows.map((r) => `| ${r.measure} | ${r.result} | ${r.goal} | ${verdict(r.met)} |`);
  return `Measured by \`npx tsx bench/service.ts\` on ${new Date().toISOString().slice(0, 10)}: Docker engine ${engine}, base image \`${nodeImage}\`; ${machine} (the machine is shared, so timings are noisy).
The context size is what the legacy builder reports sending; builds use BuildKit (\`DOCKER_BUILDKIT=1 /usr/bin/docker build\`) on a copy of the context, and the cold build's \`npm ci\` steps fetch from the npm registry.
"Container start" counts from the engine's \`State.StartedAt\`; the \`docker run\` row adds the CLI's create-and-start time.
Timings are min / median / max over the runs; a goal on a spread is judged on its median, except the rebuild ratio (every pair).
Checked before the ratio: every cold build reported the same steps and cache verdicts (the CLI's plain progress), and every
rebuild rebuilt exactly (FROM, which only resolves the base image, aside) ${[...REBUILT_BY_EDIT].map((s) => `\`${s}\``).join(', ')} and kept every other step cached.

| Measure | Result (min / median / max) | Goal | Met |
| --- | --- | --- | --- |
${lines.join('\n')}

Engine before → after this run: ${counts}.
`;
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  const countsBefore = await engineCounts();
  onInterrupt(cleanup);
  const nodeImage = await docker('image', 'inspect', 'node:22-alpine').then(() => 'node:22-alpine', ensureBaseImage);
  try {
    const rows = await measure(nodeImage);
    console.table(rows.map((r) => ({ ...r, met: r.met === undefined ? '' : r.met ? 'yes' : 'NO' })));
    const engine = await docker('version', '--format', '{{.Server.Version}}');
    await cleanup();
    const counts = countsLine(countsBefore, await engineCounts());
    writeBenchmarkSection(SECTION, renderSection(rows, nodeImage, engine, machineLine(loadAtStart), counts));
    const pick = (prefix: string) => rows.find((r) => r.measure.startsWith(prefix))!;
    writeHighlights('service', SECTION, [
      {
        measure: 'notes image: rebuild after a one-line source edit ÷ cold build, per pair',
        result: pick('Rebuild ÷').result,
        goal: pick('Rebuild ÷').goal,
      },
      {
        measure: 'notes service: container start to first 200',
        result: pick('Container start').result,
        goal: pick('Container start').goal,
      },
    ]);
    console.log('Updated the issue-2 section of BENCHMARKS.md');
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench/service.ts failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

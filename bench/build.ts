/**
 * Builds through Berth's core vs the docker 20.10 CLI (DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain)
 * on the same temp copy of the notes service context, alternating: cold (--no-cache) and fully cached.
 * Before any ratio, each pair must show the same steps with the same cache verdicts.
 * Writes the "## Builds (issue 3)" section of BENCHMARKS.md.   npx tsx bench/build.ts
 */
import { execFile } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { startBuild } from '../electron/core/build/build';
import { copyNotesContext } from '../electron/core/build/test/notes-build';
import { baseImageName, ensureBaseImage } from '../scripts/base-image';
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
import { parsePlainProgress, requireSameWork, type StepVerdict, sameSteps, verdictsOfModel } from './lib/same-work';
import { formatSpread, pairedRatios, scaled, spread } from './lib/stats';

const SECTION = '## Builds (issue 3)';
const COLD_RUNS = 3;
const CACHED_RUNS = 5;
const CLI = '/usr/bin/docker';
const run = promisify(execFile);

const loadAtStart = loadAverage();
const bench = benchRun('build');
const countsBefore = await engineCounts();
const nodeImage = (await run('docker', ['image', 'inspect', 'node:22-alpine']).then(
  () => true,
  () => false,
))
  ? 'node:22-alpine'
  : ensureBaseImage();
const docker = new Dockerode();
const context = copyNotesContext();
// The label goes into the Dockerfile both sides build, so both do the same work and the images carry it.
// LABEL is image metadata, not a step: it changes no step and no cache key.
appendFileSync(join(context, 'Dockerfile'), `\nLABEL ${bench.label}\n`);
const coreTag = `berth-bench-core:${bench.id}`;
const cliTag = `berth-bench-cli:${bench.id}`;
const cleanup = async () => {
  rmSync(context, { recursive: true, force: true });
  await removeLabelled(bench);
};
onInterrupt(cleanup);

interface Timed {
  ms: number;
  steps: StepVerdict[];
}

/**
 * Berth's build, timed, with the engine's own verdict for each step it ran: the decoded BuildKit events (not the
 * step model, which shows every step of a --no-cache build as built by rule), named by the model's instructions.
 */
async function core(noCache: boolean): Promise<Timed> {
  const engineStates = new Map<string, string>();
  const started = performance.now();
  const model = await startBuild(
    { docker, endpoint: 'unix:///var/run/docker.sock' },
    { contextDir: context, buildArgs: { NODE_IMAGE: nodeImage }, tags: [coreTag], noCache, builder: 'buildkit' },
    {
      onEngineEvent: (event) => {
        if (event.kind !== 'step' || event.ref.builder !== 'buildkit') return;
        engineStates.set(`${event.ref.stage?.toLowerCase() ?? ''} ${event.ref.position}`, event.state);
      },
    },
  ).done;
  const ms = performance.now() - started;
  if (model.state !== 'succeeded') throw new Error(`core build ${model.state}: ${model.failure?.message}`);
  const lastStage = model.steps.at(-1)?.stage ?? '';
  const steps = [...engineStates].map(([key, state]) => {
    const [stage = '', at = ''] = key.split(' ');
    const step = model.steps.find((s) => s.id === `buildkit-${stage || lastStage}-${at}`);
    return { instruction: step?.instruction ?? `(no planned step for stage "${stage}" position ${at})`, state };
  });
  return { ms, steps: verdictsOfModel(steps) };
}

async function cli(noCache: boolean): Promise<Timed> {
  const args = ['build', '--progress=plain', '--build-arg', `NODE_IMAGE=${nodeImage}`, '-t', cliTag];
  const started = performance.now();
  const { stdout, stderr } = await run(CLI, [...args, ...(noCache ? ['--no-cache'] : []), context], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    maxBuffer: 64 << 20,
  });
  const ms = performance.now() - started;
  return { ms, steps: parsePlainProgress(`${stdout}\n${stderr}`) };
}

interface Measured {
  core: number[];
  cli: number[];
  steps: StepVerdict[];
  /** Pairs whose FROM verdicts differed (FROM only resolves the local base image: compared by presence). */
  fromDiffers: string[];
}

const FROM_ONLY = new Set(['FROM']);

async function measure(label: string, noCache: boolean, runs: number): Promise<Measured> {
  const times: Measured = { core: [], cli: [], steps: [], fromDiffers: [] };
  for (let i = 0; i < runs; i++) {
    const a = await core(noCache); // alternate, so drift in the engine hits both alike
    const b = await cli(noCache);
    requireSameWork(`${label} build, pair ${i + 1}`, sameSteps(a.steps, b.steps, ['core', 'CLI'], FROM_ONLY));
    const fromOf = (steps: StepVerdict[]) =>
      [...new Set(steps.filter((s) => s.instruction === 'FROM').map((s) => s.verdict))].join('+');
    if (fromOf(a.steps) !== fromOf(b.steps))
      times.fromDiffers.push(`${fromOf(a.steps)} (core) vs ${fromOf(b.steps)} (CLI)`);
    times.core.push(a.ms);
    times.cli.push(b.ms);
    times.steps = a.steps;
    console.log(`[bench] ${label} ${i + 1}/${runs}: core ${a.ms.toFixed(0)} ms, CLI ${b.ms.toFixed(0)} ms, same steps`);
  }
  return times;
}

const verdicts = (steps: StepVerdict[]) => {
  const others = steps.filter((s) => !FROM_ONLY.has(s.instruction));
  const distinct = new Set(others.map((s) => s.instruction)).size;
  const built = new Set(others.filter((s) => s.verdict === 'built').map((s) => s.instruction)).size;
  return `${distinct} distinct steps other than FROM: ${built} built, ${distinct - built} cached`;
};

try {
  await core(false); // warm the cache and the base image once
  await cli(false);
  const cold = await measure('cold', true, COLD_RUNS);
  const cached = await measure('cached', false, CACHED_RUNS);
  const s = (values: number[]) => formatSpread(scaled(spread(values), 1 / 1000), 2, 's');
  const row = (name: string, m: Measured) =>
    `| ${name} (${m.core.length} pairs) | ${s(m.core)} | ${s(m.cli)} | ${formatSpread(pairedRatios(m.core, m.cli), 2)} | ${verdicts(m.steps)}; FROM verdicts differed in ${m.fromDiffers.length} of ${m.core.length} pairs${m.fromDiffers.length ? ` (${[...new Set(m.fromDiffers)].join('; ')})` : ''} |`;
  await cleanup();
  const countsAfter = await engineCounts();
  const body = [
    `The notes service (repo Dockerfile, NODE_IMAGE=${nodeImage === baseImageName() ? `the local base image \`${nodeImage}\`` : nodeImage}) built with BuildKit through`,
    "Berth's core (`electron/core/build`: dockerode, protobuf trace decoding, step model, context snapshot)",
    `vs \`DOCKER_BUILDKIT=1 ${CLI} build --progress=plain\` (the docker ${(await run(CLI, ['version', '--format', '{{.Client.Version}}'])).stdout.trim()} CLI) on the same temp context, alternating core then CLI.`,
    'Every pair was checked before it counted: both sides reported the same steps with the same cache verdicts',
    "(the engine's verdicts as Berth's core decoded them, against the CLI's `#N CACHED` / `#N DONE` lines; FROM, which",
    'only resolves the local base image, is compared by presence and its verdicts are counted). Wall time, min / median / max; the ratio',
    'is taken per pair (core ÷ CLI of the same pair). Goal: ratio ≤ 1.05.',
    '',
    '| build | Berth core | docker CLI | core ÷ CLI per pair | same work (both sides) |',
    '| --- | --- | --- | --- | --- |',
    row('cold (--no-cache)', cold),
    row('fully cached', cached),
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/build.ts\`: ${machineLine(loadAtStart)}.`,
    `Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.`,
  ].join('\n');
  writeBenchmarkSection(SECTION, body);
  writeHighlights('build', SECTION, [
    {
      measure: 'build through Berth ÷ `docker build`, per pair, cold (--no-cache)',
      result: formatSpread(pairedRatios(cold.core, cold.cli), 2),
      goal: '≤ 1.05',
    },
    {
      measure: 'build through Berth ÷ `docker build`, per pair, fully cached',
      result: formatSpread(pairedRatios(cached.core, cached.cli), 2),
      goal: '≤ 1.05',
    },
  ]);
  console.log(body);
} finally {
  await cleanup();
}

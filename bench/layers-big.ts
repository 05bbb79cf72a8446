/**
 * The layer explorer on a big image: a generated one of about 1 GB, 20 layers of 5,000 files each (100,000
 * files) on the local base image, built with a label and removed afterwards. Two measures, two sections:
 *   - peak memory of a fresh process that explores the image (the kernel's VmHWM), goal < 200 MB;
 *   - time until the first layer tree can be shown (the exploration's answer, which carries every tree) against
 *     `docker save IMG | tar -t`, alternating in the same run.
 * Every run is checked first: Berth read the image's layers in order, the layer bytes `docker save | tar -tv`
 * lists and 5,000 files in each generated layer; tar listed one layer.tar per layer.
 *
 *   npx tsx bench/layers-big.ts
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { requireSameWork, sameCount } from './lib/same-work';
import { sameLayers, savedTarFacts } from './lib/saved-layers';
import { fmt, formatSpread, pairedRatios, scaled, spread } from './lib/stats';

const MEMORY_SECTION = '## Layer explorer: peak memory on a 1 GB image (issue 11)';
const FIRST_TREE_SECTION = '## Layer explorer: time to the first layer tree (issue 11)';
const LAYERS = 20;
const FILES_PER_LAYER = 5000;
const FILE_BYTES = 10_000;
const REPEATS = 3;
const MEMORY_GOAL_MB = 200;
const MB = 1e6;
const run = promisify(execFile);

const loadAtStart = loadAverage();
const bench = benchRun('layers-big');
const countsBefore = await engineCounts();
const image = `berth-bench-${bench.id}:generated`;
onInterrupt(() => removeLabelled(bench));

interface Probe {
  firstLayerMs: number;
  totalMs: number;
  rssAtStart: number;
  peakRss: number;
  heapPeak: number;
  diffIds: string[];
  storedBytes: number;
  files: number[];
  size: number;
}

/** A fresh Node process explores the image, so its peak memory is the explorer's alone. */
async function probe(): Promise<Probe> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'layers-probe.ts'), image],
    {
      maxBuffer: 64 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Probe;
}

/** `docker save | tar -t`: the time to its first line and to its end, and the layer tars it listed. */
function timeCli(): Promise<{ firstMs: number; ms: number; layerTars: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    let firstMs = Number.NaN;
    let out = '';
    const child = spawn('bash', ['-c', `set -o pipefail; docker save "${image}" | tar -t`]);
    child.stdout.on('data', (chunk: Buffer) => {
      if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
      out += chunk.toString();
    });
    child.once('error', fail);
    child.once('close', (code) => {
      if (code !== 0) return fail(new Error(`docker save | tar -t exited ${code}`));
      done({
        firstMs,
        ms: performance.now() - started,
        layerTars: out.split('\n').filter((l) => l.endsWith('/layer.tar')).length,
      });
    });
  });
}

function dockerfile(salt: string): string {
  const steps = Array.from({ length: LAYERS }, (_, layer) => {
    const js = `/* ${salt} */ const fs=require('fs');const d='/generated/layer${layer}';fs.mkdirSync(d,{recursive:true});const b=Buffer.alloc(${FILE_BYTES},${layer});for(let i=0;i<${FILES_PER_LAYER};i++)fs.writeFileSync(d+'/file'+i,b)`;
    return `RUN node -e "${js}"`;
  });
  return ['ARG NODE_IMAGE', 'FROM ${NODE_IMAGE}', ...steps, ''].join('\n');
}

const context = mkdtempSync(join(tmpdir(), 'berth-bench-layers-'));
try {
  writeFileSync(join(context, 'Dockerfile'), dockerfile(randomBytes(6).toString('hex')));
  const builtAt = performance.now();
  await run(
    '/usr/bin/docker',
    ['build', '-q', '--label', bench.label, '--build-arg', `NODE_IMAGE=${ensureBaseImage()}`, '-t', image, '.'],
    { cwd: context, env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 64 << 20 },
  );
  console.log(`built ${image} in ${fmt((performance.now() - builtAt) / 1000, 1)} s`);
  const facts = await savedTarFacts(image);

  const probes: Probe[] = [];
  const cli: Array<{ firstMs: number; ms: number }> = [];
  for (let i = 0; i < REPEATS; i++) {
    const c = await timeCli();
    const p = await probe();
    const generated = p.files.slice(-LAYERS);
    requireSameWork(`run ${i + 1}`, [
      ...sameLayers(facts, p),
      ...sameCount('layer tars', { 'tar -t': c.layerTars }, facts.diffIds.length),
      ...generated.flatMap((n, layer) =>
        sameCount(`files in generated layer ${layer + 1}`, { Berth: n }, FILES_PER_LAYER),
      ),
    ]);
    cli.push(c);
    probes.push(p);
    console.log(
      `run ${i + 1}: docker save | tar -t ${fmt(c.ms)} ms; Berth ${fmt(p.totalMs)} ms, peak RSS ${fmt(p.peakRss / MB, 1)} MB`,
    );
  }
  const generatedFiles = LAYERS * FILES_PER_LAYER;
  const peak = spread(probes.map((p) => p.peakRss / MB));
  const atStart = spread(probes.map((p) => p.rssAtStart / MB));
  const heap = spread(probes.map((p) => p.heapPeak / MB));
  const berthMs = probes.map((p) => p.totalMs);
  const ratio = pairedRatios(
    berthMs,
    cli.map((c) => c.ms),
  );
  await removeLabelled(bench);
  const countsAfter = await engineCounts();
  const imageLine = `a generated image of ${fmt(facts.tarBytes / MB)} MB saved (${facts.diffIds.length} layers: the local base image and
${LAYERS} generated layers of ${fmt(FILES_PER_LAYER)} files of ${fmt(FILE_BYTES)} bytes, ${fmt(generatedFiles)} files), built with a label
and removed after the run; measured by \`npx tsx bench/layers-big.ts\` on ${new Date().toISOString().slice(0, 10)}, ${REPEATS} runs.
Every run was checked before it counted: Berth read the image's ${facts.diffIds.length} layers in order, exactly the
${fmt(facts.layerBytes)} layer bytes \`docker save | tar -tv\` lists and ${fmt(FILES_PER_LAYER)} files in each generated layer;
\`tar -t\` listed ${facts.diffIds.length} layer tars. Figures are min / median / max over the runs.`;
  const footer = `Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.`;

  const memoryBody = `
Peak memory of a fresh Node process that explores ${imageLine}

| memory of the exploring process | min / median / max |
|---|---|
| **peak resident memory (VmHWM)** | **${formatSpread(peak, 1, 'MB')}** |
| resident memory before exploring (Node and the code) | ${formatSpread(atStart, 1, 'MB')} |
| JS heap peak (sampled every 10 ms) | ${formatSpread(heap, 1, 'MB')} |

Goal: peak < ${MEMORY_GOAL_MB} MB — ${peak.max < MEMORY_GOAL_MB ? 'met in every run' : '**not met** in every run'}. The saved tar streams
through once; only each entry's path, kind and size are kept.

${footer}
`;
  const firstTreeBody = `
Time until the first layer tree can be shown, on ${imageLine}
Berth's answer (\`images.explore\`) carries every layer's tree at once, so the first tree is shown when it arrives;
\`docker save IMG | tar -t\` lists the outer tar only (dive cannot be installed here). Both alternate; the ratio is per pair.

| side | time |
|---|---|
| \`docker save \\| tar -t\`, to its first line | ${formatSpread(scaled(spread(cli.map((c) => c.firstMs)), 1 / 1000), 2, 's')} |
| \`docker save \\| tar -t\`, to its end | ${formatSpread(scaled(spread(cli.map((c) => c.ms)), 1 / 1000), 2, 's')} |
| Berth, first layer listed inside the explorer | ${formatSpread(scaled(spread(probes.map((p) => p.firstLayerMs)), 1 / 1000), 2, 's')} |
| Berth, exploration answered (every tree ready) | ${formatSpread(scaled(spread(berthMs), 1 / 1000), 2, 's')} |
| **ratio Berth answered ÷ \`tar -t\` ended, per pair** | **${formatSpread(ratio, 2)}** |

The Berth times are measured in a fresh process (the same runs as the memory figures), so they include no warm JIT.

${footer}
`;
  console.log(memoryBody, firstTreeBody);
  writeBenchmarkSection(MEMORY_SECTION, memoryBody);
  writeBenchmarkSection(FIRST_TREE_SECTION, firstTreeBody);
  writeHighlights('layers-big', MEMORY_SECTION, [
    {
      measure: `peak memory exploring a ${fmt(facts.tarBytes / MB)} MB image of ${fmt(generatedFiles)} files`,
      result: formatSpread(peak, 1, 'MB'),
      goal: `< ${MEMORY_GOAL_MB} MB`,
    },
    {
      measure: 'first layer tree on that image, Berth ÷ `docker save \\| tar -t` (per pair)',
      result: formatSpread(ratio, 2),
      goal: 'none set',
    },
  ]);
} finally {
  rmSync(context, { recursive: true, force: true });
  await removeLabelled(bench);
}

/**
 * Layer analysis of the notes service image: Berth's explorer (one GET /images/{name}/get, every layer listed
 * and its whiteouts applied) against `docker save IMG > /dev/null` on the same image, alternating, in the same
 * run. Before any ratio is reported, Berth's read is checked against the CLI's own view of the save: the same
 * layers (diff ids, in order) and the same layer bytes as `docker save | tar -tv` lists.
 *
 *   npx tsx bench/layers.ts      prints the figures and writes "## Layer explorer: analysis (issue 11)"
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { exploreImage } from '../electron/core/insight/layers';
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
import { sameLayers, savedTarFacts } from './lib/saved-layers';
import { fmt, formatSpread, pairedRatios, scaled, spread } from './lib/stats';

const SECTION = '## Layer explorer: analysis (issue 11)';
const REPEATS = 7;
const GOAL = 1.5;
const MB = 1e6;
const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const loadAtStart = loadAverage();
const bench = benchRun('layers');
const countsBefore = await engineCounts();
const engine = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' };
const image = `berth-bench-${bench.id}:service`;
onInterrupt(() => removeLabelled(bench));

async function timeCli(): Promise<number> {
  const started = performance.now();
  await run('sh', ['-c', `docker save "${image}" > /dev/null`]);
  return performance.now() - started;
}

try {
  // The service image, built as users build it (BuildKit, the local base image); labelled for removal.
  await run(
    '/usr/bin/docker',
    ['build', '-q', '--label', bench.label, '--build-arg', `NODE_IMAGE=${ensureBaseImage()}`, '-t', image, '.'],
    { cwd: repoRoot, env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 64 << 20 },
  );
  const facts = await savedTarFacts(image);
  // One untimed run of each side first, so neither pays for a cold start (Berth's code, the engine's caches).
  await timeCli();
  await exploreImage(engine, image);
  const cli: number[] = [];
  const berth: number[] = [];
  let files = 0;
  for (let i = 0; i < REPEATS; i++) {
    cli.push(await timeCli());
    const started = performance.now();
    const explored = await exploreImage(engine, image);
    berth.push(performance.now() - started);
    const storedBytes = explored.layers.reduce((sum, l) => sum + l.storedBytes, 0);
    requireSameWork(`run ${i + 1}`, sameLayers(facts, { diffIds: explored.layers.map((l) => l.diffId), storedBytes }));
    files = explored.layers.reduce((sum, l) => sum + l.tree.paths.length, 0);
    console.log(`run ${i + 1}: docker save ${fmt(cli[i]!)} ms, Berth ${fmt(berth[i]!)} ms (${fmt(files)} entries)`);
  }
  const ratio = pairedRatios(berth, cli);
  const { Version, ApiVersion } = await engine.docker.version();
  await removeLabelled(bench);
  const countsAfter = await engineCounts();

  const body = `
The notes service image (${fmt(facts.tarBytes / MB, 1)} MB saved, ${facts.diffIds.length} layers, ${fmt(files)} tar
entries in its layers), dockerd ${Version} (API ${ApiVersion}); measured by \`npx tsx bench/layers.ts\` on
${new Date().toISOString().slice(0, 10)}. Berth's explorer (\`exploreImage\`: one GET /images/{name}/get, every layer's
entries listed, whiteouts applied, history paired) and \`docker save IMG > /dev/null\` alternate, ${REPEATS} runs each
after one untimed run of each.
Every Berth run was checked before it counted: the same ${facts.diffIds.length} layers in the same order as
\`docker image inspect\`, and exactly the ${fmt(facts.layerBytes)} layer bytes that \`docker save | tar -tv\` lists.
Figures are min / median / max over the runs; the ratio is taken per pair.

| side | time |
|---|---|
| \`docker save > /dev/null\` | ${formatSpread(scaled(spread(cli), 1 / 1000), 2, 's')} |
| Berth layer analysis | ${formatSpread(scaled(spread(berth), 1 / 1000), 2, 's')} |
| **ratio Berth ÷ docker save, per pair** | **${formatSpread(ratio, 2)}** |

Goal: ratio ≤ ${GOAL} — median ${ratio.median <= GOAL ? 'met' : '**not met**'}, max ${ratio.max <= GOAL ? 'met' : '**not met**'}.
Both sides wait for the engine to produce the same tar; the difference is what reading the layers costs Berth.

Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.
`;
  console.log(body);
  writeBenchmarkSection(SECTION, body);
  writeHighlights('layers', SECTION, [
    {
      measure: 'layer analysis of the service image, Berth ÷ `docker save > /dev/null` (per pair)',
      result: formatSpread(ratio, 2),
      goal: `≤ ${GOAL}`,
    },
  ]);
} finally {
  await removeLabelled(bench);
}

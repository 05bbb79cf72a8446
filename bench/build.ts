/**
 * Builds through Berth's core vs the docker CLI (DOCKER_BUILDKIT=1 /usr/bin/docker build) on the same temp copy
 * of the notes service context: cold (--no-cache, median of 3) and fully cached (median of 5).
 * Writes the "## Builds (issue 3)" section of BENCHMARKS.md.   npx tsx bench/build.ts
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import Dockerode from 'dockerode';
import { startBuild } from '../electron/core/build/build';
import { copyNotesContext } from '../electron/core/build/test/notes-build';
import { baseImageName, ensureBaseImage } from '../scripts/base-image';
import { median, writeBenchmarkSection } from './benchmarks-file';

const nodeImage = existsImage('node:22-alpine') ? 'node:22-alpine' : ensureBaseImage();
const docker = new Dockerode();
const context = copyNotesContext();
const coreTag = `berth-bench-core:${process.pid}`;
const cliTag = `berth-bench-cli:${process.pid}`;

function existsImage(name: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', name], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

async function core(noCache: boolean): Promise<number> {
  const started = performance.now();
  const model = await startBuild(
    { docker, endpoint: 'unix:///var/run/docker.sock' },
    {
      contextDir: context,
      buildArgs: { NODE_IMAGE: nodeImage },
      tags: [coreTag],
      noCache,
      builder: 'buildkit',
    },
  ).done;
  if (model.state !== 'succeeded') throw new Error(`core build ${model.state}: ${model.failure?.message}`);
  return performance.now() - started;
}

function cli(noCache: boolean): number {
  const started = performance.now();
  const args = [
    'build',
    '-q',
    '--build-arg',
    `NODE_IMAGE=${nodeImage}`,
    '-t',
    cliTag,
    ...(noCache ? ['--no-cache'] : []),
  ];
  execFileSync('/usr/bin/docker', [...args, context], { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'pipe' });
  return performance.now() - started;
}

async function measure(noCache: boolean, runs: number): Promise<{ core: number; cli: number }> {
  const times = { core: [] as number[], cli: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.core.push(await core(noCache)); // alternate, so drift in the engine hits both alike
    times.cli.push(cli(noCache));
  }
  return { core: median(times.core), cli: median(times.cli) };
}

try {
  await core(false); // warm the cache and the base image once
  cli(false);
  const cold = await measure(true, 3);
  const cached = await measure(false, 5);
  const row = (name: string, m: { core: number; cli: number }) =>
    `| ${name} | ${(m.core / 1000).toFixed(2)} s | ${(m.cli / 1000).toFixed(2)} s | ${(m.core / m.cli).toFixed(2)} |`;
  const section = [
    `The notes service (repo Dockerfile, NODE_IMAGE=${nodeImage === baseImageName() ? 'the local base image' : nodeImage}) built with BuildKit through`,
    "Berth's core (`electron/core/build`, dockerode, protobuf trace decoding, step model, context snapshot)",
    'vs `DOCKER_BUILDKIT=1 /usr/bin/docker build -q` on the same temp context. Wall time, medians; goal: ratio ≤ 1.05.',
    '',
    '| build | Berth core | docker CLI | core / CLI |',
    '| --- | --- | --- | --- |',
    row('cold (--no-cache), median of 3', cold),
    row('fully cached, median of 5', cached),
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/build.ts\` (2 cores, dockerd 20.10).`,
    '',
  ].join('\n');
  writeBenchmarkSection('## Builds (issue 3)', section);
  console.log(section);
} finally {
  rmSync(context, { recursive: true, force: true });
  for (const tag of [coreTag, cliTag]) {
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

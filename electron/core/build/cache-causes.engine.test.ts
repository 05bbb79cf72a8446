/**
 * Why a step missed, on real builds with both builders: each build is compared with the previous one of the
 * same project (the records folder), and the explanation names exactly what changed — one edited file, a build
 * arg, a RUN line, the base image's digest — or nothing, when nothing did. The base images are labelled local
 * variants of the offline test image, so no build shares cache with another test run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { type BuildModel, type BuildRequestInput, describeCause } from '../../contract';
import { checkAndStartBuild } from './build';

/** Generous: a cold build of a small context on a loaded 2-core machine. */
const BUILD_TIMEOUT_MS = 300_000;

const litter = new EngineLitter();
const engine = () => ({ docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() });
const dirs: string[] = [];
afterAll(async () => {
  await litter.cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(what: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `berth-cause-${what}-`));
  dirs.push(dir);
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

async function build(request: BuildRequestInput, recordsDir?: string): Promise<BuildModel> {
  const model = await (await checkAndStartBuild(engine(), request, recordsDir ? { recordsDir } : {})).done;
  if (model.state !== 'succeeded') throw new Error(`build failed: ${model.failure?.message}`);
  return model;
}

/** A local base image under `name`, FROM the offline test image plus a file of its own (`variant`). */
async function baseVariant(name: string, variant: string): Promise<string> {
  const dir = folder('base', { Dockerfile: `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\nRUN echo "${variant}" > /base\n` });
  await build({ contextDir: dir, buildArgs: { NODE_IMAGE: inject('nodeImage') }, tags: [name], builder: 'legacy' });
  return docker('image', 'inspect', '--format', '{{.Id}}', name);
}

/**
 * The steps that missed the cache. BuildKit says CACHED or DONE for a FROM of a local image from one build to
 * the next (see notes.engine.test.ts), so a FROM counts only when the explanation found its image changed.
 */
const missed = (model: BuildModel) =>
  model.steps
    .filter((s) => s.state === 'done' || s.state === 'error')
    .filter((s) => !s.instruction.startsWith('FROM') || model.cacheCauses?.steps.some((c) => c.stepId === s.id))
    .map((s) => s.instruction);

/** The causes of a build, each as "instruction | role | cause in words". */
function causes(model: BuildModel): string[] {
  const text = (id: string) => model.steps.find((s) => s.id === id)?.instruction ?? id;
  return (model.cacheCauses?.steps ?? []).map((c) => `${text(c.stepId)} | ${c.role} | ${describeCause(c, text)}`);
}

const firstCause = (model: BuildModel) => model.cacheCauses?.steps.find((c) => c.role === 'cause');

const DOCKERFILE = [
  'ARG BASE',
  'FROM ${BASE}',
  'ARG GREETING=hello',
  'WORKDIR /app',
  'COPY package.json ./',
  'RUN echo "$GREETING" > /greeting',
  'COPY src ./src',
  'RUN cat src/* > /all',
  '',
].join('\n');

describe.each(['buildkit', 'legacy'] as const)('why a step missed, with %s', (builder) => {
  it('names the edited file, the build arg, the RUN line and the base image; invents nothing', {
    timeout: BUILD_TIMEOUT_MS * 8,
  }, async () => {
    const records = folder('records', {});
    const base = litter.image(`${uniqueName(`cause-base-${builder}`)}:latest`);
    const firstDigest = await baseVariant(base, `${base} one`);
    const dir = folder('project', {
      Dockerfile: DOCKERFILE,
      'package.json': '{"name":"cause"}\n',
      'src/a.txt': 'a\n',
      'src/b.txt': 'b\n',
      'notes.md': 'not copied\n',
      '.dockerignore': 'ignored.txt\n',
    });
    const tag = litter.image(`${uniqueName(`cause-${builder}`)}:latest`);
    const request = (args: Record<string, string> = {}): BuildRequestInput => ({
      contextDir: dir,
      buildArgs: { BASE: base, ...args },
      tags: [tag],
      builder,
    });

    // the first build of the project: nothing to compare with, said honestly
    const first = await build(request(), records);
    expect(first.cacheCauses?.previousBuildId).toBeNull();
    expect(firstCause(first)?.changes).toEqual([]);

    // no change: all cached, no cause invented; a file no COPY reads, and an ignored one, change nothing
    write(dir, { 'notes.md': 'edited, still not copied\n', 'ignored.txt': 'ignored\n' });
    const same = await build(request(), records);
    expect(missed(same)).toEqual([]);
    expect(same.cacheCauses).toEqual({ previousBuildId: first.buildId, steps: [] });

    // one edited file: exactly that file
    write(dir, { 'src/b.txt': 'b, edited\n' });
    const edited = await build(request(), records);
    expect(missed(edited)).toEqual(['COPY src ./src', 'RUN cat src/* > /all']);
    expect(causes(edited)).toEqual([
      'COPY src ./src | cause | files changed: modified src/b.txt (2 B → 10 B)',
      'RUN cat src/* > /all | consequence | ran because COPY src ./src missed the cache',
    ]);

    // a build arg the RUN uses
    const greeted = await build(request({ GREETING: 'hi' }), records);
    expect(firstCause(greeted)?.changes).toContainEqual({
      kind: 'variable',
      name: 'GREETING',
      source: 'build-arg',
      old: 'hello',
      new: 'hi',
    });
    expect(firstCause(greeted)?.changes.every((c) => c.kind === 'variable' && c.name === 'GREETING')).toBe(true);
    expect(greeted.cacheCauses?.steps.filter((c) => c.role === 'cause')).toHaveLength(1);

    // a RUN line: its old and new text
    write(dir, { Dockerfile: DOCKERFILE.replace('RUN cat src/* > /all', 'RUN cat src/* package.json > /all') });
    const rerun = await build(request({ GREETING: 'hi' }), records);
    expect(causes(rerun)).toEqual([
      'RUN cat src/* package.json > /all | cause | instruction changed: RUN cat src/* > /all → RUN cat src/* package.json > /all',
    ]);

    // the base image: the same name, another image; the CLI says which digests
    const secondDigest = await baseVariant(base, `${base} two`);
    expect(secondDigest).not.toBe(firstDigest);
    const rebased = await build(request({ GREETING: 'hi' }), records);
    expect(firstCause(rebased)?.changes).toEqual([
      { kind: 'base-image', oldRef: base, newRef: base, old: firstDigest, new: secondDigest },
    ]);
    expect(rebased.cacheCauses?.steps.filter((c) => c.role === 'cause')).toHaveLength(1);
    expect(rebased.cacheCauses?.steps.filter((c) => c.role === 'consequence').length).toBe(missed(rebased).length - 1);
  });

  it('multi-stage: a change in one stage is not blamed on another', { timeout: BUILD_TIMEOUT_MS * 3 }, async () => {
    const records = folder('records', {});
    const base = litter.image(`${uniqueName(`cause-stages-${builder}`)}:latest`);
    await baseVariant(base, `${base} stages`);
    const dir = folder('stages', {
      Dockerfile: [
        'ARG BASE',
        'FROM ${BASE} AS web',
        'COPY web /web',
        'RUN cat /web/* > /web.txt',
        'FROM ${BASE} AS api',
        'COPY api /api',
        'RUN cat /api/* > /api.txt',
        'FROM ${BASE}',
        'COPY --from=web /web.txt /web.txt',
        'COPY --from=api /api.txt /api.txt',
        '',
      ].join('\n'),
      'web/index.html': '<p>web</p>\n',
      'api/server.js': 'api\n',
    });
    const request: BuildRequestInput = {
      contextDir: dir,
      buildArgs: { BASE: base },
      tags: [litter.image(`${uniqueName(`cause-stages-${builder}`)}:latest`)],
      builder,
    };
    await build(request, records);
    write(dir, { 'api/server.js': 'api, edited\n' });
    const model = await build(request, records);
    expect(missed(model)).toEqual(['COPY api /api', 'RUN cat /api/* > /api.txt', 'COPY --from=api /api.txt /api.txt']);
    expect(causes(model)).toEqual([
      'COPY api /api | cause | files changed: modified api/server.js (4 B → 12 B)',
      'RUN cat /api/* > /api.txt | consequence | ran because COPY api /api missed the cache',
      'COPY --from=api /api.txt /api.txt | consequence | ran because COPY api /api missed the cache',
    ]);
  });
});

/**
 * Issue 10 (items 6 and 7), through the API: a multi-stage Dockerfile built to a target with a build arg that
 * no ARG declares. The target and the unused-arg warning reach the build model, the record and the recent
 * projects, on both builders; the docker CLI is the oracle for the image that was built.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../test/engine-harness';
import type { BuildModel, BuildRecordSummary, DockerfileFile, RecentProject } from '../contract';
import { Engine } from '../core/engine';
import { MemorySecretStore } from '../core/registry';
import { type Backend, createBackend } from './backend';
import { followStream } from './test/follow-stream';

/** Generous: these builds of two tiny stages take about a second here. */
const BUILD_DEADLINE_MS = 120_000;

const litter = new EngineLitter();
let backend: Backend;
let dataDir: string;
let contextDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-api-build-data-'));
  contextDir = mkdtempSync(join(tmpdir(), 'berth-api-build-context-'));
  const marker = uniqueName('target');
  writeFileSync(
    join(contextDir, 'Dockerfile'),
    [
      'ARG BASE',
      'FROM ${BASE} AS deps',
      'ARG GREETING=hello',
      `RUN echo "$GREETING ${marker}" > /greet`,
      'FROM ${BASE} AS final',
      'COPY --from=deps /greet /greet',
      'RUN echo never-built-for-the-deps-target',
      '',
    ].join('\n'),
  );
  // Everything the builds create carries the test run's label, so the suite's teardown finds it.
  backend = createBackend({
    dataDir,
    secretStore: new MemorySecretStore(),
    engine: new Engine({ labels: testLabels() }),
  });
});

afterAll(async () => {
  await backend?.close();
  await litter.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(contextDir, { recursive: true, force: true });
});

const follow = (buildId: string): Promise<BuildModel[]> =>
  followStream<BuildModel>(backend.router, 'build', { buildId }, BUILD_DEADLINE_MS);

it('the Dockerfile read through the API lists the stages and the ARGs with their defaults', async () => {
  const file = (await backend.router.call('dockerfile.read', { contextDir })) as DockerfileFile;
  expect(file.outline.stages.map((s) => s.name)).toEqual(['deps', 'final']);
  expect(file.outline.args.map((a) => [a.name, a.defaultValue])).toEqual([
    ['BASE', null],
    ['GREETING', 'hello'],
  ]);
  await expect(
    backend.router.call('dockerfile.read', { contextDir, dockerfile: '../../etc/passwd' }),
  ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
});

describe.each(['legacy', 'buildkit'] as const)('%s', (builder) => {
  it('a build to a target with an unused build arg carries the target and the warning into the model', async () => {
    const tag = litter.image(`${uniqueName(`api-target-${builder}`)}:1`);
    const { buildId } = (await backend.router.call('build.start', {
      contextDir,
      builder,
      target: 'deps',
      buildArgs: { BASE: inject('nodeImage'), UNUSED_ARG: 'x' },
      tags: [tag],
    })) as { buildId: string };
    const events = await follow(buildId);
    const final = events.at(-1)!;

    expect(final.state).toBe('succeeded');
    expect(final.builder).toBe(builder);
    expect(final.request.target).toBe('deps');
    expect(final.warnings).toEqual([expect.stringMatching(/build-args \[UNUSED_ARG\] were not consumed/)]);
    // Only the target's stage was built: no step of the final stage.
    expect(final.steps.map((s) => s.instruction)).not.toContain('RUN echo never-built-for-the-deps-target');
    expect(final.steps.some((s) => s.instruction.startsWith('RUN echo "$GREETING'))).toBe(true);
    // The engine's own view of the image: the tag names what Berth reports.
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', tag)).toBe(final.imageId);

    const records = (await backend.router.call('build.records', {})) as BuildRecordSummary[];
    expect(records.find((r) => r.buildId === buildId)).toMatchObject({ target: 'deps', dockerfile: 'Dockerfile' });
    const recent = (await backend.router.call('project.recent', {})) as RecentProject[];
    expect(recent[0]).toMatchObject({ dockerfile: 'Dockerfile', target: 'deps' });
  });
});

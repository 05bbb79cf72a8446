import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { BuildModel, type BuildStep } from '../../contract';
import { startBuild } from './build';
import { copyNotesContext, editSource, expectedStates, NOTES_ROWS } from './test/notes-build';

const litter = new EngineLitter();
let dir: string | undefined;
afterAll(async () => {
  await litter.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The node image plus a file of its own: layers no build has used, so neither builder has anything cached. */
async function freshBase(docker: Dockerode, nodeImage: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fresh-base-'));
  const name = litter.image(`${uniqueName('base')}:latest`);
  writeFileSync(
    join(dir, 'Dockerfile'),
    `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\nRUN echo "${name}" > /etc/berth-test-base\n`,
  );
  const model = await startBuild(
    { docker, endpoint: 'test', labels: testLabels() },
    {
      contextDir: dir,
      buildArgs: { NODE_IMAGE: nodeImage },
      tags: [name],
      builder: 'legacy',
    },
  ).done;
  rmSync(dir, { recursive: true, force: true });
  if (model.state !== 'succeeded') throw new Error(`could not make a fresh base image: ${model.failure?.message}`);
  return name;
}

const seen: Record<string, string[][]> = {};

describe.each(['buildkit', 'legacy'] as const)('the notes service built with %s', (builder) => {
  it('runs cold, is cached on rebuild, and runs again from COPY src after a source edit', {
    timeout: 300_000,
  }, async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    const context = copyNotesContext();
    dir = context;
    const docker = new Dockerode();
    const tag = litter.image(`${uniqueName(builder)}:latest`);
    const base = await freshBase(docker, inject('nodeImage'));
    const build = (noCache: boolean) =>
      startBuild(
        { docker, endpoint: 'unix:///var/run/docker.sock', labels: testLabels() },
        {
          contextDir: context,
          buildArgs: { NODE_IMAGE: base },
          tags: [tag],
          noCache,
          builder,
        },
      ).done;
    // BuildKit says CACHED or DONE for a FROM of a local image from one build to the next (seen with the CLI
    // alone, same image and cache): either means the image was used without a pull.
    const verdict = (s: BuildStep) =>
      builder === 'buildkit' && s.instruction.startsWith('FROM') && s.state === 'done' ? 'cached' : s.state;
    const shape = (m: BuildModel) => m.steps.map((s) => `${s.stage} ${s.line} ${s.instruction} ${verdict(s)}`);

    const cold = await build(false);
    expect(cold.failure).toBeNull();
    expect(cold).toMatchObject({ state: 'succeeded', builder, imageId: expect.stringMatching(/^sha256:/) });
    expect(cold.context).toEqual({ bytes: expect.any(Number), files: 14 });
    expect(shape(cold)).toEqual(expectedStates('cold', builder));
    expect(BuildModel.safeParse(cold).success).toBe(true);
    expect((await docker.getImage(tag).inspect()).Id).toBe(cold.imageId);

    const cached = await build(false);
    expect(shape(cached)).toEqual(expectedStates('cached', builder));
    expect(cached.imageId).toBe(cold.imageId);

    editSource(context);
    const edited = await build(false);
    expect(edited.state).toBe('succeeded');
    expect(shape(edited)).toEqual(expectedStates('edit', builder));
    expect(edited.imageId).not.toBe(cold.imageId);
    const rows = (m: BuildModel) => m.steps.map((s) => `${s.stage} ${s.line} ${s.instruction}`);
    seen[builder] = [rows(cold), rows(cached), rows(edited)];
  });
});

it('BuildKit and legacy gave the same rows: one per instruction', () => {
  expect(seen.buildkit).toEqual([NOTES_ROWS, NOTES_ROWS, NOTES_ROWS]);
  expect(seen.buildkit).toEqual(seen.legacy);
});

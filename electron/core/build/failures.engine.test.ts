import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { EngineLitter, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import type { BuildModel } from '../../contract';
import { JobRunner } from '../job-runner';
import { type Build, checkAndStartBuild } from './build';
import { listRecords } from './records';

const litter = new EngineLitter();
let dir: string;
let records: string;
let runner: JobRunner<BuildModel, Build>;
const docker = new Dockerode();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-build-failures-'));
  records = mkdtempSync(join(tmpdir(), 'berth-build-records-'));
  runner = new JobRunner({ noun: 'build', fix: 'Start the build again.' });
  writeFileSync(join(dir, 'input.txt'), 'hello\n');
  writeFileSync(
    join(dir, 'Dockerfile.fail'),
    'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY input.txt /tmp/\nRUN cat /tmp/input.txt \\\n && echo "broken on purpose" >&2 \\\n && exit 7\n',
  );
  writeFileSync(join(dir, 'Dockerfile.syntax'), 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nRUNN echo typo\n');
});
afterAll(async () => {
  await litter.cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(records, { recursive: true, force: true });
});

/** What build.start does: checks, starts, and keeps the build by id. */
const start = async (input: Parameters<typeof checkAndStartBuild>[1]) =>
  runner.add(
    await checkAndStartBuild({ docker, endpoint: 'unix:///var/run/docker.sock', labels: testLabels() }, input, {
      recordsDir: records,
      throttleMs: 50,
    }),
  );

/** How long the RUN being cancelled would sleep: far beyond the deadline, so only a real cancel ends it in time. */
const CANCELLED_SLEEP_S = 600;
/** Generous deadlines for a cancel to end the build, and for the engine to stop the RUN's process. */
const CANCEL_DEADLINE_MS = 60_000;
const PROCESS_GONE_DEADLINE_MS = 30_000;
/** A generous deadline for the RUN being cancelled to start. */
const PROCESS_START_DEADLINE_MS = 60_000;

async function run(
  builder: 'buildkit' | 'legacy',
  dockerfile: string,
  extra: { cancelWhen?: () => Promise<unknown> } = {},
) {
  const buildId = await start({
    contextDir: dir,
    dockerfile,
    builder,
    buildArgs: { NODE_IMAGE: inject('nodeImage') },
    tags: [litter.image(`${uniqueName(builder)}:latest`)],
  });
  const models: BuildModel[] = [];
  let recordsWhenEnded: Promise<string[]> | undefined;
  runner.subscribe(buildId, (m) => {
    models.push(m);
    // The UI reloads the history when it sees a build end: the record must already be there.
    if (m.endedAt !== null) recordsWhenEnded ??= listRecords(records).then((list) => list.map((r) => r.buildId));
  });
  const cancelling = extra.cancelWhen?.().finally(() => runner.cancel(buildId));
  const final = await runner.done(buildId);
  await cancelling;
  expect(await recordsWhenEnded).toContain(buildId);
  return { final, models, buildId };
}

describe.each(['buildkit', 'legacy'] as const)('%s builds that fail', (builder) => {
  it('a failing RUN fails the build (never success) on that step, with exit code and log tail', async () => {
    const { final, models } = await run(builder, 'Dockerfile.fail');
    expect(models[0]?.buildId).toBe(final.buildId);
    expect(models.at(-1)).toEqual(final);
    expect(final).toMatchObject({ state: 'failed', builder, imageId: null });
    const step = final.steps.find((s) => s.id === final.failure?.stepId);
    expect(step).toMatchObject({ state: 'error', line: 4, instruction: expect.stringMatching(/^RUN cat/) });
    expect(final.failure).toMatchObject({ code: 'BUILD_FAILED', exitCode: 7, fix: expect.any(String) });
    expect(final.failure?.message).toContain('exit');
    // Each stream in order; no order between stdout and stderr: neither builder keeps one (see step-fold.ts).
    const text = (stream: string) => step?.logs.filter((l) => l.stream === stream).map((l) => l.text);
    expect(step?.logs).toHaveLength(2);
    expect(text('stdout')).toEqual(['hello']);
    expect(text('stderr')).toEqual(['broken on purpose']);
    expect(final.steps.slice(final.steps.indexOf(step!) + 1).every((s) => s.state === 'not-run')).toBe(true);
  });

  it('a Dockerfile syntax error is a clear BUILD_FAILED naming the line', async () => {
    const { final } = await run(builder, 'Dockerfile.syntax');
    expect(final.state).toBe('failed');
    expect(final.failure).toMatchObject({ code: 'BUILD_FAILED', stepId: null });
    expect(final.failure?.message).toMatch(/Dockerfile.syntax has a syntax error on line 3: unknown instruction: RUNN/);
  });

  it('cancel mid-RUN ends the build cancelled long before the RUN would, and the engine stops it', async () => {
    const marker = uniqueName('sleep');
    const instruction = `RUN sleep ${CANCELLED_SLEEP_S}; echo ${marker}`;
    writeFileSync(join(dir, `Dockerfile.${marker}`), `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\n${instruction}\n`);
    const processes = () =>
      execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(marker));
    const started = Date.now();
    // Cancel once the RUN's process runs, whenever that is on a busy machine. (Not on its output: the legacy
    // builder holds a RUN's output back until the step ends.)
    const { final } = await run(builder, `Dockerfile.${marker}`, {
      cancelWhen: () =>
        waitFor(async () => processes().length > 0 || undefined, PROCESS_START_DEADLINE_MS, `"${instruction}" to run`),
    });
    expect(Date.now() - started).toBeLessThan(CANCEL_DEADLINE_MS);
    expect(final).toMatchObject({ state: 'cancelled', failure: { code: 'CANCELLED' } });
    expect(final.steps.at(-1)).toMatchObject({ state: 'error', instruction });
    await waitFor(
      async () => (processes().length === 0 ? true : undefined),
      PROCESS_GONE_DEADLINE_MS,
      `the engine to stop "${instruction}"`,
    );
  });
});

describe('requests that cannot start', () => {
  it('a missing context folder or Dockerfile is refused before anything is sent', async () => {
    await expect(start({ contextDir: join(dir, 'missing') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(join(dir, 'missing')),
    });
    await expect(start({ contextDir: dir, dockerfile: 'Nope.Dockerfile' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(join(dir, 'Nope.Dockerfile')),
    });
    expect(() => runner.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('every finished build left a record, listed newest first', async () => {
    const list = await listRecords(records);
    expect(list).toHaveLength(6);
    expect(list.map((r) => r.at)).toEqual([...list.map((r) => r.at)].sort((a, b) => b - a));
    expect(new Set(list.map((r) => r.state))).toEqual(new Set(['failed', 'cancelled']));
  });
});

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { BuildModel, previousOfSameProject } from '../../contract';
import { startBuild } from './build';
import { planSteps } from './plan';
import { listRecords, openRecord, readRecord, recordOf, writeRecord } from './records';
import { StepFold } from './step-fold';
import { replay } from './test/replay';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-records-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const model = (buildId: string, startedAt: number, states: BuildModel['steps'][number]['state'][]): BuildModel =>
  BuildModel.parse({
    buildId,
    request: { contextDir: '/ctx', tags: ['app:1'] },
    builder: 'buildkit',
    state: 'succeeded',
    context: { bytes: 10, files: 1 },
    steps: replay('buildkit', 'cached')
      .steps.slice(0, states.length)
      .map((s, i) => ({ ...s, state: states[i] })),
    warnings: [],
    startedAt,
    endedAt: startedAt + 1500,
    imageId: 'sha256:abc',
    failure: null,
  });

describe('build records', () => {
  it('are private (folder 0700, file 0600) and never hold a secret-looking build arg value (issue 9, hole 6)', async () => {
    const recordsDir = join(dir, 'builds');
    mkdirSync(recordsDir, { mode: 0o755 });
    chmodSync(recordsDir, 0o755); // a folder left by an older Berth
    const secret = 'tok_5Ecr3t-value-1234';
    const base = model('secret', 1000, ['done']);
    const withSecret = BuildModel.parse({
      ...base,
      request: {
        ...base.request,
        buildArgs: { SECRET_TOKEN: secret, DB_PASSWORD: 'hunter22', api_key: 'k3y-value', NODE_IMAGE: 'node:22' },
      },
      steps: base.steps.map((s) => ({ ...s, instruction: `RUN echo ${secret}`, error: `failed near ${secret}` })),
      warnings: [`saw ${secret}`],
    });
    const path = await writeRecord(recordsDir, recordOf(withSecret, null));
    expect(statSync(recordsDir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    for (const value of [secret, 'hunter22', 'k3y-value']) expect(text).not.toContain(value);
    const record = await readRecord(recordsDir, 'secret');
    expect(record.request.buildArgs).toEqual({
      SECRET_TOKEN: '***',
      DB_PASSWORD: '***',
      api_key: '***',
      NODE_IMAGE: 'node:22',
    });
    expect(record.steps[0]?.instruction).toBe('RUN echo ***');
    expect(record.warnings).toEqual(['saw ***']);
  });

  it('masks a secret-looking build arg value shorter than 4 characters where it is known to appear, and nothing else', () => {
    const base = model('short', 1000, ['done']);
    const withShort = BuildModel.parse({
      ...base,
      request: { ...base.request, buildArgs: { NPM_TOKEN: 'q7', FLAVOUR: 'q7' } },
      steps: base.steps.map((s) => ({ ...s, instruction: 'RUN |1 NPM_TOKEN=q7 /bin/sh -c npm ci' })),
      warnings: ['q7', 'FLAVOUR=q7 stays: only NPM_TOKEN is secret-looking'],
      failure: {
        code: 'BUILD_FAILED',
        message: "The command '|1 NPM_TOKEN=q7 /bin/sh -c npm ci' failed",
        stepId: null,
        exitCode: 1,
      },
    });
    const record = recordOf(withShort, null);
    expect(record.request.buildArgs).toEqual({ NPM_TOKEN: '***', FLAVOUR: 'q7' });
    expect(record.steps[0]?.instruction).toBe('RUN |1 NPM_TOKEN=*** /bin/sh -c npm ci');
    expect(record.warnings).toEqual(['***', 'FLAVOUR=q7 stays: only NPM_TOKEN is secret-looking']);
    expect(record.failure?.message).toBe("The command '|1 NPM_TOKEN=*** /bin/sh -c npm ci' failed");
  });

  it('writes one record per build atomically, lists them newest first, and reads one back', async () => {
    const files = [{ path: 'Dockerfile', size: 7, mode: 0o644, sha256: 'f'.repeat(64) }];
    await writeRecord(dir, recordOf(model('old', 1000, ['cached', 'done']), files));
    await writeRecord(dir, recordOf(model('new', 5000, ['cached', 'cached', 'cached', 'done']), files));
    writeFileSync(join(dir, 'junk.json'), '{not json');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const list = await listRecords(dir);
    expect(list.map((r) => [r.buildId, r.cachedSteps, r.totalSteps, r.durationMs])).toEqual([
      ['new', 3, 4, 1500],
      ['old', 1, 2, 1500],
    ]);
    const record = await readRecord(dir, 'new');
    expect(record).toMatchObject({ cacheHitRatio: 0.75, imageId: 'sha256:abc', context: { bytes: 10, files } });
    expect(record.steps[0]).not.toHaveProperty('logs');
    await expect(readRecord(dir, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readRecord(dir, '../etc/passwd')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('opens a past build from its record as the model the build stream ended with, minus log tails', async () => {
    const files = [{ path: 'Dockerfile', size: 7, mode: 0o644, sha256: 'f'.repeat(64) }];
    const ended = model('past', 1000, ['cached', 'done']);
    await writeRecord(dir, recordOf(ended, files));
    const opened = await openRecord(dir, 'past');
    expect(opened).toEqual({
      ...ended,
      context: { bytes: 10, files: 1 },
      steps: ended.steps.map((s) => ({ ...s, logs: [], logsDropped: 0 })),
    });
    await expect(openRecord(dir, 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a record that cannot be written is STORAGE_FAILED with a fix, leaves no temp file and no mark on the others', async () => {
    await writeRecord(dir, recordOf(model('kept', 1000, ['done']), null));
    // The records folder is a file: every write into it fails, as on a broken or full disk.
    const broken = join(dir, 'kept.json');
    await expect(writeRecord(broken, recordOf(model('lost', 2000, ['done']), null))).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining(broken),
      fix: expect.stringContaining('Earlier records are kept'),
    });
    expect(readdirSync(dir)).toEqual(['kept.json']);
    expect((await listRecords(dir)).map((r) => r.buildId)).toEqual(['kept']);
  });

  it('a build whose context folder is missing fails at once with NOT_FOUND, sends nothing and is recorded', async () => {
    const build = startBuild(
      { docker: new Dockerode({ socketPath: join(dir, 'no-engine.sock') }), endpoint: 'test' },
      {
        contextDir: join(dir, 'missing'),
      },
      { recordsDir: dir },
    );
    const final = await build.done;
    expect(final).toMatchObject({ state: 'failed', context: null, failure: { code: 'NOT_FOUND', stepId: null } });
    expect(final.failure?.message).toContain(join(dir, 'missing'));
    expect(BuildModel.safeParse(final).success).toBe(true);
    expect((await listRecords(dir)).map((r) => r.state)).toEqual(['failed']);
  });

  it('rejects an invalid request with the fields at fault', () => {
    expect(() =>
      startBuild({ docker: new Dockerode(), endpoint: 'test' }, { contextDir: '', buildArgs: { 'BAD-NAME': 'x' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        fields: expect.objectContaining({ contextDir: expect.any(Array) }),
      }),
    );
  });
});

describe('the step log tail is bounded', () => {
  it('keeps the last lines and counts the dropped ones', () => {
    const fold = new StepFold(planSteps('FROM a\nRUN x\n'), { builder: 'legacy', logTail: 3 });
    const ref = { builder: 'legacy', number: 2 } as const;
    fold.apply({ kind: 'step', ref, state: 'running', startedAt: 1 });
    fold.apply({ kind: 'log', ref, stream: 'stdout', text: 'a\nb\nc\nd\ne' });
    fold.apply({ kind: 'step', ref, state: 'done', endedAt: 2 });
    const [, step] = fold.steps();
    expect(step?.logs.map((l) => l.text)).toEqual(['c', 'd', 'e']);
    expect(step?.logsDropped).toBe(2);
  });
});

describe('comparing builds within one project', () => {
  const summary = (
    buildId: string,
    at: number,
    contextDir: string,
    dockerfile = 'Dockerfile',
    target: string | null = null,
  ) => ({
    buildId,
    at,
    contextDir,
    dockerfile,
    target,
  });

  it('finds the previous build of the same context, Dockerfile and target only', () => {
    const records = [
      summary('a1', 1, '/a'),
      summary('b1', 2, '/b'),
      summary('a-target', 3, '/a', 'Dockerfile', 'build'),
      summary('a-other-file', 4, '/a', 'Dockerfile.dev'),
      summary('a2', 5, '/a/'),
      summary('a3', 6, '/a', './Dockerfile'),
    ];
    const [a1, b1, aTarget, aOther, a2, a3] = records;
    expect(previousOfSameProject(records, a3!)?.buildId).toBe('a2');
    expect(previousOfSameProject(records, a2!)?.buildId).toBe('a1');
    expect(previousOfSameProject(records, a1!)).toBeUndefined();
    expect(previousOfSameProject(records, b1!)).toBeUndefined();
    expect(previousOfSameProject(records, aTarget!)).toBeUndefined();
    expect(previousOfSameProject(records, aOther!)).toBeUndefined();
  });

  it('lists the target of each record', async () => {
    const built = model('t', 1000, ['done']);
    built.request.target = 'build';
    await writeRecord(dir, recordOf(built, null));
    expect((await listRecords(dir))[0]).toMatchObject({ buildId: 't', target: 'build', contextDir: '/ctx' });
  });
});

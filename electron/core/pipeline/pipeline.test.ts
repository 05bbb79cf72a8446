import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { BerthError, type PipelineStageName } from '../../contract';
import { parsePipelineRequest, resumePipeline, startPipeline } from './pipeline';
import { listPipelineRecords, readPipelineRecord } from './pipeline-records';
import type { Deployer, Stage } from './stage';
import { deployStage, ParityFailed } from './stages';

// Stages written for the test: each records the outputs it was given, so a resume's kept inputs are visible.
const engine = { docker: new Dockerode({ socketPath: '/nonexistent' }), endpoint: 'unix:///nonexistent' };
const seen: Array<{ stage: PipelineStageName; imageId: string | null }> = [];
let pushWorks = false;

const stage = (name: PipelineStageName, run: Stage['run']): Stage => ({ name, applies: () => true, run });
const stages: Stage[] = [
  stage('build', async ({ outputs }) => {
    seen.push({ stage: 'build', imageId: outputs.imageId });
    return { outputs: { buildId: 'b1', imageId: `sha256:${'a'.repeat(64)}` }, detail: 'built' };
  }),
  stage('tag', async ({ outputs }) => {
    seen.push({ stage: 'tag', imageId: outputs.imageId });
    return { outputs: { tagged: '127.0.0.1:5000/app:1' }, detail: 'tagged' };
  }),
  stage('push', async ({ outputs, request }) => {
    seen.push({ stage: 'push', imageId: outputs.imageId });
    if (!pushWorks) throw new BerthError('AUTH_FAILED', 'unauthorized: authentication required', 'Log in again.');
    expect(request.credentials?.password).toBe('right');
    return { outputs: { digest: `sha256:${'d'.repeat(64)}` }, detail: 'pushed' };
  }),
];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  seen.length = 0;
  pushWorks = false;
});

const request = (password: string) =>
  parsePipelineRequest({
    build: { contextDir: '/tmp/app', tags: ['app:1'] },
    target: '127.0.0.1:5000/app:1',
    credentials: { registry: '127.0.0.1:5000', username: 'u', password },
  });

describe('the pipeline', () => {
  it('stops at the failing stage, records the run without secrets, and resumes from that stage keeping earlier outputs', async () => {
    const historyDir = mkdtempSync(join(tmpdir(), 'berth-pipeline-'));
    dirs.push(historyDir);
    const first = await startPipeline(request('wrong'), { engine, historyDir, stages }).done;
    expect(first.state).toBe('failed');
    expect(first.stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(first.stages[2]?.failure).toMatchObject({
      code: 'AUTH_FAILED',
      message: 'unauthorized: authentication required',
    });
    for (const s of first.stages.slice(0, 2)) expect(s.endedAt! >= s.startedAt!).toBe(true);

    const file = join(historyDir, `${first.pipelineId}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(historyDir).mode & 0o777).toBe(0o700);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file, 'utf8')).not.toContain('wrong');

    pushWorks = true;
    seen.length = 0;
    const recorded = await readPipelineRecord(historyDir, first.pipelineId);
    const second = await resumePipeline(recorded, request('right'), { engine, historyDir, stages }).done;
    expect(second.state).toBe('succeeded');
    expect(second.resumedFrom).toBe(first.pipelineId);
    expect(second.stages.map((s) => s.state)).toEqual(['kept', 'kept', 'succeeded']);
    // Only the push ran again, with the image id the first run built.
    expect(seen).toEqual([{ stage: 'push', imageId: `sha256:${'a'.repeat(64)}` }]);
    expect(second.outputs).toMatchObject({
      buildId: 'b1',
      tagged: '127.0.0.1:5000/app:1',
      digest: `sha256:${'d'.repeat(64)}`,
    });

    const history = await listPipelineRecords(historyDir);
    expect(history.map((h) => [h.state, h.failedStage])).toEqual([
      ['succeeded', null],
      ['failed', 'push'],
    ]);
    expect(() => resumePipeline(second, request('right'), { engine, stages })).toThrow(/nothing to resume/);
  });

  it('refuses a bad request before anything starts', () => {
    expect(() => startPipeline({ build: { contextDir: '' }, target: 'NOT A REF' }, { engine, stages })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('the deploy stage', () => {
  const result = (passed: boolean) => ({
    platform: 'heroku' as const,
    image: 'app:1',
    passed,
    port: 41234,
    hostPort: 41234,
    env: { PORT: '41234' },
    command: 'docker run --rm -p 41234:41234 -e PORT=41234 app:1',
    status: passed ? 200 : null,
    elapsedMs: 10,
    deadlineMs: 30_000,
    listening: passed ? null : [{ address: '0.0.0.0', port: 3000 }],
    problem: passed ? null : 'The app ignores $PORT (41234) and listens on 3000.',
    fix: passed ? null : 'Make the app listen on process.env.PORT.',
    at: 0,
  });
  const deployed: string[] = [];
  // A deploy client written for the test: it records what it was asked to release.
  const heroku: Deployer = {
    platform: 'heroku',
    needsPush: true,
    async deploy({ pushed, target, started }) {
      deployed.push(`${target.app} ${pushed?.image} ${pushed?.digest}`);
      started('deploy-1');
      return { url: `https://${target.app}.example.test/` };
    },
  };
  const upToPush = (passed: boolean): Stage[] => [
    stage('parity', async () => {
      if (!passed) throw new ParityFailed([result(false)], { parity: [result(false)] });
      return { outputs: { parity: [result(true)] }, detail: 'passed as heroku' };
    }),
    stage('push', async () => ({
      outputs: { tagged: 'registry.heroku.example/app/web:latest', digest: `sha256:${'e'.repeat(64)}` },
      detail: 'pushed',
    })),
    deployStage,
  ];
  const deployRequest = (overrideParity: boolean) => ({
    build: { contextDir: '/tmp/app' },
    target: 'registry.heroku.example/app/web:latest',
    deploy: { platform: 'heroku' as const, app: 'notas-iv', overrideParity },
  });
  const deployers = new Map([['heroku' as const, heroku]]);

  afterEach(() => {
    deployed.length = 0;
  });

  it('deploys only after the parity run passed', async () => {
    const passed = await startPipeline(deployRequest(false), { engine, stages: upToPush(true), deployers }).done;
    expect(passed.state).toBe('succeeded');
    expect(passed.outputs.deployUrl).toBe('https://notas-iv.example.test/');
    expect(passed.outputs.deployId).toBe('deploy-1');
    expect(deployed).toEqual([`notas-iv registry.heroku.example/app/web:latest sha256:${'e'.repeat(64)}`]);
    expect(passed.parityOverridden).toBe(false);

    deployed.length = 0;
    const failed = await startPipeline(deployRequest(false), { engine, stages: upToPush(false), deployers }).done;
    expect(failed.state).toBe('failed');
    expect(failed.stages.map((s) => s.state)).toEqual(['failed', 'pending', 'pending']);
    expect(failed.stages[0]?.failure?.message).toContain('listens on 3000');
    expect(deployed).toEqual([]);
  });

  it('deploys after a failed parity run only when the user overrides it, and records that', async () => {
    const run = await startPipeline(deployRequest(true), { engine, stages: upToPush(false), deployers }).done;
    expect(run.state).toBe('succeeded');
    expect(run.parityOverridden).toBe(true);
    expect(run.stages.map((s) => s.state)).toEqual(['failed', 'succeeded', 'succeeded']);
    expect(deployed).toHaveLength(1);
  });

  it('says so when this Berth has no deploy client for the platform', async () => {
    const run = await startPipeline(deployRequest(false), { engine, stages: upToPush(true) }).done;
    expect(run.stages.at(-1)?.failure).toMatchObject({ code: 'UNSUPPORTED' });
  });
});

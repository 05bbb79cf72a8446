import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { BerthError, type PipelineStageName } from '../../contract';
import { parsePipelineRequest, resumePipeline, startPipeline } from './pipeline';
import { listPipelineRecords, readPipelineRecord } from './pipeline-records';
import type { Stage } from './stage';

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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildModel, queuedStep } from '../../contract';
import { recordOf, writeRecord } from '../../core/build/records';
import { JobRunner } from '../../core/job-runner';
import { createRouter } from '../router';
import type { Services } from '../services';
import { buildTraceHandlers } from './build-trace';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-trace-handlers-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000_000;
const finished: BuildModel = {
  buildId: 'rec-1',
  request: {
    contextDir: '/p',
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tags: [],
    noCache: false,
    builder: 'auto',
    secrets: [],
  },
  builder: 'legacy',
  state: 'succeeded',
  context: null,
  steps: [
    {
      ...queuedStep({ id: 'legacy-1', index: 0, stage: 'stage-0', instruction: 'FROM alpine', line: 1, after: [] }),
      state: 'cached',
      startedAt: T0 + 10,
      endedAt: T0 + 20,
    },
    {
      ...queuedStep({
        id: 'legacy-2',
        index: 1,
        stage: 'stage-0',
        instruction: 'RUN true',
        line: 2,
        after: ['legacy-1'],
      }),
      state: 'done',
      startedAt: T0 + 20,
      endedAt: T0 + 900,
    },
  ],
  warnings: [],
  startedAt: T0,
  endedAt: T0 + 1000,
  imageId: 'sha256:abc',
  failure: null,
};

/** Only build.trace is wired; the router checks its output against the contract's OTLP schema. */
const router = () =>
  createRouter(
    buildTraceHandlers({
      recordsDir: dir,
      builds: new JobRunner({ noun: 'build', fix: 'Start the build again.' }),
    } as unknown as Services) as never,
    {} as never,
  );

describe('build.trace', () => {
  it("exports a past build's trace from its record", async () => {
    await writeRecord(dir, recordOf(finished, null));
    const trace = await router().call('build.trace', { buildId: 'rec-1' });
    const spans = (trace as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }).resourceSpans[0]!
      .scopeSpans[0]!.spans;
    expect(spans.map((s) => s.name)).toEqual(['build /p', 'stage stage-0', 'FROM alpine', 'RUN true']);
  });

  it('says NOT_FOUND for a build it does not know, and INVALID_INPUT for an id it never handed out', async () => {
    await expect(router().call('build.trace', { buildId: 'gone' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(router().call('build.trace', { buildId: '../etc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

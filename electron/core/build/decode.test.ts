import { readFileSync } from 'node:fs';
import type { BuildStep } from '../../contract';
import { exitCodeOf, type StreamLine } from './build-event';
import { stepRefOf } from './buildkit-decode';
import { decodeTrace } from './buildkit-trace';
import { planSteps } from './dockerfile';
import { LegacyDecoder } from './legacy-decode';
import { StepFold } from './step-fold';
import { fixturePath, replay, shape } from './test/replay';

const ALL_DONE = [
  'deps 4 done FROM ${NODE_IMAGE} AS deps',
  'deps 5 done WORKDIR /app',
  'deps 6 done COPY package.json ./',
  'deps 7 done RUN echo "installing from $(wc -c < package.json) bytes of manifest"  && mkdir -p node_modules && cp package.json node_modules/manifest.json',
  'stage-1 10 done FROM ${NODE_IMAGE}',
  'stage-1 12 done WORKDIR /app',
  'stage-1 13 done COPY --from=deps /app/node_modules ./node_modules',
  'stage-1 14 done COPY src ./src',
  'stage-1 15 done RUN ls src && echo built > built.txt',
];
const withStates = (states: string[]) => ALL_DONE.map((s, i) => s.replace(' done ', ` ${states[i]} `));

describe('recorded build streams fold into one step model', () => {
  for (const builder of ['buildkit', 'legacy'] as const) {
    describe(builder, () => {
      it('a cold build (no cache) has every Dockerfile step done, with its RUN output', () => {
        const { steps, imageId, error } = replay(builder, 'cold');
        expect(shape(steps)).toEqual(ALL_DONE);
        expect(error).toBeNull();
        expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(steps[3]?.logs).toEqual([{ stream: 'stdout', text: 'installing from 63 bytes of manifest' }]);
        expect(steps[8]?.logs.map((l) => l.text)).toEqual(['index.js']);
        for (const step of steps) {
          expect(step.startedAt).not.toBeNull();
          expect(step.endedAt).toBeGreaterThanOrEqual(step.startedAt ?? 0);
        }
      });

      it('a rebuild is all cached', () => {
        expect(shape(replay(builder, 'cached').steps)).toEqual(withStates(Array(9).fill('cached')));
      });

      it('after a source edit, the dependency steps stay cached and COPY src rebuilds from there on', () => {
        const states = ['cached', 'cached', 'cached', 'cached', 'cached', 'cached', 'cached', 'done', 'done'];
        expect(shape(replay(builder, 'edit').steps)).toEqual(withStates(states));
      });

      it('a failing RUN fails the build on that step, with its exit code and log tail', () => {
        const { steps, error, imageId } = replay(builder, 'fail', 'Dockerfile.fail');
        const failed = steps.find((s) => s.state === 'error');
        expect(imageId).toBeNull();
        expect(failed?.line).toBe(5);
        expect(failed?.instruction).toMatch(/^RUN echo "compiling src"/);
        expect(error).toMatchObject({ exitCode: 3, stepId: failed?.id });
        expect(failed?.logs).toEqual([
          { stream: 'stdout', text: 'compiling src' },
          { stream: 'stderr', text: 'error: src/index.js is broken' },
        ]);
        expect(shape(steps).slice(0, 3)).toEqual([
          'stage-0 2 cached FROM ${NODE_IMAGE}',
          'stage-0 3 cached WORKDIR /app',
          'stage-0 4 done COPY src ./src',
        ]);
      });
    });
  }

  it('BuildKit and legacy agree on steps and cache states for every recorded run', () => {
    for (const run of ['cold', 'cached', 'edit']) {
      expect(shape(replay('buildkit', run).steps)).toEqual(shape(replay('legacy', run).steps));
    }
  });

  it('a BuildKit Dockerfile syntax error fails the build with no step blamed', () => {
    const { error, imageId } = replay('buildkit', 'syntax', 'Dockerfile.syntax');
    expect(imageId).toBeNull();
    expect(error).toMatchObject({ stepId: null, exitCode: null });
    expect(error?.message).toMatch(/dockerfile parse error line 3: unknown instruction: RUNN/);
  });

  it('BuildKit internal vertexes stay out of the step list', () => {
    expect(stepRefOf('[internal] load build context')).toBeNull();
    expect(stepRefOf('exporting to image')).toBeNull();
    expect(stepRefOf('[build 2/7] WORKDIR /app')).toEqual({ builder: 'buildkit', stage: 'build', position: 2 });
    expect(stepRefOf('[3/4] COPY src ./src')).toEqual({ builder: 'buildkit', stage: null, position: 3 });
    expect(replay('buildkit', 'cold').steps.some((s) => /internal|exporting|copy \/context/.test(s.instruction))).toBe(
      false,
    );
  });

  it('reads the exit code from both builders’ messages', () => {
    expect(exitCodeOf("The command '/bin/sh -c false' returned a non-zero code: 127")).toBe(127);
    expect(exitCodeOf('executor failed running [/bin/sh -c exit 3]: exit code: 3')).toBe(3);
    expect(exitCodeOf('something else')).toBeNull();
  });
});

describe('stdout and stderr of one step', () => {
  const byStream = (logs: BuildStep['logs']) => ({
    stdout: logs.filter((l) => l.stream === 'stdout').map((l) => l.text),
    stderr: logs.filter((l) => l.stream === 'stderr').map((l) => l.text),
  });

  it('BuildKit timestamps do not order them: a recorded stderr write made second is stamped first', () => {
    const logs = readFileSync(fixturePath('buildkit-streams.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StreamLine)
      .flatMap((line) => (typeof line.aux === 'string' ? decodeTrace(line.aux).logs : []));
    const stdout = logs.find((l) => l.stream === 1);
    const stderr = logs.find((l) => l.stream === 2);
    // app/Dockerfile.streams writes stdout, and only after that (&&) stderr
    expect(stdout?.msg.toString()).toBe('written first\n');
    expect(stderr?.msg.toString()).toBe('written second\n');
    expect(stderr?.timestamp).toBeLessThan(stdout?.timestamp ?? 0);

    const { steps, error } = replay('buildkit', 'streams', 'Dockerfile.streams');
    const failed = steps.find((s) => s.id === error?.stepId);
    expect(error?.exitCode).toBe(7);
    expect(byStream(failed?.logs ?? [])).toEqual({ stdout: ['written first'], stderr: ['written second'] });
  });

  it('the fold keeps each stream whole and in order, however the records of the two interleave', () => {
    const plan = planSteps('FROM base\nRUN work\n');
    const ref = { builder: 'buildkit', stage: null, position: 2 } as const;
    const fold = new StepFold(plan, { builder: 'buildkit', noCache: false });
    fold.apply({ kind: 'step', ref, state: 'running', startedAt: 1 });
    const chunks: Array<['stdout' | 'stderr', string]> = [
      ['stderr', 'err '],
      ['stdout', 'out one\nout '],
      ['stderr', 'one\n'],
      ['stdout', 'two\n'],
      ['stderr', 'err two'],
    ];
    for (const [stream, text] of chunks) fold.apply({ kind: 'log', ref, stream, text });
    fold.apply({ kind: 'step', ref, state: 'error', endedAt: 2, error: 'exit code: 1' });
    expect(byStream(fold.steps()[1]?.logs ?? [])).toEqual({
      stdout: ['out one', 'out two'],
      stderr: ['err one', 'err two'],
    });
  });
});

describe('the legacy builder’s stdout and stderr', () => {
  // As dockerd 20.10 sent them for `RUN echo hello && echo "broken on purpose" >&2 && exit 7`: stderr first,
  // as it came in 3 of 8 recorded builds; each stderr write arrives whole, wrapped in ESC[91m ... ESC[0m.
  const stream = (text: string): StreamLine => ({ stream: text });
  const lines: StreamLine[] = [
    stream('Step 1/2 : FROM base\n'),
    stream(' ---> 60e3d5f6abd7\n'),
    stream('Step 2/2 : RUN work\n'),
    stream(' ---> Running in bb37c0045ea2\n'),
    stream('\u001b[91mbroken on purpose\n\u001b[0m'),
    stream('hello\n'),
    stream('\u001b[91mno newline at the end\u001b[0m'),
    stream('partial '),
    stream('stdout\n'),
    {
      errorDetail: { code: 7, message: "The command '/bin/sh -c work' returned a non-zero code: 7" },
      error: "The command '/bin/sh -c work' returned a non-zero code: 7",
    },
  ];

  it('each line keeps the stream it was written to, whichever arrives first', () => {
    const fold = new StepFold(planSteps('FROM base\nRUN work\n'), { builder: 'legacy', noCache: false });
    const decoder = new LegacyDecoder();
    for (const line of lines) for (const event of decoder.push(line)) fold.apply(event);
    for (const event of decoder.end()) fold.apply(event);
    fold.finish('failed', 3);
    const run = fold.steps()[1];
    expect(run).toMatchObject({ state: 'error' });
    expect(fold.error).toMatchObject({ exitCode: 7, stepId: run?.id });
    expect(run?.logs).toHaveLength(4);
    expect(run?.logs.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['hello', 'partial stdout']);
    expect(run?.logs.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual([
      'broken on purpose',
      'no newline at the end',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import type { BuildStep } from '../../contract';
import { parseDockerfile } from '../dockerfile';
import { exitCodeOf, type StreamLine } from './build-event';
import { stepRefOf } from './buildkit-decode';
import { decodeTrace } from './buildkit-trace';
import { LegacyDecoder } from './legacy-decode';
import { planSteps } from './plan';
import { StepFold } from './step-fold';
import { fixturePath, replay, shape } from './test/replay';

const parsed = parseDockerfile(readFileSync(fixturePath('app/Dockerfile'), 'utf8'));
/** Each instruction's keyword, to write the expected verdicts by kind rather than by line. */
const keywords = parsed.instructions.map((i) => i.keyword);
const rows = (steps: { stage: string | null; line: number | null; instruction: string; metadataOnly: boolean }[]) =>
  steps.map((s) => `${s.stage} ${s.line} ${s.metadataOnly ? 'config' : 'layer'} ${s.instruction}`);
const verdicts = (steps: { state: string }[]) => steps.map((s) => s.state);

describe('recorded build streams fold into one step model', () => {
  it('both builders give one row per instruction, with its line and stage, in Dockerfile order', () => {
    const expected = parsed.instructions.map((i) => {
      const stage = i.stage < 0 ? null : (parsed.stages[i.stage]?.id ?? null);
      return `${stage} ${i.line} ${['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR'].includes(i.keyword) ? 'layer' : 'config'} ${i.text}`;
    });
    for (const builder of ['buildkit', 'legacy'] as const) {
      for (const run of ['cold', 'cached', 'edit']) expect(rows(replay(builder, run).steps)).toEqual(expected);
    }
  });

  it('legacy: every "Step n/m" has the engine verdict (a global ARG only sets configuration)', () => {
    const cold = keywords.map((k, i) => (i === 0 ? 'metadata' : k === 'FROM' ? 'cached' : 'done'));
    expect(verdicts(replay('legacy', 'cold').steps)).toEqual(cold);
    expect(verdicts(replay('legacy', 'cached').steps)).toEqual(
      keywords.map((_, i) => (i === 0 ? 'metadata' : 'cached')),
    );
    const copySrc = parsed.instructions.findIndex((i) => i.text === 'COPY src ./src');
    expect(verdicts(replay('legacy', 'edit').steps)).toEqual(
      keywords.map((_, i) => (i === 0 ? 'metadata' : i < copySrc ? 'cached' : 'done')),
    );
  });

  it('BuildKit: metadata instructions are marked metadata, merged vertexes share their verdict', () => {
    for (const run of ['cold', 'cached', 'edit']) {
      const steps = replay('buildkit', run).steps;
      steps.forEach((step, i) => {
        if (step.metadataOnly) expect(step.state, `${run} ${step.instruction}`).toBe('metadata');
        else expect(['cached', 'done'], `${run} ${keywords[i]}`).toContain(step.state);
      });
    }
    const cached = replay('buildkit', 'cached').steps.filter(
      (s) => !s.metadataOnly && !s.instruction.startsWith('FROM'),
    );
    expect(new Set(verdicts(cached))).toEqual(new Set(['cached']));
    const edit = replay('buildkit', 'edit').steps;
    expect(edit.find((s) => s.instruction === 'COPY src ./src')?.state).toBe('done');
    expect(edit.find((s) => s.instruction.startsWith('COPY --from=deps'))?.state).toBe('cached');
  });

  for (const builder of ['buildkit', 'legacy'] as const) {
    it(`${builder}: a cold build keeps each RUN's output as lines`, () => {
      const steps = replay(builder, 'cold').steps;
      const install = steps.find((s) => s.instruction.startsWith('RUN echo "installing'));
      expect(install?.logs.map((l) => l.text)).toEqual(['installing from 63 bytes of manifest']);
      expect(steps.find((s) => s.instruction.startsWith('RUN ls src'))?.logs.map((l) => l.text)).toEqual(['index.js']);
      for (const step of steps.filter((s) => s.state !== 'metadata')) {
        expect(step.startedAt).not.toBeNull();
        expect(step.endedAt).toBeGreaterThanOrEqual(step.startedAt ?? 0);
      }
    });

    it(`${builder}: a failing RUN fails the build on that step, later steps did not run`, () => {
      const source = readFileSync(fixturePath('app/Dockerfile.fail'), 'utf8');
      const failing = parseDockerfile(source).instructions.find((i) => i.keyword === 'RUN');
      const { steps, error, imageId } = replay(builder, 'fail', 'Dockerfile.fail');
      const failed = steps.find((s) => s.state === 'error');
      expect(imageId).toBeNull();
      expect(failed?.line).toBe(failing?.line);
      expect(error).toMatchObject({ exitCode: 3, stepId: failed?.id });
      // each line in its stream; no order across the two is claimed
      const inStream = (name: string) => failed?.logs.filter((l) => l.stream === name).map((l) => l.text);
      expect([inStream('stdout'), inStream('stderr')]).toEqual([['compiling src'], ['error: src/index.js is broken']]);
      const after = steps.slice(steps.indexOf(failed!) + 1);
      expect(after.length).toBeGreaterThan(0);
      expect(new Set(after.map((s) => s.state))).toEqual(new Set(['not-run']));
    });
  }

  it('BuildKit and legacy give the same rows for every recorded run', () => {
    for (const run of ['cold', 'cached', 'edit']) {
      expect(rows(replay('buildkit', run).steps)).toEqual(rows(replay('legacy', run).steps));
    }
    expect(shape(replay('buildkit', 'cold').steps)).toHaveLength(parsed.instructions.length);
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
    const fold = new StepFold(plan, { builder: 'buildkit' });
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
    const fold = new StepFold(planSteps('FROM base\nRUN work\n'), { builder: 'legacy' });
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

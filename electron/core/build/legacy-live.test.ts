import { BerthError } from '../../contract';
import type { StreamLine } from './build-event';
import { type FailureContext, refusedFailure, streamFailure } from './failure';
import { LegacyDecoder } from './legacy-decode';
import { planSteps } from './plan';
import { StepFold } from './step-fold';

const DOCKERFILE = 'ARG BASE=x\nFROM ${BASE}\nENV A=1\nRUN ./install\nCMD ["true"]\n';

function legacy() {
  const fold = new StepFold(planSteps(DOCKERFILE), { builder: 'legacy' });
  const decoder = new LegacyDecoder();
  const push = (...lines: StreamLine[]) => {
    for (const line of lines) for (const event of decoder.push(line)) fold.apply(event);
  };
  return { fold, decoder, push };
}

/** The engine's messages for the first four steps of one Dockerfile, up to the RUN starting. */
const UP_TO_THE_RUN = [
  { stream: 'Step 1/5 : ARG BASE=x' },
  { stream: '\n' },
  { stream: 'Step 2/5 : FROM ${BASE}' },
  { stream: '\n' },
  { stream: ' ---> 60e3d5f6abd7\n' },
  { stream: 'Step 3/5 : ENV A=1' },
  { stream: '\n' },
  { stream: ' ---> Using cache\n' },
  { stream: ' ---> 108a89bc8d0b\n' },
  { stream: 'Step 4/5 : RUN ./install' },
  { stream: '\n' },
  { stream: ' ---> Running in 027df5d4db5e\n' },
];

describe('the legacy builder, message by message', () => {
  it('shows output as it arrives: newlines kept, carriage-return progress kept, stderr told by the engine wrap', () => {
    const { fold, push } = legacy();
    push(...UP_TO_THE_RUN, { stream: 'Get:1 http://a\nGet:2 http://b\n' }, { stream: 'Progress 10%\rProgress 50%' });
    const running = fold.steps()[3];
    expect(running?.state).toBe('running');
    // the line still being redrawn is visible before its newline comes
    expect(running?.logs).toEqual([
      { stream: 'stdout', text: 'Get:1 http://a' },
      { stream: 'stdout', text: 'Get:2 http://b' },
      { stream: 'stdout', text: 'Progress 10%\rProgress 50%' },
    ]);
    push(
      { stream: '\rProgress 100%\n' },
      { stream: '\u001b[91mwarning: on stderr\n\u001b[0m' },
      { stream: 'Removing intermediate container 027df5d4db5e\n' },
      { stream: ' ---> 061d875acc5a\n' },
      { stream: 'Step 5/5 : CMD ["true"]' },
      { stream: '\n' },
      { stream: ' ---> Running in 17af0c0e7eb5\n' },
      { stream: 'Removing intermediate container 17af0c0e7eb5\n' },
      { stream: ' ---> ab4454cde45c\n' },
      { aux: { ID: 'sha256:ab' } },
      { stream: '[Warning] One or more build-args [NOPE] were not consumed\n' },
      { stream: 'Successfully built ab4454cde45c\n' },
    );
    const steps = fold.steps();
    expect(steps[3]?.logs.slice(2)).toEqual([
      { stream: 'stdout', text: 'Progress 10%\rProgress 50%\rProgress 100%' },
      { stream: 'stderr', text: 'warning: on stderr' },
    ]);
    expect(steps.map((s) => s.state)).toEqual(['metadata', 'cached', 'cached', 'done', 'done']);
    expect(fold.warnings).toEqual(['One or more build-args [NOPE] were not consumed']);
    expect(fold.imageId).toBe('sha256:ab');
  });

  it('a failed build is final: the failing step is an error, the rest did not run, and --no-cache changes nothing', () => {
    const { fold, decoder, push } = legacy();
    push(...UP_TO_THE_RUN, { error: "The command '/bin/sh -c ./install' returned a non-zero code: 127" });
    for (const event of decoder.end()) fold.apply(event);
    fold.finish('failed', Date.now());
    expect(fold.steps().map((s) => s.state)).toEqual(['metadata', 'cached', 'cached', 'error', 'not-run']);
    expect(fold.error).toMatchObject({ exitCode: 127, stepId: 'legacy-4' });
  });
});

describe('failures before any step name their cause, line and fix', () => {
  const context = (source: string, target?: string): FailureContext => ({
    dockerfile: 'Dockerfile',
    source,
    request: { buildArgs: { BASE: 'berth-missing:1' }, ...(target && { target }) },
  });
  const noStep = { message: '', exitCode: null, stepId: null };

  it('a syntax directive whose frontend cannot be fetched: line 1, remove it or make the image available', () => {
    const failure = streamFailure(
      {
        ...noStep,
        message: 'failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: no such host',
      },
      [],
      context('# syntax=docker/dockerfile:1.4\nFROM x\n'),
      { name: 'resolve image config for docker.io/docker/dockerfile:1.4', error: 'no such host' },
    );
    expect(failure).toMatchObject({ code: 'BUILD_FAILED', stepId: null });
    expect(failure.message).toMatch(/line 1 .*docker\/dockerfile:1\.4.*no such host/);
    expect(failure.fix).toMatch(/Remove line 1.*docker\/dockerfile:1\.4 available/);
  });

  it('a base image that cannot be pulled: its FROM line (ARGs filled in) and the image', () => {
    const failure = streamFailure(
      {
        ...noStep,
        message:
          'failed to create LLB definition: failed to do request: Head "https://r/v2/library/berth-missing/manifests/1": no such host',
      },
      [],
      context('ARG BASE=alpine\nFROM alpine AS one\nRUN true\nFROM ${BASE}\n'),
      { name: '[internal] load metadata for docker.io/library/berth-missing:1', error: 'no such host' },
    );
    expect(failure.message).toMatch(/base image docker\.io\/library\/berth-missing:1 \(FROM on line 4 of Dockerfile\)/);
    expect(failure.fix).toMatch(/make docker\.io\/library\/berth-missing:1 available/);
  });

  it('an unknown target names the stages that exist (both builders’ wording)', () => {
    const source = 'FROM x AS deps\nFROM x AS build\nFROM x\n';
    for (const message of ['target stage nope could not be found', 'failed to reach build target nope in Dockerfile']) {
      const failure = refusedFailure({ statusCode: 400, json: { message } }, context(source, 'nope'));
      expect(failure.message).toBe('Dockerfile has no stage named "nope". Its stages: deps, build.');
      expect(failure.fix).toMatch(/deps, build/);
    }
  });

  it('a heredoc the frontend does not know is named as such, at its RUN line', () => {
    const failure = refusedFailure(
      { statusCode: 400, json: { message: 'dockerfile parse error line 3: unknown instruction: ECHO' } },
      context('FROM x\nRUN <<EOF\necho one\nEOF\n'),
    );
    expect(failure.message).toMatch(/line 2 starts a heredoc .*line 3 .*unknown instruction: ECHO/);
    expect(failure.fix).toMatch(/BuildKit/);
  });

  it('a parse error names its line; a missing Dockerfile keeps its own code and fix', () => {
    const failure = refusedFailure(
      { statusCode: 400, json: { message: 'dockerfile parse error line 2: unknown instruction: RUNN' } },
      context('FROM x\nRUNN y\n'),
    );
    expect(failure.message).toBe('Dockerfile has a syntax error on line 2: unknown instruction: RUNN.');
    const missing = new BerthError('NOT_FOUND', 'No Dockerfile at /x/Dockerfile.', 'Choose the Dockerfile.');
    expect(refusedFailure(missing, context(''))).toMatchObject({ code: 'NOT_FOUND', fix: 'Choose the Dockerfile.' });
  });
});

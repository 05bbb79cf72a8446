import { readFileSync } from 'node:fs';
import type { StreamLine } from './build-event';
import { planSteps } from './plan';
import { PodmanDecoder } from './podman-decode';
import { StepFold } from './step-fold';
import { fixturePath, replay, shape } from './test/replay';

/** Replays a recorded Podman build (fixtures/podman-*.jsonl, see fixtures/README.md) as a live build does. */
function replayPodman(run: string, dockerfile = 'Dockerfile') {
  const plan = planSteps(readFileSync(fixturePath(`app/${dockerfile}`), 'utf8'));
  const fold = new StepFold(plan, { builder: 'legacy' });
  const decoder = new PodmanDecoder(plan);
  for (const line of readFileSync(fixturePath(`podman-${run}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)) {
    for (const event of decoder.push(JSON.parse(line) as StreamLine)) fold.apply(event);
  }
  for (const event of decoder.end()) fold.apply(event);
  fold.finish(fold.error ? 'failed' : 'succeeded', Date.now());
  return { steps: fold.steps(), error: fold.error, imageId: fold.imageId };
}

describe("Podman's build stream folds into the same step model as dockerd's legacy builder", () => {
  it('per-stage STEP numbers land on the right Dockerfile lines, with the same verdicts as dockerd', () => {
    for (const run of ['cold', 'cached', 'edit']) {
      const podman = replayPodman(run);
      expect(shape(podman.steps)).toEqual(shape(replay('legacy', run).steps));
      expect(podman.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(podman.error).toBeNull();
    }
  });

  it('a cache hit ("--> Using cache <id>") is cached, and a RUN that made its image is done', () => {
    const states = (run: string) => replayPodman(run).steps.map((s) => `${s.instruction.split(' ')[0]} ${s.state}`);
    expect(states('cached').filter((s) => s.startsWith('RUN'))).toEqual(['RUN cached', 'RUN cached']);
    expect(states('cold').filter((s) => s.startsWith('RUN'))).toEqual(['RUN done', 'RUN done']);
  });

  it('RUN output is kept, as an unknown stream: Podman does not mark stderr', () => {
    const run = replayPodman('cold').steps.find((s) => s.instruction.startsWith('RUN echo'));
    expect(run?.logs).toContainEqual({ stream: 'unknown', text: 'installing from 69 bytes of manifest' });
  });

  it('a failing RUN fails its step with the exit code from "exit status N"', () => {
    const failed = replayPodman('fail', 'Dockerfile.fail');
    const run = failed.steps.find((s) => s.instruction.startsWith('RUN'));
    expect(run?.state).toBe('error');
    expect(failed.error?.exitCode).toBe(3);
    expect(run?.logs.map((l) => l.text)).toEqual(
      expect.arrayContaining(['compiling src', 'error: src/index.js is broken']),
    );
  });
});

import { exitCodeOf } from './build-event';
import { stepRefOf } from './buildkit-decode';
import { replay, shape } from './test/replay';

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

import { buildTimeline, type TimelineInput } from './build-timeline';
import { type BuildStep, queuedStep } from './builds';

const T0 = 1_700_000_000_000;

/** A step that ran from `start` to `end` (ms after T0), starting from the steps `after`. */
function ran(
  id: string,
  stage: string | null,
  start: number | null,
  end: number | null,
  after: string[],
  state: BuildStep['state'] = 'done',
): BuildStep {
  return {
    ...queuedStep({ id, index: 0, stage, instruction: `RUN ${id}`, line: null, after }),
    state,
    startedAt: start === null ? null : T0 + start,
    endedAt: end === null ? null : T0 + end,
  };
}

function build(steps: BuildStep[], end: number | null, builder: TimelineInput['builder'] = 'buildkit'): TimelineInput {
  return {
    builder,
    startedAt: T0,
    endedAt: end === null ? null : T0 + end,
    steps: steps.map((s, index) => ({ ...s, index })),
  };
}

/**
 *   fast: FROM 100..200, RUN 200..1200
 *   slow: FROM 100..200, RUN 200..5200
 *   final: FROM 100..200, COPY --from=fast 1200..1300, COPY --from=slow 5200..5400
 */
const parallelStages = (): BuildStep[] => [
  ran('fast-from', 'fast', 100, 200, []),
  ran('fast-run', 'fast', 200, 1200, ['fast-from']),
  ran('slow-from', 'slow', 100, 200, [], 'cached'),
  ran('slow-run', 'slow', 200, 5200, ['slow-from']),
  ran('final-from', 'final', 100, 200, [], 'cached'),
  ran('copy-fast', 'final', 1200, 1300, ['final-from', 'fast-run']),
  ran('copy-slow', 'final', 5200, 5400, ['copy-fast', 'slow-run']),
];

describe('buildTimeline', () => {
  it('follows the slow parallel stage into the final stage, not the longest single bar or the stage order', () => {
    const timeline = buildTimeline(build(parallelStages(), 5600), T0 + 9999);
    expect(timeline.criticalPath).toEqual(['slow-from', 'slow-run', 'copy-slow']);
    expect(timeline.criticalMs).toBe(5400);
    expect(timeline.totalMs).toBe(5600);
    expect(timeline.stages.map((s) => [s.stage, s.bars.length])).toEqual([
      ['fast', 2],
      ['slow', 2],
      ['final', 3],
    ]);
    const bar = timeline.stages[1]?.bars[1];
    expect(bar).toMatchObject({ stepId: 'slow-run', start: 200, end: 5200, durationMs: 5000, critical: true });
  });

  it('what-if: caching the slow step saves only until the other stage becomes the critical one', () => {
    const { whatIf } = buildTimeline(build(parallelStages(), 5600), T0);
    // Without slow-run, copy-slow waits for copy-fast (ends 1300), then 200 ms: ends at 1500 instead of 5400.
    expect(whatIf).toEqual({
      stepId: 'slow-run',
      instruction: 'RUN slow-run',
      durationMs: 5000,
      savedMs: 3900,
      wallMs: 1700,
    });
  });

  it('a stage fed by COPY --from: the feeding stage is on the path even though its bar is shorter', () => {
    // base (2 s) -> app COPY --from=base; app's own RUN (3 s) started at once and ended before the COPY could run.
    const steps = [
      ran('base-from', 'base', 0, 100, []),
      ran('base-run', 'base', 100, 4100, ['base-from']),
      ran('app-from', 'app', 0, 100, []),
      ran('app-run', 'app', 100, 3100, ['app-from']),
      ran('app-copy', 'app', 4100, 4200, ['app-run', 'base-run']),
    ];
    const timeline = buildTimeline(build(steps, 4300), T0);
    expect(timeline.criticalPath).toEqual(['base-from', 'base-run', 'app-copy']);
    // The slowest step is base-run; caching it lets app-copy follow app-run (3100) instead: 1000 ms saved.
    expect(timeline.whatIf).toMatchObject({ stepId: 'base-run', savedMs: 1000, wallMs: 3300 });
  });

  it('what-if saves nothing when the slowest step is off the critical path', () => {
    const steps = [ran('a', 'a', 0, 3000, []), ran('b1', 'b', 0, 2000, []), ran('b2', 'b', 2000, 4000, ['b1'])];
    const timeline = buildTimeline(build(steps, 4000), T0);
    expect(timeline.criticalPath).toEqual(['b1', 'b2']);
    expect(timeline.whatIf).toMatchObject({ stepId: 'a', durationMs: 3000, savedMs: 0, wallMs: 4000 });
  });

  it('keeps each step waiting as long after its inputs as it did (the base image lookup before FROM)', () => {
    const steps = [ran('from', 's', 900, 1000, [], 'cached'), ran('run', 's', 1500, 2500, ['from'])];
    const timeline = buildTimeline(build(steps, 2600), T0);
    expect(timeline.criticalPath).toEqual(['from', 'run']);
    expect(timeline.criticalMs).toBe(2500);
    // run waited 500 ms after from: without its 1000 ms, it ends at 1500.
    expect(timeline.whatIf).toMatchObject({ stepId: 'run', savedMs: 1000, wallMs: 1600 });
  });

  it('passes through steps with no times (BuildKit metadata) without drawing or marking them', () => {
    const steps = [
      ran('from', 's', 0, 100, []),
      ran('env', 's', null, null, ['from'], 'metadata'),
      ran('run', 's', 100, 900, ['env']),
    ];
    const timeline = buildTimeline(build(steps, 1000), T0);
    expect(timeline.criticalPath).toEqual(['from', 'run']);
    expect(timeline.stages[0]?.bars[1]).toMatchObject({
      stepId: 'env',
      start: null,
      durationMs: null,
      critical: false,
    });
  });

  it('legacy records without `after` run in order: every step is on the path and caching the slowest saves all of it', () => {
    const steps = [
      ran('from', 'stage-0', 50, 100, [], 'cached'),
      ran('run1', 'stage-0', 100, 1100, []),
      ran('run2', 'stage-1', 1100, 3100, []),
      ran('copy', 'stage-1', 3100, 3200, []),
    ].map(({ after: _after, ...s }) => s);
    const timeline = buildTimeline(build(steps, 3300, 'legacy'), T0);
    expect(timeline.criticalPath).toEqual(['from', 'run1', 'run2', 'copy']);
    expect(timeline.whatIf).toMatchObject({ stepId: 'run2', savedMs: 2000, wallMs: 1300 });
  });

  it('while running: running bars end now, no what-if yet', () => {
    const steps = [ran('from', 's', 0, 100, [], 'cached'), ran('run', 's', 100, null, ['from'], 'running')];
    const timeline = buildTimeline(build(steps, null), T0 + 700);
    expect(timeline.totalMs).toBe(700);
    expect(timeline.stages[0]?.bars[1]).toMatchObject({ running: true, end: 700, durationMs: 600, critical: true });
    expect(timeline.whatIf).toBeNull();
  });

  it('ignores an `after` that points forward or nowhere (a damaged record cannot make a cycle)', () => {
    const steps = [ran('a', 's', 0, 100, ['b', 'ghost']), ran('b', 's', 100, 200, ['a'])];
    expect(buildTimeline(build(steps, 200), T0).criticalPath).toEqual(['a', 'b']);
  });

  it('stretches the axis to step times outside the build (an engine clock ahead of Berth)', () => {
    const steps = [ran('a', 's', -300, 100, [])];
    const timeline = buildTimeline(build(steps, 50), T0);
    expect(timeline.origin).toBe(T0 - 300);
    expect(timeline.totalMs).toBe(400);
    expect(timeline.stages[0]?.bars[0]).toMatchObject({ start: 0, end: 400 });
  });
});

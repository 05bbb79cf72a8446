import type { BuildRecordSummary } from '../../electron/contract';
import { step } from '../test/fixtures';
import { cacheHits, differenceFromPrevious, formatHits, groupByStage } from './build-stats';

const record = (durationMs: number, cachedSteps: number): BuildRecordSummary => ({
  buildId: String(durationMs),
  at: 0,
  durationMs,
  builder: 'buildkit',
  state: 'succeeded',
  tags: [],
  contextDir: '.',
  dockerfile: 'Dockerfile',
  target: null,
  imageId: null,
  cachedSteps,
  totalSteps: 10,
});

describe('build stats', () => {
  it('counts cache hits over all steps', () => {
    const steps = [
      step({ id: 'a', index: 0, instruction: 'FROM x', state: 'cached' }),
      step({ id: 'b', index: 1, instruction: 'RUN y', state: 'done' }),
    ];
    expect(cacheHits(steps)).toEqual({ cached: 1, total: 2 });
    expect(formatHits({ cached: 1, total: 2 })).toBe('1/2 cached (50 %)');
    expect(formatHits({ cached: 0, total: 0 })).toBe('no steps yet');
  });

  it('describes the change from the previous build', () => {
    expect(differenceFromPrevious(record(1800, 10), record(6000, 7))).toBe('-4.2 s, +3 cached');
    expect(differenceFromPrevious(record(9000, 2), record(6000, 7))).toBe('+3.0 s, -5 cached');
    expect(differenceFromPrevious(record(9000, 2), undefined)).toBe('first build of this project');
  });

  it('groups steps by stage in order of appearance, setup first, global ARGs in a group of their own', () => {
    const groups = groupByStage([
      step({ id: 'b', index: 3, stage: 'build', instruction: 'FROM b' }),
      step({ id: 'i', index: 0, stage: null, instruction: '[internal] load .dockerignore' }),
      step({ id: 'g', index: 1, stage: null, line: 1, instruction: 'ARG BASE' }),
      step({ id: 'a', index: 2, stage: 'deps', instruction: 'FROM a' }),
      step({ id: 'f', index: 4, stage: 'stage-2', line: 38, instruction: 'COPY --from=build /app/dist ./dist' }),
    ]);
    expect(groups.map((g) => g.stage)).toEqual([null, '(global)', 'deps', 'build', 'stage-2']);
  });
});

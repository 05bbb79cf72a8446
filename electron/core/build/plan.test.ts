import { planSteps } from './plan';

describe('planSteps', () => {
  it('numbers a stage built FROM an earlier stage as BuildKit does: its FROM has no vertex, the next step is 1', () => {
    const source = 'FROM base AS deps\nRUN echo one\nFROM deps AS test\nRUN echo two\nENV A=1\nRUN echo three\n';
    const rows = planSteps(source).map((s) => [s.instruction.line, s.stage?.id, s.position, s.metadataOnly]);
    expect(rows).toEqual([
      [1, 'deps', 1, false],
      [2, 'deps', 2, false],
      [3, 'test', null, true], // [test 1/2] is `RUN echo two`: no FROM vertex, no layer of its own
      [4, 'test', 1, false],
      [5, 'test', null, true],
      [6, 'test', 2, false],
    ]);
  });

  it('keeps FROM of an image, or of a stage named later, as step 1', () => {
    const rows = planSteps('FROM alpine AS a\nRUN true\n').map((s) => [s.position, s.metadataOnly]);
    expect(rows).toEqual([
      [1, false],
      [2, false],
    ]);
  });
});

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

  it('says what each step starts from: the step before, FROM <stage>, COPY --from and RUN --mount=from', () => {
    const source = [
      'ARG V=1', // 0
      'FROM alpine AS tools', // 1
      'RUN make', // 2
      'FROM alpine AS deps', // 3
      'RUN fetch', // 4
      'FROM deps AS app', // 5
      'COPY --from=tools /bin/t /t', // 6
      'RUN --mount=type=bind,from=0,target=/x ./use', // 7
      'COPY --from=busybox:1 /bin/sh /sh', // 8
    ].join('\n');
    expect(planSteps(source).map((s) => s.dependsOn)).toEqual([[], [], [1], [], [3], [4], [5, 2], [6, 2], [7]]);
  });

  it('counts a stage used only through RUN --mount=from as needed', () => {
    const source =
      'FROM alpine AS cache\nRUN fill\nFROM alpine AS unused\nRUN x\nFROM alpine\nRUN --mount=from=cache,target=/c ls\n';
    expect(planSteps(source).map((s) => s.neededByBuildKit)).toEqual([true, true, false, false, true, true]);
  });
});

import { readFileSync } from 'node:fs';
import { neededStages, parseInstructions, parseStages, planSteps } from './dockerfile';

describe('Dockerfile instructions map to their lines', () => {
  it('joins continuations, skips comments and blank lines, and counts steps like the legacy builder', () => {
    const source = [
      'ARG BASE=alpine', // 1
      '# a comment', // 2
      'FROM $BASE AS one', // 3
      'RUN echo a \\', // 4
      '# comment inside', // 5
      '  && echo b', // 6
      '', // 7
      'copy a.txt \\', // 8
      '     /tmp/', // 9
    ].join('\n');
    expect(parseInstructions(source).map((i) => [i.line, i.legacyNumber, i.stage, i.text])).toEqual([
      [1, 1, -1, 'ARG BASE=alpine'],
      [3, 2, 0, 'FROM $BASE AS one'],
      [4, 3, 0, 'RUN echo a   && echo b'],
      [8, 4, 0, 'COPY a.txt      /tmp/'],
    ]);
  });

  it('honours the escape directive', () => {
    const source = '# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo ok\n';
    expect(parseInstructions(source).map((i) => [i.line, i.text])).toEqual([
      [2, 'FROM x'],
      [3, 'RUN dir c:\\   && echo ok'],
    ]);
  });

  it('plans the bundled Dockerfile: named and unnamed stages, BuildKit positions without the global ARG', () => {
    const plan = planSteps(readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8'));
    const row = (i: number) => {
      const p = plan[i];
      return (
        p && `${p.stage.name} ${p.position} L${p.instruction.line} #${p.instruction.legacyNumber} ${p.instruction.text}`
      );
    };
    expect(plan).toHaveLength(17);
    expect(row(0)).toBe('prod-deps 1 L11 #2 FROM ${NODE_IMAGE} AS prod-deps');
    expect(row(3)).toBe('prod-deps 4 L16 #5 RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    expect(row(9)).toBe('build 6 L28 #11 COPY service/src ./src');
    expect(row(11)).toBe('stage-2 1 L32 #13 FROM ${NODE_IMAGE}');
    expect(row(16)).toBe('stage-2 6 L43 #20 COPY --from=build /app/dist ./dist');
    // steps BuildKit merges into one vertex share a chain key
    expect(plan[1]?.chainKey).toBe(plan[5]?.chainKey);
    expect(plan[2]?.chainKey).toBe(plan[6]?.chainKey);
    expect(plan[3]?.chainKey).not.toBe(plan[7]?.chainKey);
  });

  it('keeps only the stages the target needs (BuildKit skips the others)', () => {
    const source =
      'FROM a AS deps\nRUN x\nFROM a AS unused\nRUN y\nFROM deps AS test\nRUN z\nFROM b\nCOPY --from=deps /x /x\n';
    const stages = parseStages(source);
    expect(stages.map((s) => s.name)).toEqual(['deps', 'unused', 'test', 'stage-3']);
    expect([...neededStages(stages)].sort()).toEqual([0, 3]);
    expect([...neededStages(stages, 'test')].sort()).toEqual([0, 2]);
    expect(planSteps(source, 'unused').map((p) => p.instruction.text)).toEqual(['FROM a AS unused', 'RUN y']);
  });
});

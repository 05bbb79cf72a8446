import { readFileSync } from 'node:fs';
import { neededStages, planSteps } from '../build/plan';
import { parseDockerfile } from './parse';

describe('a Dockerfile read through dockerfile-ast', () => {
  it('joins continuations as the builders print them, skips comments, counts steps like the legacy builder', () => {
    const source = [
      'ARG BASE=alpine', // 1
      '# a comment', // 2
      'FROM $BASE AS One', // 3
      'RUN echo a \\', // 4
      '# comment inside', // 5
      '  && echo b', // 6
      '', // 7
      'copy a.txt \\', // 8
      '     /tmp/', // 9
      'env A=1', // 10
    ].join('\n');
    const parsed = parseDockerfile(source);
    expect(parsed.instructions.map((i) => [i.line, i.endLine, i.legacyNumber, i.stage, i.text])).toEqual([
      [1, 1, 1, -1, 'ARG BASE=alpine'],
      [3, 3, 2, 0, 'FROM $BASE AS One'],
      [4, 6, 3, 0, 'RUN echo a   && echo b'],
      [8, 9, 4, 0, 'COPY a.txt      /tmp/'],
      [10, 10, 5, 0, 'ENV A=1'],
    ]);
    expect(parsed.stages.map((s) => [s.index, s.name, s.id, s.base, s.line])).toEqual([[0, 'one', 'one', '$BASE', 3]]);
    expect(parsed.args).toEqual([{ name: 'BASE', defaultValue: 'alpine', line: 1, stage: -1 }]);
    expect(parsed.syntax).toBeNull();
  });

  it('honours the escape directive, and reads the syntax directive with its line', () => {
    const parsed = parseDockerfile(
      '# syntax=docker/dockerfile:1.4\n# escape=`\nFROM x\nRUN dir c:\\ `\n  && echo ok\n',
    );
    expect(parsed.instructions.map((i) => [i.line, i.text])).toEqual([
      [3, 'FROM x'],
      [4, 'RUN dir c:\\   && echo ok'],
    ]);
    expect(parsed.syntax).toEqual({ image: 'docker/dockerfile:1.4', line: 1 });
    expect(parsed.escape).toBe('`');
  });

  it('sees a heredoc as one instruction spanning its body', () => {
    const parsed = parseDockerfile('FROM x\nRUN <<EOF\necho one\nEOF\nRUN echo after\n');
    expect(parsed.instructions.map((i) => [i.line, i.endLine, i.heredoc, i.text])).toEqual([
      [1, 1, false, 'FROM x'],
      [2, 4, true, 'RUN <<EOF'],
      [5, 5, false, 'RUN echo after'],
    ]);
  });

  it('lists ARGs with their defaults, global and per stage, and stages with names and indexes', () => {
    const parsed = parseDockerfile('ARG A=1\nARG B\nFROM x AS build\nARG C=three\nFROM build\n');
    expect(parsed.args).toEqual([
      { name: 'A', defaultValue: '1', line: 1, stage: -1 },
      { name: 'B', defaultValue: null, line: 2, stage: -1 },
      { name: 'C', defaultValue: 'three', line: 4, stage: 0 },
    ]);
    expect(parsed.stages.map((s) => [s.index, s.id, s.base])).toEqual([
      [0, 'build', 'x'],
      [1, 'stage-1', 'build'],
    ]);
  });
});

describe('the step plan', () => {
  it('has one step per instruction of the bundled Dockerfile, BuildKit positions without metadata', () => {
    const source = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    const parsed = parseDockerfile(source);
    const plan = planSteps(source);
    expect(plan.map((p) => p.instruction)).toEqual(parsed.instructions);
    for (const stage of parsed.stages) {
      const layers = plan.filter((p) => p.stage?.index === stage.index && !p.metadataOnly);
      expect(layers.map((p) => p.position)).toEqual(layers.map((_, i) => i + 1));
      expect(layers[0]?.instruction.keyword).toBe('FROM');
    }
    expect(plan.filter((p) => p.metadataOnly).every((p) => p.position === null)).toBe(true);
    expect(plan.filter((p) => p.stage === null).map((p) => p.instruction.keyword)).toEqual(
      parsed.instructions.filter((i) => i.stage < 0).map(() => 'ARG'),
    );
  });

  it('merges identical stage prefixes (BuildKit runs them once) and keeps the stages up to the target', () => {
    const source =
      'FROM a AS deps\nRUN x\nFROM a AS unused\nRUN y\nFROM deps AS test\nRUN z\nFROM a\nCOPY --from=deps /x /x\n';
    const { stages } = parseDockerfile(source);
    expect([...neededStages(stages)].sort()).toEqual([0, 3]);
    expect([...neededStages(stages, 'test')].sort()).toEqual([0, 2]);
    const plan = planSteps(source, 'unused');
    expect(plan.map((p) => [p.instruction.text, p.neededByBuildKit])).toEqual([
      ['FROM a AS deps', false],
      ['RUN x', false],
      ['FROM a AS unused', true],
      ['RUN y', true],
    ]);
    expect(plan[0]?.chainKey).toBe(plan[2]?.chainKey);
    expect(plan[1]?.chainKey).not.toBe(plan[3]?.chainKey);
  });
});

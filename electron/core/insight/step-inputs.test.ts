import { MASKED } from '../../contract';
import { stepInputs } from './step-inputs';
import { expand, referencedNames, words } from './variables';

const inputs = (source: string, buildArgs: Record<string, string> = {}, target?: string) =>
  stepInputs(source, { builder: 'buildkit', buildArgs, target, fingerprint: (v) => `fp-${v.length}` });

const vars = (list: ReturnType<typeof inputs>, text: string) =>
  Object.fromEntries(list.find((i) => i.text === text)!.variables.map((v) => [v.name, v.fingerprint ?? v.value]));

describe('Dockerfile variables', () => {
  it('expands $A, ${A}, ${A:-default} and ${A:+alternative}, keeps \\$ literal, and lists the names used', () => {
    const values = new Map<string, string | null>([
      ['A', 'one'],
      ['EMPTY', ''],
    ]);
    expect(expand('$A ${A} ${B:-$A} ${EMPTY:-d} ${A:+alt} ${B:+alt} \\$A', values)).toBe('one one one d alt  $A');
    expect(referencedNames('echo $A ${B:-$C} \\$D')).toEqual(['A', 'B', 'C']);
    expect(words(`A="two words" B='x y' C=a\\ b`)).toEqual(['A=two words', 'B=x y', 'C=a b']);
  });
});

describe('what each step depends on', () => {
  it('a RUN sees every ARG with a value and every ENV; other steps only the names they use', () => {
    const source = 'ARG BASE=img\nFROM $BASE\nARG UNSET\nARG V=1\nENV HOME_DIR=/h/$V\nCOPY $HOME_DIR/x /x\nRUN go\n';
    const list = inputs(source, { V: '2' });
    expect(vars(list, 'FROM $BASE')).toEqual({ BASE: 'img' });
    expect(vars(list, 'RUN go')).toEqual({ HOME_DIR: '/h/2', V: '2' });
    expect(vars(list, 'COPY $HOME_DIR/x /x')).toEqual({ HOME_DIR: '/h/2' });
    expect(list.find((i) => i.keyword === 'COPY')?.copy).toEqual({
      from: null,
      fromStage: false,
      sources: ['/h/2/x'],
      remote: false,
    });
    expect(list.find((i) => i.keyword === 'FROM')?.base).toEqual({ ref: 'img', digest: null });
  });

  it('an ARG redeclared in a stage takes the global value; ENV carries into a stage built FROM it, ARGs do not', () => {
    const source = 'ARG G=global\nFROM x AS one\nARG G\nARG L=local\nENV E=env\nFROM one\nRUN go\n';
    const list = inputs(source);
    expect(vars(list, 'ARG G')).toEqual({ G: 'global' });
    expect(vars(list, 'RUN go')).toEqual({ E: 'env' });
    expect(list.find((i) => i.text === 'FROM one')).toMatchObject({ parentStage: 'one', base: null });
  });

  it('a COPY --from names the stage, or the image it reads as a base', () => {
    const list = inputs('FROM x AS build\nRUN a\nFROM y\nCOPY --from=build /a /a\nCOPY --from=other:1 /b /b\n');
    expect(list.filter((i) => i.copy).map((i) => [i.copy?.from, i.copy?.fromStage, i.base?.ref ?? null])).toEqual([
      ['build', true, null],
      ['other:1', false, 'other:1'],
    ]);
  });

  it('never keeps a secret-looking value: a fingerprint stands in for it', () => {
    const list = inputs('FROM x\nARG NPM_TOKEN\nRUN npm ci\n', { NPM_TOKEN: 'hunter2-secret' });
    const token = list.find((i) => i.keyword === 'RUN')?.variables.find((v) => v.name === 'NPM_TOKEN');
    expect(token).toEqual({ name: 'NPM_TOKEN', source: 'build-arg', value: MASKED, fingerprint: 'fp-14' });
    expect(JSON.stringify(list)).not.toContain('hunter2');
  });
});

import {
  DifferentWorkError,
  legacyCreatedImages,
  normalizeInstruction,
  parsePlainProgress,
  requireSameWork,
  sameCount,
  sameSet,
  sameSteps,
  verdictsOfModel,
} from './same-work';

// The shape of `DOCKER_BUILDKIT=1 docker build --progress=plain` (20.10): vertices, logs, ends.
const PLAIN = `#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 1.86kB done
#1 DONE 0.0s

#4 [prod-deps 1/4] FROM docker.io/library/berth-node-base:node-20
#4 DONE 0.0s

#5 [build 2/6] WORKDIR /app
#5 CACHED

#7 [build 4/6] RUN npm ci --no-audit --no-fund
#7 0.512 added 12 packages
#7 DONE 5.2s

#9 exporting to image
#9 DONE 0.1s
`;

describe('parsePlainProgress', () => {
  it('keeps the Dockerfile steps with their verdicts and leaves internal vertices out', () => {
    expect(parsePlainProgress(PLAIN)).toEqual([
      { instruction: 'FROM', verdict: 'built' },
      { instruction: 'WORKDIR /app', verdict: 'cached' },
      { instruction: 'RUN npm ci --no-audit --no-fund', verdict: 'built' },
    ]);
  });

  it('refuses a step that failed or never ended', () => {
    expect(() => parsePlainProgress('#3 [1/2] RUN false\n#3 ERROR: exit code 1\n')).toThrow(/did not finish \(error\)/);
    expect(() => parsePlainProgress('#3 [1/2] RUN sleep 9\n#3 0.1 zzz\n')).toThrow(/no end line/);
  });
});

describe('verdictsOfModel', () => {
  it('maps cached and done steps and refuses any other final state', () => {
    expect(
      verdictsOfModel([
        { instruction: 'FROM ${NODE_IMAGE} AS build', state: 'done' },
        { instruction: 'COPY  src ./src', state: 'cached' },
      ]),
    ).toEqual([
      { instruction: 'FROM', verdict: 'built' },
      { instruction: 'COPY src ./src', verdict: 'cached' },
    ]);
    expect(() => verdictsOfModel([{ instruction: 'RUN x', state: 'queued' }])).toThrow(/ended queued/);
  });

  it('normalizes whitespace and reduces FROM to its keyword', () => {
    expect(normalizeInstruction('  RUN   a\tb ')).toBe('RUN a b');
    expect(normalizeInstruction('FROM node:22 AS x')).toBe('FROM');
  });
});

describe('sameSteps', () => {
  const core = [
    { instruction: 'WORKDIR /app', verdict: 'cached' as const },
    { instruction: 'WORKDIR /app', verdict: 'cached' as const }, // the same step in a second stage
    { instruction: 'RUN npm ci', verdict: 'built' as const },
  ];

  it('accepts the same distinct steps and verdicts, whatever the duplication across stages', () => {
    expect(sameSteps(core, [core[2]!, core[0]!])).toEqual([]);
  });

  it('names every step whose verdict differs or that one side lacks', () => {
    expect(
      sameSteps(core, [
        { instruction: 'WORKDIR /app', verdict: 'cached' },
        { instruction: 'RUN npm ci', verdict: 'cached' },
        { instruction: 'COPY . .', verdict: 'built' },
      ]),
    ).toEqual(['core only: RUN npm ci → built', 'CLI only: RUN npm ci → cached', 'CLI only: COPY . . → built']);
  });

  it('compares the instructions named presence-only by presence, whatever their verdict', () => {
    const from = (verdict: 'cached' | 'built') => [{ instruction: 'FROM', verdict }, core[2]!];
    expect(sameSteps(from('built'), from('cached'), ['a', 'b'], new Set(['FROM']))).toEqual([]);
    expect(sameSteps(from('built'), [core[2]!], ['a', 'b'], new Set(['FROM']))).toEqual(['a only: FROM']);
  });

  it('never takes two empty sides for the same work', () => {
    expect(sameSteps([], [])).toEqual(['core reported no steps', 'CLI reported no steps']);
  });
});

describe('sameCount and sameSet', () => {
  it('reports each side whose count is not the expected one', () => {
    expect(sameCount('lines', { core: 10, CLI: 10 }, 10)).toEqual([]);
    expect(sameCount('lines', { core: 10, CLI: 9 }, 10)).toEqual(['CLI saw 9 lines, expected 10']);
  });

  it('reports missing and unexpected items per side', () => {
    expect(sameSet('events', { core: ['a', 'b'], CLI: ['b', 'a'] }, ['a', 'b'])).toEqual([]);
    expect(sameSet('events', { core: ['a'], CLI: ['a', 'b', 'x'] }, ['a', 'b'])).toEqual([
      'core missed 1 events: b',
      'CLI saw 1 unexpected events: x',
    ]);
  });
});

describe('requireSameWork', () => {
  it('passes on no differences and throws them all otherwise', () => {
    expect(() => requireSameWork('logs', [])).not.toThrow();
    const thrown = (() => {
      try {
        requireSameWork('logs', ['CLI saw 9 lines, expected 10']);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(DifferentWorkError);
    expect((thrown as Error).message).toMatch(/no ratio is reported:\n- CLI saw 9 lines/);
  });
});

describe('legacyCreatedImages', () => {
  it('keeps the images of steps that ran and leaves out cache hits and the base image', () => {
    const output = [
      'Sending build context to Docker daemon  71.7kB',
      'Step 1/4 : FROM base:1',
      ' ---> 1111111111aa',
      'Step 2/4 : WORKDIR /app',
      ' ---> Using cache',
      ' ---> 2222222222bb',
      'Step 3/4 : RUN npm ci',
      ' ---> Running in 9999999999ff',
      'added 3 packages',
      'Removing intermediate container 9999999999ff',
      ' ---> 3333333333cc',
      'Step 4/4 : LABEL a=b',
      ' ---> Running in 8888888888ee',
      ' ---> 4444444444dd',
      'Successfully built 4444444444dd',
    ].join('\n');
    expect(legacyCreatedImages(output)).toEqual(['3333333333cc', '4444444444dd']);
  });
});

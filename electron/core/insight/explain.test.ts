import { describeCause, MASKED, NO_CHANGE_FOUND, type StepState } from '../../contract';
import { planSteps } from '../build/plan';
import type { SnapshotFile } from './copy-sources';
import { type ExplainedBuild, explainMisses } from './explain';
import { stepInputs, withDigests } from './step-inputs';

interface Side {
  source: string;
  buildArgs?: Record<string, string>;
  /** Instruction texts the engine ran (missed the cache); every other layer step was cached. */
  ran?: string[];
  /** Instruction texts that failed, and the ones after them that never ran. */
  failed?: string[];
  notRun?: string[];
  files?: SnapshotFile[];
  digests?: Record<string, string>;
  builder?: 'buildkit' | 'legacy';
  target?: string;
}

let built = 0;
/** A build as the engine would have reported it, with the inputs Berth records. */
function build({
  source,
  buildArgs = {},
  ran = [],
  failed = [],
  notRun = [],
  files = [],
  digests = {},
  builder = 'buildkit',
  target,
}: Side) {
  const plan = planSteps(source, target);
  const steps = plan.map((p) => ({
    id: `${builder}-${p.instruction.legacyNumber}`,
    stage: p.stage?.id ?? null,
    instruction: p.instruction.text,
    state: (failed.includes(p.instruction.text)
      ? 'error'
      : notRun.includes(p.instruction.text)
        ? 'not-run'
        : ran.includes(p.instruction.text)
          ? 'done'
          : p.metadataOnly && builder === 'buildkit'
            ? 'metadata'
            : 'cached') as StepState,
  }));
  const inputs = withDigests(
    stepInputs(source, {
      builder,
      target,
      buildArgs,
      fingerprint: (v) => `fp(${v.length}:${[...v].reverse().join('')})`,
    }),
    new Map(Object.entries(digests)),
  );
  return { buildId: `b${++built}`, steps, inputs, files } satisfies ExplainedBuild;
}

const explain = (previous: Side | null, current: Side, noCache = false) => {
  const now = build(current);
  const result = explainMisses({ ...now, noCache }, previous && build(previous));
  const text = (id: string) => now.steps.find((s) => s.id === id)?.instruction ?? id;
  return {
    result,
    /** Each missed step's instruction with its role and the cause in words. */
    lines: result.steps.map((c) => `${text(c.stepId)} | ${c.role} | ${describeCause(c, text)}`),
  };
};

const file = (path: string, sha256: string, size = 10): SnapshotFile => ({ path, size, mode: 0o644, sha256 });

const NODE = 'ARG NODE_IMAGE=node:22\nFROM ${NODE_IMAGE}\nWORKDIR /app\n';

describe('why a step missed', () => {
  it('names exactly the file that changed, among those the COPY reads; later misses are consequences', () => {
    const source = `${NODE}COPY package.json ./\nRUN npm ci\nCOPY src ./src\nRUN npm test\n`;
    const files = [file('package.json', 'p'), file('src/a.js', 'a'), file('src/b.js', 'b'), file('README', 'r')];
    const edited = files.map((f) => (f.path === 'src/b.js' ? file('src/b.js', 'b2', 14) : f));
    const { result, lines } = explain(
      { source, files },
      { source, files: edited, ran: ['COPY src ./src', 'RUN npm test'] },
    );
    expect(lines).toEqual([
      'COPY src ./src | cause | files changed: modified src/b.js (10 B → 14 B)',
      'RUN npm test | consequence | ran because COPY src ./src missed the cache',
    ]);
    expect(result.steps[0]?.changes).toEqual([
      {
        kind: 'files',
        sources: ['src'],
        added: [],
        removed: [],
        modified: [{ path: 'src/b.js', oldSize: 10, newSize: 14 }],
        counts: { added: 0, removed: 0, modified: 1 },
      },
    ]);
  });

  it('a changed RUN line gives the old and the new text', () => {
    const before = `${NODE}RUN echo one\nRUN echo after\n`;
    const after = `${NODE}RUN echo two\nRUN echo after\n`;
    const { lines } = explain({ source: before }, { source: after, ran: ['RUN echo two', 'RUN echo after'] });
    expect(lines[0]).toBe('RUN echo two | cause | instruction changed: RUN echo one → RUN echo two');
    expect(lines[1]).toMatch(/^RUN echo after \| consequence/);
  });

  it('an added and a removed instruction are named as such', () => {
    const before = `${NODE}RUN a\nRUN b\n`;
    expect(
      explain({ source: before }, { source: `${NODE}RUN a\nRUN new\nRUN b\n`, ran: ['RUN new', 'RUN b'] }).lines[0],
    ).toBe('RUN new | cause | instruction added: RUN new');
    expect(explain({ source: before }, { source: `${NODE}RUN b\n`, ran: ['RUN b'] }).lines[0]).toBe(
      'RUN b | cause | instruction removed: RUN a',
    );
  });

  it('a build arg the RUN sees gives its name and both values; a secret-looking one is masked', () => {
    const source = `${NODE}ARG VERSION=1\nARG API_TOKEN\nRUN echo build\n`;
    const args = (VERSION: string, API_TOKEN: string) => ({ NODE_IMAGE: 'node:22', VERSION, API_TOKEN });
    const version = explain(
      { source, buildArgs: args('1', 'aaaa') },
      { source, buildArgs: args('2', 'aaaa'), ran: ['RUN echo build'] },
    );
    expect(version.lines).toEqual(['RUN echo build | cause | build arg VERSION changed: "1" → "2"']);
    const token = explain(
      { source, buildArgs: args('1', 'aaaa') },
      { source, buildArgs: args('1', 'bbbb'), ran: ['RUN echo build'] },
    );
    expect(token.result.steps[0]?.changes).toEqual([
      { kind: 'variable', name: 'API_TOKEN', source: 'build-arg', old: MASKED, new: MASKED },
    ]);
    expect(JSON.stringify(token.result)).not.toMatch(/aaaa|bbbb/);
  });

  it('an ENV change is named as the variable, with its value expanded, where a RUN uses it', () => {
    const before = `${NODE}ARG MODE=dev\nENV NODE_ENV=$MODE\nCOPY a /a\nRUN start\n`;
    const { lines } = explain({ source: before }, { source: before, buildArgs: { MODE: 'prod' }, ran: ['RUN start'] });
    expect(lines).toEqual([
      'RUN start | cause | build arg MODE changed: "dev" → "prod"; ENV NODE_ENV changed: "dev" → "prod"',
    ]);
  });

  it('a base image whose digest changed is named with both digests, on the first step that missed', () => {
    const source = 'FROM base:1\nRUN x\n';
    const { result, lines } = explain(
      { source, digests: { 'base:1': 'sha256:aaaaaaaaaaaaaaaa' } },
      { source, digests: { 'base:1': 'sha256:bbbbbbbbbbbbbbbb' }, ran: ['RUN x'] },
    );
    expect(result.steps[0]?.changes).toEqual([
      {
        kind: 'base-image',
        oldRef: 'base:1',
        newRef: 'base:1',
        old: 'sha256:aaaaaaaaaaaaaaaa',
        new: 'sha256:bbbbbbbbbbbbbbbb',
      },
    ]);
    expect(lines[0]).toBe('RUN x | cause | base image base:1 changed: aaaaaaaaaaaa → bbbbbbbbbbbb');
  });

  it('a FROM of a local image that BuildKit says ran, with nothing changed, is no miss', () => {
    const source = 'FROM base:1\nRUN x\n';
    const digests = { 'base:1': 'sha256:aaaa' };
    expect(explain({ source, digests }, { source, digests, ran: ['FROM base:1'] }).result.steps).toEqual([]);
    expect(explain(null, { source, digests, ran: ['FROM base:1', 'RUN x'] }).lines).toEqual([
      `RUN x | cause | ${NO_CHANGE_FOUND}`,
    ]);
    const changed = explain(
      { source, digests },
      { source, digests: { 'base:1': 'sha256:bbbb' }, ran: ['FROM base:1', 'RUN x'] },
    );
    expect(changed.lines).toEqual([
      'FROM base:1 | cause | base image base:1 changed: aaaa → bbbb',
      'RUN x | consequence | ran because FROM base:1 missed the cache',
    ]);
  });

  it('a step that failed or never ran in the previous build had nothing cached: said so', () => {
    const source = `${NODE}RUN flaky\nRUN after\n`;
    const { lines } = explain(
      { source, failed: ['RUN flaky'], notRun: ['RUN after'] },
      { source, ran: ['RUN flaky', 'RUN after'] },
    );
    expect(lines).toEqual([
      'RUN flaky | cause | this step failed in the previous build, so nothing was cached for it',
      'RUN after | consequence | ran because RUN flaky missed the cache',
    ]);
  });

  it('finds nothing honestly: no previous build, or the cache was pruned', () => {
    const source = `${NODE}RUN x\n`;
    expect(explain(null, { source, ran: ['RUN x'] }).lines).toEqual([`RUN x | cause | ${NO_CHANGE_FOUND}`]);
    expect(explain({ source }, { source, ran: ['RUN x'] }).lines).toEqual([`RUN x | cause | ${NO_CHANGE_FOUND}`]);
    expect(explain({ source }, { source, ran: ['RUN x'] }, true).lines).toEqual([
      'RUN x | cause | built with "no cache": every step runs',
    ]);
  });

  it('a rebuild with every step cached has no cause at all', () => {
    const source = `${NODE}COPY . .\nRUN x\n`;
    const files = [file('a', '1')];
    expect(explain({ source, files }, { source, files }).result).toEqual({
      previousBuildId: expect.any(String),
      steps: [],
    });
  });

  it('multi-stage: a change in one stage is not blamed on a parallel one; COPY --from follows its stage', () => {
    const source = [
      'FROM base AS web',
      'COPY web ./web',
      'RUN build web',
      'FROM base AS api',
      'COPY api ./api',
      'RUN build api',
      'FROM base',
      'COPY --from=web /out /web',
      'COPY --from=api /out /api',
      'RUN finish',
      '',
    ].join('\n');
    const files = [file('web/a', '1'), file('api/b', '2')];
    const edited = [file('web/a', '1'), file('api/b', '2b')];
    const { result, lines } = explain(
      { source, files },
      { source, files: edited, ran: ['COPY api ./api', 'RUN build api', 'COPY --from=api /out /api', 'RUN finish'] },
    );
    expect(lines).toEqual([
      'COPY api ./api | cause | files changed: modified api/b (10 B → 10 B)',
      'RUN build api | consequence | ran because COPY api ./api missed the cache',
      'COPY --from=api /out /api | consequence | ran because COPY api ./api missed the cache',
      'RUN finish | consequence | ran because COPY api ./api missed the cache',
    ]);
    expect(result.steps.some((c) => c.changes.some((ch) => ch.kind === 'files' && ch.sources.includes('web')))).toBe(
      false,
    );
  });

  it('multi-stage: a stage that missed on its own in parallel gets its own cause', () => {
    const source = 'FROM base AS one\nRUN one\nFROM base AS two\nRUN two\nFROM two\nRUN last\n';
    const { lines } = explain(
      { source },
      {
        source: source.replace('RUN two', 'RUN two v2'),
        ran: ['RUN one', 'RUN two v2', 'RUN last'],
        target: undefined,
      },
    );
    expect(lines).toEqual([
      `RUN one | cause | ${NO_CHANGE_FOUND}`,
      'RUN two v2 | cause | instruction changed: RUN two → RUN two v2',
      'RUN last | consequence | ran because RUN two v2 missed the cache',
    ]);
  });

  it('with the legacy builder, an edited ENV misses at itself and names the variable', () => {
    const before = 'FROM base\nENV A=1\nRUN x\n';
    const { lines } = explain(
      { source: before, builder: 'legacy' },
      { source: 'FROM base\nENV A=2\nRUN x\n', builder: 'legacy', ran: ['ENV A=2', 'RUN x'] },
    );
    expect(lines[0]).toBe('ENV A=2 | cause | instruction changed: ENV A=1 → ENV A=2');
    expect(lines[1]).toMatch(/^RUN x \| consequence/);
  });
});

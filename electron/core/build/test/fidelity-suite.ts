/**
 * Test support: build fidelity, with the docker CLI as the oracle: each Dockerfile in fixtures/fidelity is built by the 20.10
 * CLI and by Berth, with each builder, cold, warm and after editing one copied file. Berth's steps, lines,
 * verdicts, output, failing step and exit code must be what the CLI printed.
 *
 * Cold means a base image no build has used: one is made per side (CLI, Berth) and builder, from the local Node
 * image plus a label and a layer of its own, so each side's first build misses the cache on its own. Everything built from them
 * inherits that label, and is removed by it afterwards. Builds run one at a time (never in parallel).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { TEST_RUN_LABEL } from '../../../../test/test-run-label';
import type { BuildModel, BuildStep } from '../../../contract';
import { startBuild } from '../build';
import { CLI, cliBuild, lineOfText, type OracleBuild, type OracleStep } from './cli-oracle';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fidelity');
const RUN_ID = randomBytes(4).toString('hex');
const LABEL = 'berth.test.fidelity';
/** A whole case (cold, warm, edit, both sides) on this 2-core machine, with room to spare. */
const CASE_TIMEOUT_MS = 240_000;

type BuilderName = 'buildkit' | 'legacy';

interface Case {
  name: string;
  target?: string;
  /** A file the Dockerfile copies: edited (a line appended) before the third build. */
  edit?: string;
  /** What Berth's failure must say when the build fails before any step ran, per builder. */
  failure?: Partial<Record<BuilderName, (source: string) => RegExp[]>>;
}

const lineWith = (source: string, text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

const CASES: Case[] = [
  { name: 'all-instructions', edit: 'app.txt' },
  { name: 'multi-stage-target', target: 'build', edit: 'src.txt' },
  { name: 'multi-stage-final', edit: 'main.txt' },
  { name: 'stage-from-stage', edit: 'deps.txt' },
  { name: 'arg-before-from', edit: 'version.txt' },
  { name: 'continuations', edit: 'notes.txt' },
  { name: 'progress', edit: 'packages.txt' },
  { name: 'fail-both-streams', edit: 'input.txt' },
  {
    name: 'heredoc',
    failure: {
      buildkit: (s) => [new RegExp(`line ${lineWith(s, 'RUN <<')} starts a heredoc`), /BuildKit/],
      legacy: (s) => [new RegExp(`line ${lineWith(s, 'RUN <<')} starts a heredoc`), /BuildKit/],
    },
  },
  {
    name: 'syntax-offline',
    failure: {
      buildkit: (s) => [
        new RegExp(`directive on line ${lineWith(s, '# syntax=')}`),
        /docker\/dockerfile:1\.4/,
        /Remove line/,
      ],
    },
  },
  {
    name: 'missing-base',
    failure: {
      buildkit: (s) => [
        new RegExp(`berth-fidelity-missing-base:never \\(FROM on line ${lineWith(s, 'FROM berth-fidelity-missing')}`),
      ],
      legacy: (s) => [
        new RegExp(`berth-fidelity-missing-base:never \\(FROM on line ${lineWith(s, 'FROM berth-fidelity-missing')}`),
      ],
    },
  },
  {
    name: 'missing-target',
    target: 'nope',
    failure: {
      buildkit: () => [/no stage named "nope"/, /first, second/],
      legacy: () => [/no stage named "nope"/, /first, second/],
    },
  },
];

/**
 * The cases in two groups of about the same length, one test file each, so that `npm test` can run them in two
 * lanes at once. Each group builds from bases of its own (a run id per file), so the two never share a build.
 */
export const FIDELITY_GROUPS = {
  stages: ['multi-stage-target', 'multi-stage-final', 'stage-from-stage', 'arg-before-from', 'missing-target'],
  instructions: [
    'all-instructions',
    'continuations',
    'progress',
    'fail-both-streams',
    'heredoc',
    'syntax-offline',
    'missing-base',
  ],
} as const;

const grouped = Object.values(FIDELITY_GROUPS).flat() as string[];
if (grouped.length !== CASES.length || CASES.some((c) => !grouped.includes(c.name))) {
  throw new Error('Every fidelity case belongs to exactly one group in FIDELITY_GROUPS');
}

/** Defines the fidelity tests of one group (the caller is its test file). */
export function fidelitySuite(group: keyof typeof FIDELITY_GROUPS): void {
  const cases = CASES.filter((c) => (FIDELITY_GROUPS[group] as readonly string[]).includes(c.name));
  const docker = new Dockerode();
  const engine = { docker, endpoint: 'unix:///var/run/docker.sock' };
  const bases = new Map<string, string>();
  const dirs: string[] = [];
  /** Legacy rows (text and line) as the CLI printed them, per case: BuildKit must give the same rows. */
  const legacyRows = new Map<string, string[]>();
  const baseOf = (side: 'cli' | 'berth', builder: BuilderName): string => bases.get(`${side}-${builder}`) ?? '';

  beforeAll(() => {
    for (const side of ['cli', 'berth'] as const) {
      for (const builder of ['buildkit', 'legacy'] as const) {
        const name = `berth-test-fidelity-base:${RUN_ID}-${side}-${builder}`;
        execFileSync(CLI, ['build', '-q', '-t', name, '-'], {
          // a layer of its own: BuildKit keys a base image's cache on its layers, not on its configuration
          input: `FROM ${inject('nodeImage')}\nLABEL ${LABEL}=${RUN_ID} ${TEST_RUN_LABEL}=${inject('testRun')}\nRUN echo ${RUN_ID}-${side}-${builder} > /etc/berth-fidelity-base\n`,
          env: { ...process.env, DOCKER_BUILDKIT: '0' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        bases.set(`${side}-${builder}`, name);
      }
    }
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    // containers of failed RUNs carry their image's labels
    const containers = execFileSync(CLI, ['container', 'ls', '-a', '-q', '--filter', `label=${LABEL}=${RUN_ID}`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    if (containers.length) execFileSync(CLI, ['rm', '-f', ...containers], { stdio: 'pipe' });
    const ids = execFileSync(CLI, ['image', 'ls', '-a', '-q', '--filter', `label=${LABEL}=${RUN_ID}`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    const tagged = execFileSync(CLI, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
      .split('\n')
      .filter((ref) => ref.startsWith('berth-test-fidelity-') && ref.includes(RUN_ID));
    const remove = [...new Set([...tagged, ...ids])];
    if (remove.length) {
      try {
        execFileSync(CLI, ['rmi', '-f', ...remove], { stdio: 'pipe' });
      } catch {
        // an id already gone with its tag is not an error
      }
    }
  });

  function copyCase(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `berth-fidelity-${name}-`));
    cpSync(join(FIXTURES, name), dir, { recursive: true });
    dirs.push(dir);
    return dir;
  }

  /** What a terminal shows of a line redrawn with carriage returns. */
  const shown = (text: string): string => text.slice(text.lastIndexOf('\r') + 1);
  /**
   * A step's output lines, sorted: stdout and stderr travel apart from the container, so their interleaving is
   * not the same from one build to the next (and the CLI does not say which stream a line came from).
   */
  const outputOf = (step: BuildStep | undefined): string[] => (step?.logs ?? []).map((l) => shown(l.text)).sort();
  const sorted = (lines: string[]): string[] => [...lines].sort();
  /**
   * BuildKit's verdict on a FROM of a local image is CACHED or DONE from one build to the next, the same image
   * and cache notwithstanding (seen with the CLI alone): either means the image was used without a pull.
   */
  const LOCAL_BASE = ['cached', 'done'];
  const failingStep = (model: BuildModel): BuildStep | null =>
    model.steps.find((s) => s.id === model.failure?.stepId) ?? null;

  function compareLegacy(where: string, source: string, oracle: OracleBuild, model: BuildModel): void {
    let from = 1;
    for (const o of oracle.steps) {
      const step = model.steps[o.number - 1];
      const line = lineOfText(source, o.text, from);
      from = (line ?? from) + 1;
      expect(
        { text: step?.instruction, line: step?.line, verdict: step?.state },
        `${where}: Step ${o.number} (${o.text})`,
      ).toEqual({ text: o.text, line, verdict: o.verdict });
      expect(outputOf(step), `${where}: output of Step ${o.number}`).toEqual(sorted(o.output));
    }
    const printed = oracle.steps.at(-1)?.number ?? 0;
    expect(
      model.steps.slice(printed).map((s) => s.state),
      `${where}: rows the CLI never printed did not run`,
    ).toEqual(model.steps.slice(printed).map(() => 'not-run'));
    expect(failingStep(model)?.id ?? null, `${where}: failing step`).toBe(
      oracle.failing ? `legacy-${oracle.failing.number}` : null,
    );
  }

  function compareBuildKit(where: string, oracle: OracleBuild, model: BuildModel): void {
    const lastStage = model.steps.filter((s) => s.stage !== null && s.state !== 'not-run').at(-1)?.stage ?? null;
    const rowOf = (o: OracleStep): BuildStep | undefined =>
      model.steps.filter((s) => s.stage === (o.stage ?? lastStage) && !s.metadataOnly)[o.number - 1];
    const seen = new Map<BuildStep, OracleStep>();
    for (const o of oracle.steps) {
      const step = rowOf(o);
      expect(step, `${where}: a row for [${o.stage ?? ''} ${o.number}] ${o.text}`).toBeDefined();
      if (!step) continue;
      seen.set(step, o);
      const keyword = (t: string) => t.split(/\s/)[0]?.toUpperCase();
      expect(keyword(step.instruction), `${where}: [${o.stage} ${o.number}]`).toBe(keyword(o.text));
      // BuildKit prints FROM as the resolved image, and expands variables: compare the text where it cannot differ
      if (!step.instruction.startsWith('FROM') && !step.instruction.includes('$'))
        expect(step.instruction, where).toBe(o.text);
      if (o.text.startsWith('FROM') && LOCAL_BASE.includes(o.verdict))
        expect(LOCAL_BASE, `${where}: verdict of ${o.text}`).toContain(step.state);
      else expect(step.state, `${where}: verdict of ${o.text}`).toBe(o.verdict);
      expect(outputOf(step), `${where}: output of ${o.text}`).toEqual(sorted(o.output));
    }
    const stagesSeen = new Set([...seen.keys()].map((s) => s.stage));
    for (const step of model.steps.filter((s) => !seen.has(s))) {
      const label = `${where}: ${step.stage} line ${step.line} ${step.instruction}`;
      if (step.metadataOnly) {
        const applies = step.stage === null ? oracle.steps.length > 0 : stagesSeen.has(step.stage);
        if (model.state === 'succeeded' && applies) expect(step.state, label).toBe('metadata');
        else expect(['metadata', 'not-run'], label).toContain(step.state);
        continue;
      }
      // BuildKit runs an identical step once, under the first name: the twin shows that verdict.
      const bare = (text: string) => text.replace(/^(FROM\s.*?)\s+AS\s+\S+$/i, '$1');
      const twin = [...seen].find(([row]) => bare(row.instruction) === bare(step.instruction));
      if (twin && stagesSeen.has(step.stage)) expect(step.state, label).toBe(twin[0].state);
      else expect(step.state, label).toBe('not-run');
    }
    const failing = oracle.failing ? rowOf(oracle.failing) : undefined;
    expect(failingStep(model)?.id ?? null, `${where}: failing step`).toBe(failing?.id ?? null);
  }

  describe.each(['legacy', 'buildkit'] as const)('fidelity to the docker CLI, %s builder', (builder) => {
    it.each(cases)('$name', { timeout: CASE_TIMEOUT_MS }, async (c) => {
      const source = readFileSync(join(FIXTURES, c.name, 'Dockerfile'), 'utf8');
      const cliDir = copyCase(c.name);
      const berthDir = copyCase(c.name);
      const runs = c.edit ? (['cold', 'warm', 'edit'] as const) : (['cold'] as const);
      for (const run of runs) {
        const where = `${c.name} (${builder}, ${run})`;
        if (run === 'edit' && c.edit) {
          for (const dir of [cliDir, berthDir]) appendFileSync(join(dir, c.edit), `edited in run ${RUN_ID}\n`);
        }
        const tag = `berth-test-fidelity-${c.name}:${RUN_ID}`;
        const oracle = await cliBuild({
          builder,
          contextDir: cliDir,
          buildArgs: { BASE: baseOf('cli', builder) },
          ...(c.target && { target: c.target }),
          tag: `${tag}-cli-${builder}`,
        });
        const model = await startBuild(engine, {
          contextDir: berthDir,
          builder,
          buildArgs: { BASE: baseOf('berth', builder) },
          ...(c.target && { target: c.target }),
          tags: [`${tag}-berth-${builder}`],
        }).done;

        expect(model.builder).toBe(builder);
        expect(model.state, `${where}: the CLI said\n${oracle.text}`).toBe(
          oracle.status === 0 ? 'succeeded' : 'failed',
        );
        expect(model.failure?.exitCode ?? null, `${where}: exit code`).toBe(oracle.commandExit);
        expect(
          model.steps.filter((s) => s.state === 'queued' || s.state === 'running'),
          where,
        ).toEqual([]);
        if (builder === 'legacy') compareLegacy(where, source, oracle, model);
        else compareBuildKit(where, oracle, model);

        const rows = model.steps.map((s) => `${s.stage} ${s.line} ${s.instruction}`);
        if (builder === 'legacy' && oracle.status === 0) legacyRows.set(c.name, rows);
        if (builder === 'buildkit' && legacyRows.has(c.name))
          expect(rows, `${where}: the same rows as the legacy builder`).toEqual(legacyRows.get(c.name));

        const expected = c.failure?.[builder]?.(source);
        if (expected) {
          expect(model.failure?.stepId === null || failingStep(model)?.instruction.startsWith('FROM'), where).toBe(
            true,
          );
          for (const pattern of expected)
            expect(`${model.failure?.message} ${model.failure?.fix}`, where).toMatch(pattern);
        }
      }
    });
  });
}

/**
 * Before a benchmark reports a ratio, both sides must have done the same work: the same build steps with the
 * same cache verdicts, the same number of log lines, the same events. These checks are pure; each returns the
 * differences it found (none when the work was the same), and `requireSameWork` turns differences into a failure.
 */

export type Verdict = 'cached' | 'built';

/** One build step as both sides can see it: the instruction (FROM reduced to its keyword) and its cache verdict. */
export interface StepVerdict {
  instruction: string;
  verdict: Verdict;
}

export class DifferentWorkError extends Error {
  constructor(
    readonly what: string,
    readonly differences: string[],
  ) {
    super(`${what}: the two sides did not do the same work, so no ratio is reported:\n- ${differences.join('\n- ')}`);
    this.name = 'DifferentWorkError';
  }
}

export function requireSameWork(what: string, differences: string[]): void {
  if (differences.length > 0) throw new DifferentWorkError(what, differences);
}

/**
 * The instruction in one canonical form: whitespace collapsed, and FROM reduced to "FROM" (the Dockerfile says
 * `FROM ${NODE_IMAGE} AS x`, BuildKit names the resolved image).
 */
export function normalizeInstruction(text: string): string {
  const collapsed = text.trim().replace(/\s+/g, ' ');
  return /^FROM\b/i.test(collapsed) ? 'FROM' : collapsed;
}

/**
 * The Dockerfile steps in `docker build --progress=plain` output (BuildKit): vertices named `[stage i/n] INSTR`
 * and their end, `#N CACHED` or `#N DONE t`. Internal vertices (context, metadata, export) are left out.
 * A vertex that never ended (an error) makes the parse throw: that is not a build to compare.
 */
export function parsePlainProgress(output: string): StepVerdict[] {
  const names = new Map<string, string>();
  const ends = new Map<string, Verdict | 'error'>();
  for (const line of output.split(/\r?\n/)) {
    const named = /^#(\d+) \[[^\]]*?\d+\/\d+\] (.+)$/.exec(line);
    if (named && !names.has(named[1]!)) {
      names.set(named[1]!, named[2]!);
      continue;
    }
    const end = /^#(\d+) (CACHED|DONE|ERROR)\b/.exec(line);
    if (end) ends.set(end[1]!, end[2] === 'CACHED' ? 'cached' : end[2] === 'DONE' ? 'built' : 'error');
  }
  const steps: StepVerdict[] = [];
  for (const [vertex, name] of names) {
    const end = ends.get(vertex);
    if (end === undefined || end === 'error')
      throw new Error(`step "${name}" did not finish (${end ?? 'no end line'})`);
    steps.push({ instruction: normalizeInstruction(name), verdict: end });
  }
  return steps;
}

/** Berth's build model steps (contract BuildStep) as verdicts; a step in any state but cached/done is an error. */
export function verdictsOfModel(steps: readonly { instruction: string; state: string }[]): StepVerdict[] {
  return steps.map((step) => {
    if (step.state !== 'cached' && step.state !== 'done') {
      throw new Error(`step "${step.instruction}" ended ${step.state}`);
    }
    return {
      instruction: normalizeInstruction(step.instruction),
      verdict: step.state === 'cached' ? 'cached' : 'built',
    };
  });
}

/**
 * Compares the distinct (instruction, verdict) pairs of both sides. Distinct, because BuildKit runs an
 * identical step of two stages once (one vertex) while a step model lists it in each stage; both stages then
 * share its verdict. An instruction with different verdicts on one side is kept as two pairs and compared as such.
 * Instructions in `presenceOnly` are compared by presence, whatever their verdict.
 */
export function sameSteps(
  a: readonly StepVerdict[],
  b: readonly StepVerdict[],
  names = ['core', 'CLI'],
  presenceOnly: ReadonlySet<string> = new Set(),
): string[] {
  const key = (s: StepVerdict) => (presenceOnly.has(s.instruction) ? s.instruction : `${s.instruction} → ${s.verdict}`);
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  const differences: string[] = [];
  if (left.size === 0) differences.push(`${names[0]} reported no steps`);
  if (right.size === 0) differences.push(`${names[1]} reported no steps`);
  for (const k of left) if (!right.has(k)) differences.push(`${names[0]} only: ${k}`);
  for (const k of right) if (!left.has(k)) differences.push(`${names[1]} only: ${k}`);
  return differences;
}

/** Both counts must be the expected one (e.g. log lines read against lines printed). */
export function sameCount(what: string, counts: Record<string, number>, expected: number): string[] {
  return Object.entries(counts)
    .filter(([, count]) => count !== expected)
    .map(([side, count]) => `${side} saw ${count} ${what}, expected ${expected}`);
}

/** Both sides must have seen exactly the expected items (e.g. the names of the containers whose start they timed). */
export function sameSet(what: string, sides: Record<string, Iterable<string>>, expected: Iterable<string>): string[] {
  const want = new Set(expected);
  const differences: string[] = [];
  for (const [side, items] of Object.entries(sides)) {
    const got = new Set(items);
    const missing = [...want].filter((x) => !got.has(x));
    const extra = [...got].filter((x) => !want.has(x));
    if (missing.length) differences.push(`${side} missed ${missing.length} ${what}: ${missing.slice(0, 5).join(', ')}`);
    if (extra.length)
      differences.push(`${side} saw ${extra.length} unexpected ${what}: ${extra.slice(0, 5).join(', ')}`);
  }
  return differences;
}

/**
 * The images a legacy (`DOCKER_BUILDKIT=0`) build created itself, from its output: the ` ---> <id>` after each
 * step that ran, not the ones after ` ---> Using cache` or FROM (those existed already and may belong to anyone).
 * Intermediate images of earlier stages are no parents of the final image, so removing it leaves them behind.
 */
export function legacyCreatedImages(output: string): string[] {
  const created: string[] = [];
  let cached = false;
  for (const line of output.split(/\r?\n/)) {
    const step = /^Step \d+\/\d+ : (\S+)/.exec(line);
    if (step)
      cached = /^FROM$/i.test(step[1]!); // FROM names an existing image: nothing was created
    else if (/^ ---> Using cache/.test(line)) cached = true;
    else {
      const id = /^ ---> ([0-9a-f]{12,64})\s*$/.exec(line)?.[1];
      if (id && !cached) created.push(id);
    }
  }
  return created;
}

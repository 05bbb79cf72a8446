/**
 * Reads a Dockerfile into its instructions and stages, and into the plan of steps both builders report:
 * the instructions that make a BuildKit vertex (FROM, RUN, COPY, ADD, WORKDIR) in the stages the target needs.
 */

export interface DockerfileInstruction {
  /** 1-based line of the instruction's first physical line. */
  line: number;
  keyword: string;
  /** The instruction as the builders print it: continuations joined, comments left out. */
  text: string;
  /** The text after the keyword. */
  args: string;
  /** Index of its stage (-1 for the global ARGs before the first FROM). */
  stage: number;
  /** The legacy builder's `Step n`: every instruction counts, the global ARGs too. */
  legacyNumber: number;
}

export interface DockerfileStage {
  index: number;
  /** The `AS name`, or `stage-<index>` as BuildKit names unnamed stages. */
  name: string;
  base: string;
  instructions: DockerfileInstruction[];
}

export interface PlannedStep {
  instruction: DockerfileInstruction;
  stage: DockerfileStage;
  /** BuildKit's `[stage i/n]` position: FROM is 1, then each vertex-making instruction of the stage. */
  position: number;
  /** Equal for steps BuildKit merges into one vertex (same base and same file-system steps so far). */
  chainKey: string;
}

const VERTEX_KEYWORDS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'WORKDIR']);

/** Splits a Dockerfile into instructions: handles the escape directive, continuations and comments. */
export function parseInstructions(source: string): DockerfileInstruction[] {
  const lines = source.split(/\r?\n/);
  const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(lines[0] ?? '');
  const escapeChar = directive?.[1] ?? '\\';
  const continued = new RegExp(`${escapeChar === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const instructions: DockerfileInstruction[] = [];
  let stage = -1;
  let i = 0;
  while (i < lines.length) {
    const first = (lines[i] ?? '').trim();
    const line = i + 1;
    i++;
    if (first === '' || first.startsWith('#')) continue;
    let text = first;
    while (continued.test(text) && i < lines.length) {
      text = text.replace(continued, '');
      const next = lines[i] ?? '';
      i++;
      if (next.trim().startsWith('#') || next.trim() === '') {
        text += escapeChar; // comment and empty lines inside a continuation are skipped
        continue;
      }
      text += next.replace(/\s+$/, '');
    }
    text = text.replace(continued, '');
    const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
    const keyword = (match?.[1] ?? '').toUpperCase();
    if (keyword === 'FROM') stage++;
    instructions.push({
      line,
      keyword,
      text: `${keyword} ${match?.[2] ?? ''}`.trim(),
      args: match?.[2] ?? '',
      stage,
      legacyNumber: instructions.length + 1,
    });
  }
  return instructions;
}

/** Groups the instructions into stages. */
export function parseStages(source: string): DockerfileStage[] {
  const stages: DockerfileStage[] = [];
  for (const instruction of parseInstructions(source)) {
    if (instruction.stage < 0) continue;
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args.split(/\s+/);
      const named = as?.toUpperCase() === 'AS' && name ? name.toLowerCase() : undefined;
      stages.push({ index: instruction.stage, name: named ?? `stage-${instruction.stage}`, base, instructions: [] });
    }
    stages[instruction.stage]?.instructions.push(instruction);
  }
  return stages;
}

/** The stages the target (or the last stage) needs, through `FROM <stage>` and `COPY --from=<stage>`. */
export function neededStages(stages: DockerfileStage[], target?: string): Set<number> {
  const find = (ref: string): DockerfileStage | undefined =>
    stages.find((s) => s.name === ref.toLowerCase()) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
  const last = target ? find(target) : stages[stages.length - 1];
  const needed = new Set<number>();
  const visit = (stage: DockerfileStage | undefined): void => {
    if (!stage || needed.has(stage.index)) return;
    needed.add(stage.index);
    visit(stages.find((s) => s.name === stage.base.toLowerCase() && s.index < stage.index));
    for (const instruction of stage.instructions) {
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (from && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) visit(find(from));
    }
  };
  visit(last);
  return needed;
}

/** The steps both builders report for this Dockerfile and target, in Dockerfile order. */
export function planSteps(source: string, target?: string): PlannedStep[] {
  const stages = parseStages(source);
  const needed = neededStages(stages, target);
  const steps: PlannedStep[] = [];
  for (const stage of stages) {
    if (!needed.has(stage.index)) continue;
    let position = 0;
    let chainKey = '';
    for (const instruction of stage.instructions) {
      if (!VERTEX_KEYWORDS.has(instruction.keyword)) continue;
      position++;
      chainKey += `\n${instruction.keyword === 'FROM' ? `FROM ${stage.base}` : instruction.text}`;
      steps.push({ instruction, stage, position, chainKey });
    }
  }
  return steps;
}

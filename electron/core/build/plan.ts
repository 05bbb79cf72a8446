/**
 * The plan of steps both builders report for a Dockerfile and target: one step per instruction of the stages
 * up to the target (the legacy builder runs them all, in order), with where each builder names it.
 */
import {
  type DockerfileInstruction,
  type DockerfileStage,
  findStage,
  METADATA_KEYWORDS,
  parseDockerfile,
} from '../dockerfile';

export interface PlannedStep {
  instruction: DockerfileInstruction;
  /** Null for the global ARGs before the first FROM. */
  stage: DockerfileStage | null;
  /** Changes only the image configuration: no layer, and no BuildKit vertex (BuildKit never reports it). */
  metadataOnly: boolean;
  /** BuildKit's `[stage i/n]` position (FROM of an image is 1, then each layer step); null for metadata steps. */
  position: number | null;
  /** BuildKit builds this stage for the target (it skips the stages the target does not need). */
  neededByBuildKit: boolean;
  /**
   * Equal for steps BuildKit may merge into one vertex (same base and same layer steps so far). Only used for
   * steps the engine never named, so metadata that would keep two vertexes apart is left out.
   */
  chainKey: string;
  /**
   * Indexes (in the plan) of the steps whose results BuildKit feeds into this one: the step before it in its
   * stage, the last step of the stage a `FROM <stage>`, `COPY|ADD --from=<stage>` or `RUN --mount=from=<stage>`
   * names. Empty for a FROM of an image and the global ARGs.
   */
  dependsOn: number[];
}

/** The stages the target (or the last stage) needs, through `FROM <stage>`, `COPY|ADD --from=<stage>` and `RUN --mount=from=<stage>`. */
export function neededStages(stages: DockerfileStage[], target?: string): Set<number> {
  const last = target ? findStage(stages, target) : stages[stages.length - 1];
  const needed = new Set<number>();
  const visit = (stage: DockerfileStage | undefined): void => {
    if (!stage || needed.has(stage.index)) return;
    needed.add(stage.index);
    const base = findStage(stages, stage.base);
    if (base && base.index < stage.index) visit(base);
    for (const instruction of stage.instructions) {
      for (const ref of stageRefsOf(instruction)) visit(findStage(stages, ref));
    }
  };
  visit(last);
  return needed;
}

/** Every step of this Dockerfile and target, in Dockerfile order. */
export function planSteps(source: string, target?: string): PlannedStep[] {
  const { instructions, stages } = parseDockerfile(source);
  const needed = neededStages(stages, target);
  const targetStage = target ? findStage(stages, target) : undefined;
  const lastStage = targetStage?.index ?? stages.length - 1;
  const steps: PlannedStep[] = instructions
    .filter((i) => i.stage < 0)
    .map((instruction) => ({
      instruction,
      stage: null,
      metadataOnly: true,
      position: null,
      neededByBuildKit: true,
      chainKey: '',
      dependsOn: [],
    }));
  /** Plan index of each stage's last step, filled as stages are planned (a stage can only use earlier ones). */
  const lastOfStage = new Map<number, number>();
  const stageInputs = (ref: string): number[] => {
    const input = findStage(stages, ref);
    const last = input ? lastOfStage.get(input.index) : undefined;
    return last === undefined ? [] : [last];
  };
  for (const stage of stages.slice(0, lastStage + 1)) {
    let position = 0;
    let chainKey = '';
    // `FROM <earlier stage>` starts from that stage's result: BuildKit gives it no vertex of its own (the
    // stage's first step is `[name 1/n]` after it) and it adds no layer, so it is planned as metadata.
    const base = findStage(stages, stage.base);
    const fromEarlierStage = base !== undefined && base.index < stage.index;
    for (const [n, instruction] of stage.instructions.entries()) {
      const dependsOn = n === 0 ? stageInputs(stage.base) : [steps.length - 1];
      for (const ref of stageRefsOf(instruction)) dependsOn.push(...stageInputs(ref));
      const metadataOnly =
        METADATA_KEYWORDS.has(instruction.keyword) || (instruction.keyword === 'FROM' && fromEarlierStage);
      if (!metadataOnly) {
        position++;
        chainKey += `\n${instruction.keyword === 'FROM' ? `FROM ${stage.base}` : instruction.text}`;
      }
      steps.push({
        instruction,
        stage,
        metadataOnly,
        position: metadataOnly ? null : position,
        neededByBuildKit: needed.has(stage.index),
        chainKey: metadataOnly ? '' : chainKey,
        dependsOn: [...new Set(dependsOn)],
      });
    }
    lastOfStage.set(stage.index, steps.length - 1);
  }
  return steps;
}

/** The stages (or images) an instruction reads from besides its own stage: `--from=` of COPY/ADD, `from=` of RUN mounts. */
function stageRefsOf(instruction: DockerfileInstruction): string[] {
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
    const from = /(?:^|\s)--from=(\S+)/.exec(instruction.args)?.[1];
    return from ? [from] : [];
  }
  if (instruction.keyword !== 'RUN') return [];
  return [...instruction.args.matchAll(/(?:^|\s)--mount=(\S+)/g)].flatMap(
    (mount) => /(?:^|,)from=([^,]+)/.exec(mount[1] ?? '')?.slice(1) ?? [],
  );
}

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
}

/** The stages the target (or the last stage) needs, through `FROM <stage>` and `COPY|ADD --from=<stage>`. */
export function neededStages(stages: DockerfileStage[], target?: string): Set<number> {
  const last = target ? findStage(stages, target) : stages[stages.length - 1];
  const needed = new Set<number>();
  const visit = (stage: DockerfileStage | undefined): void => {
    if (!stage || needed.has(stage.index)) return;
    needed.add(stage.index);
    const base = findStage(stages, stage.base);
    if (base && base.index < stage.index) visit(base);
    for (const instruction of stage.instructions) {
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (from && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) visit(findStage(stages, from));
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
    }));
  for (const stage of stages.slice(0, lastStage + 1)) {
    let position = 0;
    let chainKey = '';
    // `FROM <earlier stage>` starts from that stage's result: BuildKit gives it no vertex of its own (the
    // stage's first step is `[name 1/n]` after it) and it adds no layer, so it is planned as metadata.
    const base = findStage(stages, stage.base);
    const fromEarlierStage = base !== undefined && base.index < stage.index;
    for (const instruction of stage.instructions) {
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
      });
    }
  }
  return steps;
}

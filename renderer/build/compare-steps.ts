import { alignByKey, type BuildModel, type BuildStep } from '../../electron/contract';
import { groupByStage } from './build-stats';

export interface ComparedRow {
  stage: string | null;
  left: BuildStep | null;
  right: BuildStep | null;
}

/**
 * The steps of two builds side by side: stage by stage (the right build's order, then stages only the left
 * one has), and within a stage paired by instruction text, so an added, removed or edited line shows as a row
 * with one side empty instead of shifting every row after it.
 */
export function compareSteps(left: Pick<BuildModel, 'steps'>, right: Pick<BuildModel, 'steps'>): ComparedRow[] {
  const leftGroups = new Map(groupByStage(left.steps).map((g) => [g.stage, g.steps]));
  const rightGroups = groupByStage(right.steps);
  const stages = [
    ...rightGroups.map((g) => g.stage),
    ...[...leftGroups.keys()].filter((s) => !rightGroups.some((g) => g.stage === s)),
  ];
  const rightSteps = new Map(rightGroups.map((g) => [g.stage, g.steps]));
  return stages.flatMap((stage) =>
    alignByKey(
      leftGroups.get(stage) ?? [],
      rightSteps.get(stage) ?? [],
      (s) => s.instruction,
      (s) => s.instruction,
    ).map(([l, r]) => ({ stage, left: l, right: r })),
  );
}

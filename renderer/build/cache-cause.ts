import { type BuildModel, describeCause } from '../../electron/contract';

export interface StepCauseText {
  role: 'cause' | 'consequence';
  text: string;
}

/** A step as a cause names it: its Dockerfile line and instruction. */
export function stepLabel(model: Pick<BuildModel, 'steps'>, stepId: string): string {
  const step = model.steps.find((s) => s.id === stepId);
  if (!step) return stepId;
  return step.line === null ? step.instruction : `line ${step.line} (${step.instruction})`;
}

/** Why each step of the build missed the cache, in words, by step id; empty when the build has no explanation. */
export function causeTexts(model: Pick<BuildModel, 'steps' | 'cacheCauses'>): Map<string, StepCauseText> {
  const texts = new Map<string, StepCauseText>();
  for (const cause of model.cacheCauses?.steps ?? []) {
    texts.set(cause.stepId, { role: cause.role, text: describeCause(cause, (id) => stepLabel(model, id)) });
  }
  return texts;
}

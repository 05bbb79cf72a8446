import { useState } from 'react';
import type { BuildModel } from '../../electron/contract';
import { BuildStepRow } from './BuildStepRow';
import { FINAL_STAGE, groupByStage } from './build-stats';

const stageTitle = (stage: string | null): string =>
  stage === null ? 'Setup and context' : stage === FINAL_STAGE ? 'Final stage' : `Stage ${stage}`;

/**
 * The Dockerfile as the build saw it: instructions grouped by stage with their line numbers, each
 * annotated live. A failed step opens by itself.
 */
export function DockerfileSteps({ model, now }: { model: BuildModel; now: number }) {
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const failingId = model.failure?.stepId ?? model.steps.find((s) => s.state === 'error')?.id ?? null;
  const groups = groupByStage(model.steps);
  if (model.steps.length === 0) {
    return <p className="muted">Waiting for the first step…</p>;
  }
  return (
    <section aria-label="Build steps" className="dockerfile-steps">
      {groups.map((group) => (
        <section key={group.stage ?? '(setup)'} className="stage" aria-label={stageTitle(group.stage)}>
          <h4 className="stage-name">{stageTitle(group.stage)}</h4>
          <ol className="step-list">
            {group.steps.map((step) => {
              const isFailing = step.id === failingId;
              const expanded = toggled[step.id] ?? isFailing;
              return (
                <BuildStepRow
                  key={step.id}
                  step={step}
                  now={now}
                  expanded={expanded}
                  exitCode={isFailing ? (model.failure?.exitCode ?? null) : undefined}
                  onToggle={() => setToggled((t) => ({ ...t, [step.id]: !expanded }))}
                />
              );
            })}
          </ol>
        </section>
      ))}
    </section>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { BuildModel } from '../../electron/contract';
import { BuildStepRow } from './BuildStepRow';
import { GLOBAL_STAGE, groupByStage } from './build-stats';
import { causeTexts } from './cache-cause';

const stageTitle = (stage: string | null): string =>
  stage === null ? 'Setup and context' : stage === GLOBAL_STAGE ? 'Before the first FROM' : `Stage ${stage}`;

/**
 * The Dockerfile as the build saw it: instructions grouped by stage with their line numbers, each
 * annotated live. A failed step opens by itself.
 */
export function DockerfileSteps({
  model,
  now,
  open,
  onDebug,
}: {
  model: BuildModel;
  now: number;
  /** Offered on the failed step of a failed build: opens a debug shell before it. */
  onDebug?: (stepId: string) => void;
  /** A step to open, scroll to and focus (from a click on its line in the Dockerfile text); `seq` repeats it. */
  open?: { stepId: string; seq: number } | null;
}) {
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!open) return;
    setToggled((t) => ({ ...t, [open.stepId]: true }));
    const toggle = [...(section.current?.querySelectorAll<HTMLButtonElement>('button[aria-controls]') ?? [])].find(
      (b) => b.getAttribute('aria-controls') === `step-logs-${open.stepId}`,
    );
    toggle?.scrollIntoView?.({ block: 'center' });
    toggle?.focus();
  }, [open]);
  const failingId = model.failure?.stepId ?? model.steps.find((s) => s.state === 'error')?.id ?? null;
  const groups = groupByStage(model.steps);
  const causes = causeTexts(model);
  if (model.steps.length === 0) {
    return <p className="muted">Waiting for the first step…</p>;
  }
  return (
    <section aria-label="Build steps" className="dockerfile-steps" ref={section}>
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
                  cause={causes.get(step.id)}
                  onToggle={() => setToggled((t) => ({ ...t, [step.id]: !expanded }))}
                  {...(onDebug &&
                    model.state === 'failed' &&
                    step.state === 'error' && { onDebug: () => onDebug(step.id) })}
                />
              );
            })}
          </ol>
        </section>
      ))}
    </section>
  );
}

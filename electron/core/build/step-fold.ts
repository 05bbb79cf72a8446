/**
 * Folds build events from either builder into one list of Dockerfile steps (the contract's BuildStep),
 * seeded from the Dockerfile plan so both builders give the same steps, lines and cache states.
 */
import { type BuildStep, type LogLine, queuedStep } from '../../contract';
import type { BuildEvent, StepRef } from './build-event';
import type { PlannedStep } from './dockerfile';

export const LOG_TAIL = 500;

interface StepSlot {
  plan: PlannedStep;
  step: BuildStep;
  partial: { stdout: string; stderr: string };
  touched: boolean;
}

export interface FoldOptions {
  builder: 'buildkit' | 'legacy';
  noCache: boolean;
  logTail?: number;
}

export class StepFold {
  readonly warnings: string[] = [];
  imageId: string | null = null;
  error: { message: string; exitCode: number | null; stepId: string | null } | null = null;
  private readonly slots: StepSlot[];
  private readonly lastStage: string | null;

  constructor(
    plan: PlannedStep[],
    private readonly options: FoldOptions,
  ) {
    this.slots = plan.map((p, index) => ({
      plan: p,
      touched: false,
      partial: { stdout: '', stderr: '' },
      step: queuedStep({
        id:
          options.builder === 'legacy'
            ? `legacy-${p.instruction.legacyNumber}`
            : `buildkit-${p.stage.name}-${p.position}`,
        index,
        stage: p.stage.name,
        instruction: p.instruction.text,
        line: p.instruction.line,
      }),
    }));
    this.lastStage = plan[plan.length - 1]?.stage.name ?? null;
  }

  steps(): BuildStep[] {
    return this.slots.map((s) => ({ ...s.step, logs: [...s.step.logs] }));
  }

  /** Applies one event; returns whether the model changed. */
  apply(event: BuildEvent): boolean {
    switch (event.kind) {
      case 'image':
        this.imageId = event.id;
        return true;
      case 'warning':
        this.warnings.push(event.text);
        return true;
      case 'error': {
        const failed =
          this.slots.find((s) => s.step.state === 'error' && s.step.error === event.message) ??
          this.slots.find((s) => s.step.state === 'error') ??
          this.slots.find((s) => s.step.state === 'running');
        this.error = { message: event.message, exitCode: event.exitCode, stepId: failed?.step.id ?? null };
        return true;
      }
      case 'log': {
        const slot = this.find(event.ref);
        if (slot) this.log(slot, event.stream, event.text);
        return slot !== undefined;
      }
      case 'step': {
        const slot = this.find(event.ref);
        if (!slot) return false;
        slot.touched = true;
        const { step } = slot;
        step.startedAt ??= event.startedAt ?? event.endedAt ?? null;
        if (event.endedAt !== undefined) step.endedAt = event.endedAt;
        if (event.error !== undefined) step.error = event.error;
        step.state = this.stateOf(slot, event);
        if (step.state !== 'running' && step.state !== 'queued') this.flushLogs(slot);
        return true;
      }
    }
  }

  /** The build ended: merged steps take their twin's state, unfinished ones end. */
  finish(outcome: 'succeeded' | 'failed' | 'cancelled', at: number, why?: string): void {
    for (const slot of this.slots) {
      if (slot.touched) continue;
      const twin = this.slots.find(
        (s) =>
          s.touched && s.plan.chainKey === slot.plan.chainKey && (s.step.state === 'cached' || s.step.state === 'done'),
      );
      if (twin)
        Object.assign(slot.step, {
          state: twin.step.state,
          startedAt: twin.step.startedAt,
          endedAt: twin.step.endedAt,
        });
    }
    for (const slot of this.slots) {
      this.flushLogs(slot);
      if (slot.step.state === 'running') {
        slot.step.state = 'error';
        slot.step.endedAt = at;
        slot.step.error ??= why ?? (outcome === 'cancelled' ? 'Cancelled.' : 'Stopped: the build failed elsewhere.');
      }
    }
  }

  private stateOf(slot: StepSlot, event: Extract<BuildEvent, { kind: 'step' }>): BuildStep['state'] {
    if (event.state !== 'cached' && event.state !== 'done') return event.state;
    if (this.options.noCache) return 'done';
    // A base image already on the machine is reused, like a cache hit; a pulled one was fetched.
    if (slot.plan.instruction.keyword === 'FROM') return event.pulled ? 'done' : 'cached';
    if (event.state === 'cached') {
      // The legacy builder reports a step that repeats one built earlier in this build as a cache hit.
      const twin = this.slots.find((s) => s !== slot && s.plan.chainKey === slot.plan.chainKey && s.touched);
      if (twin?.step.state === 'done') return 'done';
    }
    return event.state;
  }

  private find(ref: StepRef): StepSlot | undefined {
    if (ref.builder === 'legacy') return this.slots.find((s) => s.plan.instruction.legacyNumber === ref.number);
    const stage = ref.stage?.toLowerCase() ?? this.lastStage;
    return this.slots.find(
      (s) =>
        (s.plan.stage.name === stage || `stage-${s.plan.stage.index}` === stage) && s.plan.position === ref.position,
    );
  }

  /**
   * Lines keep their order within a stream. Across stdout and stderr they keep arrival order and nothing
   * more: BuildKit stamps a log record when buildkitd reads it from the process's pipe, one pipe per stream,
   * so a later stderr write can carry the earlier timestamp (fixtures/buildkit-streams.jsonl), and the legacy
   * builder copies the two pipes just as independently. No order across streams is claimed or made up.
   */
  private log(slot: StepSlot, stream: LogLine['stream'], text: string): void {
    const lines = (slot.partial[stream] + text).split('\n');
    slot.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.pushLine(slot, stream, line);
  }

  private flushLogs(slot: StepSlot): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (slot.partial[stream]) this.pushLine(slot, stream, slot.partial[stream]);
      slot.partial[stream] = '';
    }
  }

  private pushLine(slot: StepSlot, stream: LogLine['stream'], text: string): void {
    const { logs } = slot.step;
    logs.push({ stream, text: text.replace(/\r$/, '') });
    if (logs.length > (this.options.logTail ?? LOG_TAIL)) {
      logs.shift();
      slot.step.logsDropped++;
    }
  }
}

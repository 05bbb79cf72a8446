/**
 * Folds build events from either builder into one list of Dockerfile steps (the contract's BuildStep): one per
 * instruction, seeded from the Dockerfile plan, so both builders give the same rows. Each row's verdict is the
 * engine's own; the only ones derived here are for what the engine does not report: BuildKit's metadata
 * instructions (no vertex), steps BuildKit merged into an identical earlier one, and steps that never ran.
 */
import { type BuildLogLine, type BuildStep, queuedStep } from '../../contract';
import type { BuildEvent, StepRef } from './build-event';
import type { PlannedStep } from './plan';

export const LOG_TAIL = 500;
/** A line still growing past this many characters (progress redrawn with \r and no newline) is cut. */
export const MAX_LINE = 16_384;

type Stream = BuildLogLine['stream'];

interface StepSlot {
  plan: PlannedStep;
  step: BuildStep;
  partial: Partial<Record<Stream, string>>;
  touched: boolean;
}

export interface FoldOptions {
  builder: 'buildkit' | 'legacy';
  logTail?: number;
}

export class StepFold {
  readonly warnings: string[] = [];
  imageId: string | null = null;
  error: { message: string; exitCode: number | null; stepId: string | null } | null = null;
  /** A BuildKit vertex that is not a step failed (loading a base image's metadata, the syntax frontend). */
  internalError: { name: string; error: string } | null = null;
  private readonly slots: StepSlot[];
  private readonly lastStage: string | null;
  private ended = false;

  constructor(
    plan: PlannedStep[],
    private readonly options: FoldOptions,
  ) {
    const idOf = (p: PlannedStep) => `${options.builder}-${p.instruction.legacyNumber}`;
    this.slots = plan.map((p, index) => ({
      plan: p,
      touched: false,
      partial: {},
      step: queuedStep({
        id: idOf(p),
        index,
        stage: p.stage?.id ?? null,
        instruction: p.instruction.text,
        line: p.instruction.line,
        metadataOnly: p.metadataOnly,
        // The legacy builder runs every step in Dockerfile order, each after the one before.
        after:
          options.builder === 'legacy'
            ? plan.slice(Math.max(0, index - 1), index).map(idOf)
            : p.dependsOn.flatMap((i) => (plan[i] ? [idOf(plan[i])] : [])),
      }),
    }));
    this.lastStage = plan.filter((p) => p.neededByBuildKit).at(-1)?.stage?.id ?? null;
  }

  steps(): BuildStep[] {
    if (this.options.builder === 'buildkit' && !this.ended) this.settleMetadata(false);
    return this.slots.map((s) => {
      const growing = (Object.entries(s.partial) as [Stream, string][])
        .filter(([, text]) => text !== '')
        .map(([stream, text]) => ({ stream, text }));
      return { ...s.step, logs: [...s.step.logs, ...growing] };
    });
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
      case 'internal-error':
        this.internalError ??= { name: event.name, error: event.error };
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
        step.state = event.state;
        if (step.state !== 'running' && step.state !== 'queued') this.flushLogs(slot);
        return true;
      }
    }
  }

  /** The build ended: every step gets a final verdict; none stays queued or running. */
  finish(outcome: 'succeeded' | 'failed' | 'cancelled', at: number, why?: string): void {
    this.ended = true;
    if (this.options.builder === 'buildkit') {
      // BuildKit runs identical vertexes once, under the first step's name: the twin shares its verdict.
      for (const slot of this.slots) {
        if (slot.touched || slot.plan.metadataOnly || !slot.plan.neededByBuildKit) continue;
        const twin = this.slots.find(
          (s) =>
            s.touched &&
            s.plan.chainKey === slot.plan.chainKey &&
            (s.step.state === 'cached' || s.step.state === 'done'),
        );
        if (twin) {
          const { state, startedAt, endedAt } = twin.step;
          Object.assign(slot.step, { state, startedAt, endedAt });
          slot.touched = true;
        }
      }
      this.settleMetadata(true);
    }
    for (const slot of this.slots) {
      this.flushLogs(slot);
      if (slot.step.state === 'running') {
        slot.step.state = 'error';
        slot.step.endedAt = at;
        slot.step.error ??= why ?? (outcome === 'cancelled' ? 'Cancelled.' : 'Stopped: the build failed elsewhere.');
      } else if (slot.step.state === 'queued') {
        slot.step.state = 'not-run';
      }
    }
  }

  /**
   * BuildKit reports no vertex for a metadata instruction: it applies once the layer steps before it in its stage
   * have completed. A global ARG applies as soon as any step runs.
   */
  private settleMetadata(final: boolean): void {
    const anyTouched = this.slots.some((s) => s.touched);
    let previousDone = false;
    let stage: string | null | undefined;
    for (const slot of this.slots) {
      if (slot.step.stage !== stage) {
        stage = slot.step.stage;
        previousDone = slot.plan.neededByBuildKit;
      }
      if (!slot.plan.metadataOnly) {
        previousDone = slot.step.state === 'cached' || slot.step.state === 'done';
        continue;
      }
      const applied = slot.plan.stage === null ? anyTouched : previousDone;
      slot.step.state = applied ? 'metadata' : final ? 'not-run' : 'queued';
    }
  }

  private find(ref: StepRef): StepSlot | undefined {
    if (ref.builder === 'legacy') return this.slots.find((s) => s.plan.instruction.legacyNumber === ref.number);
    const stage = ref.stage?.toLowerCase() ?? this.lastStage;
    return this.slots.find((s) => s.plan.stage?.id === stage && s.plan.position === ref.position);
  }

  /**
   * Output as it comes: complete lines join the tail; the line still growing is shown as it is.
   * Lines keep their order within a stream. Across stdout and stderr they keep arrival order and nothing
   * more: BuildKit stamps a log record when buildkitd reads it from the process's pipe, one pipe per stream,
   * so a later stderr write can carry the earlier timestamp (fixtures/buildkit-streams.jsonl), and the legacy
   * builder copies the two pipes just as independently. No order across streams is claimed or made up.
   */
  private log(slot: StepSlot, stream: Stream, text: string): void {
    const lines = ((slot.partial[stream] ?? '') + text).split('\n');
    let rest = lines.pop() ?? '';
    for (const line of lines) this.pushLine(slot, stream, line);
    if (rest.length > MAX_LINE) {
      this.pushLine(slot, stream, rest);
      rest = '';
    }
    slot.partial[stream] = rest;
  }

  private flushLogs(slot: StepSlot): void {
    for (const [stream, text] of Object.entries(slot.partial) as [Stream, string][]) {
      if (text) this.pushLine(slot, stream, text);
    }
    slot.partial = {};
  }

  private pushLine(slot: StepSlot, stream: Stream, text: string): void {
    const { logs } = slot.step;
    logs.push({ stream, text: text.endsWith('\r') ? text.slice(0, -1) : text });
    if (logs.length > (this.options.logTail ?? LOG_TAIL)) {
      logs.shift();
      slot.step.logsDropped++;
    }
  }
}

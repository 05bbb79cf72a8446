/**
 * Where a build's time went: its steps as bars on one time axis, grouped by stage, the critical path (the
 * chain of steps, following what each step starts from, that ended last) and what caching the slowest step
 * would save. Pure and shared: the renderer draws it live from the build stream, core exports it as a trace.
 *
 * The model behind the critical path and the what-if: a step starts once every step it starts from has
 * ended (`after`), plus the wait it had in this build after the last of them ended (BuildKit resolving
 * base images, the context upload, a busy worker), then takes as long as it did. With the recorded
 * durations this reproduces the recorded times; the what-if changes only the slowest step's duration, to 0.
 */
import type { BuildModel, BuildStep } from './builds';

type TimedStep = Pick<
  BuildStep,
  'id' | 'index' | 'stage' | 'instruction' | 'line' | 'state' | 'startedAt' | 'endedAt' | 'after'
>;

export interface TimelineInput {
  builder: BuildModel['builder'];
  startedAt: number;
  endedAt: number | null;
  steps: readonly TimedStep[];
}

export interface TimelineBar {
  stepId: string;
  index: number;
  instruction: string;
  line: number | null;
  state: BuildStep['state'];
  /** Milliseconds from the timeline's origin; null for a step with no times (metadata, not run, queued). */
  start: number | null;
  end: number | null;
  durationMs: number | null;
  /** Still running: `end` is now. */
  running: boolean;
  critical: boolean;
}

export interface TimelineStage {
  /** BuildKit's stage id ("build", "stage-1"); null for the global ARGs before the first FROM. */
  stage: string | null;
  bars: TimelineBar[];
}

export interface WhatIfCached {
  stepId: string;
  instruction: string;
  durationMs: number;
  /** How much sooner the last step would end with this step taking 0 ms. */
  savedMs: number;
  /** The build's wall time, less `savedMs`. */
  wallMs: number;
}

export interface BuildTimeline {
  /** Epoch milliseconds of the axis' 0: the build's start (or an earlier step time, from a skewed engine clock). */
  origin: number;
  /** The axis' length: the build's wall time so far. */
  totalMs: number;
  stages: TimelineStage[];
  /** Ids of the timed steps on the critical path, first to last. */
  criticalPath: string[];
  /** From the origin to the end of the critical path's last step. */
  criticalMs: number;
  /** The slowest step that ran (not cached) and what caching it would save; null while running or when none ran. */
  whatIf: WhatIfCached | null;
}

interface Node {
  step: TimedStep;
  deps: number[];
  start: number | null;
  end: number | null;
  gap: number;
}

/** The timeline of a build (live: `now` ends running steps and the axis). */
export function buildTimeline(build: TimelineInput, now: number): BuildTimeline {
  const steps = build.steps;
  const ended = build.endedAt !== null;
  const positionOf = new Map(steps.map((s, i) => [s.id, i]));
  const nodes: Node[] = steps.map((step, i) => {
    const end = step.startedAt === null ? null : (step.endedAt ?? (ended ? step.startedAt : now));
    return {
      step,
      deps: depsOf(step, i, steps, positionOf, build.builder),
      start: step.startedAt,
      end: end === null || step.startedAt === null ? null : Math.max(end, step.startedAt),
      gap: 0,
    };
  });
  const times = nodes.flatMap((n) => (n.start === null || n.end === null ? [] : [n.start, n.end]));
  const origin = Math.min(build.startedAt, ...times);
  const axisEnd = Math.max(build.endedAt ?? now, ...times);
  // The wait each step had after the last of its inputs ended: kept as it was in the what-if.
  const recorded: number[] = [];
  nodes.forEach((node, i) => {
    const ready = Math.max(origin, ...node.deps.map((d) => recorded[d] ?? origin));
    node.gap = node.start === null ? 0 : Math.max(0, node.start - ready);
    recorded[i] = node.end ?? ready;
  });
  const durations = nodes.map((n) => (n.start === null || n.end === null ? 0 : n.end - n.start));
  const finish = schedule(nodes, durations, origin);
  const timed = nodes.flatMap((n, i) => (n.start === null ? [] : [i]));
  const last = latest(timed, finish);
  const critical = new Set<number>();
  for (let i = last; i !== undefined; i = latest(nodes[i]?.deps ?? [], finish)) {
    if (nodes[i]?.start !== null) critical.add(i);
  }
  const criticalPath = [...critical].reverse();
  const stages: TimelineStage[] = [];
  nodes.forEach((node, i) => {
    const { step } = node;
    const bar: TimelineBar = {
      stepId: step.id,
      index: step.index,
      instruction: step.instruction,
      line: step.line,
      state: step.state,
      start: node.start === null ? null : node.start - origin,
      end: node.end === null ? null : node.end - origin,
      durationMs: node.start === null ? null : (durations[i] ?? 0),
      running: node.start !== null && step.endedAt === null && !ended,
      critical: critical.has(i),
    };
    const group = stages.at(-1)?.stage === step.stage ? stages.at(-1) : undefined;
    if (group) group.bars.push(bar);
    else stages.push({ stage: step.stage, bars: [bar] });
  });
  const wallMs = axisEnd - origin;
  return {
    origin,
    totalMs: wallMs,
    stages,
    criticalPath: criticalPath.map((i) => steps[i]?.id ?? ''),
    criticalMs: last === undefined ? 0 : (finish[last] ?? origin) - origin,
    whatIf: ended ? whatIfCached(nodes, durations, finish, origin, wallMs) : null,
  };
}

/** Caching the slowest step that ran: the same schedule with that step taking 0 ms. */
function whatIfCached(
  nodes: Node[],
  durations: number[],
  finish: number[],
  origin: number,
  wallMs: number,
): WhatIfCached | null {
  let slowest: number | undefined;
  nodes.forEach((node, i) => {
    if (node.step.state !== 'done' || node.start === null) return;
    if (slowest === undefined || (durations[i] ?? 0) > (durations[slowest] ?? 0)) slowest = i;
  });
  const step = slowest === undefined ? undefined : nodes[slowest]?.step;
  if (slowest === undefined || !step) return null;
  const cached = durations.map((d, i) => (i === slowest ? 0 : d));
  const before = Math.max(origin, ...timedFinishes(nodes, finish));
  const after = Math.max(origin, ...timedFinishes(nodes, schedule(nodes, cached, origin)));
  const savedMs = before - after;
  return {
    stepId: step.id,
    instruction: step.instruction,
    durationMs: durations[slowest] ?? 0,
    savedMs,
    wallMs: wallMs - savedMs,
  };
}

const timedFinishes = (nodes: Node[], finish: number[]): number[] =>
  nodes.flatMap((n, i) => (n.start === null ? [] : [finish[i] ?? 0]));

/** Each step's end when it starts as soon as its inputs end, plus its recorded wait, and takes `durations`. */
function schedule(nodes: Node[], durations: number[], origin: number): number[] {
  const finish: number[] = [];
  nodes.forEach((node, i) => {
    const ready = Math.max(origin, ...node.deps.map((d) => finish[d] ?? origin));
    finish[i] = ready + node.gap + (durations[i] ?? 0);
  });
  return finish;
}

/** The index among `candidates` that ends last (the later step on a tie), or undefined. */
function latest(candidates: number[], finish: number[]): number | undefined {
  let best: number | undefined;
  for (const i of candidates) {
    if (
      best === undefined ||
      (finish[i] ?? 0) > (finish[best] ?? 0) ||
      ((finish[i] ?? 0) === (finish[best] ?? 0) && i > best)
    )
      best = i;
  }
  return best;
}

/**
 * The steps a step starts from, as positions in the list; only earlier ones count, so the graph has no cycle.
 * Records from before the timeline have no `after`: BuildKit steps then follow the step before in their stage,
 * legacy steps the step before.
 */
function depsOf(
  step: TimedStep,
  position: number,
  steps: readonly TimedStep[],
  positionOf: Map<string, number>,
  builder: TimelineInput['builder'],
): number[] {
  if (step.after) {
    return step.after.flatMap((id) => {
      const at = positionOf.get(id);
      return at !== undefined && at < position ? [at] : [];
    });
  }
  const previous = steps[position - 1];
  return previous && (builder === 'legacy' || previous.stage === step.stage) ? [position - 1] : [];
}

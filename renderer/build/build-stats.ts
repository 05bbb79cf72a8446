import type { BuildModel, BuildRecordSummary, BuildStep } from '../../electron/contract';
import { formatDuration } from '../ui/format';

export interface CacheHits {
  cached: number;
  total: number;
}

/** Cache hits among the steps the cache could serve: BuildKit's metadata instructions are left out. */
export function cacheHits(steps: BuildStep[]): CacheHits {
  const cacheable = steps.filter((s) => s.state !== 'metadata');
  return { cached: cacheable.filter((s) => s.state === 'cached').length, total: cacheable.length };
}

/** "5/7 cached (71 %)" */
export function formatHits({ cached, total }: CacheHits): string {
  if (total === 0) return 'no steps yet';
  return `${cached}/${total} cached (${Math.round((cached / total) * 100)} %)`;
}

/** How long a step took, or has taken so far when it is still running. */
export function stepDuration(step: BuildStep, now: number): number | null {
  if (step.startedAt === null) return null;
  return (step.endedAt ?? now) - step.startedAt;
}

export function buildDuration(model: BuildModel, now: number): number {
  return (model.endedAt ?? now) - model.startedAt;
}

export const SETUP_STAGE = null;
/** Instructions before the first FROM (global ARGs): they have a line but belong to no stage. */
export const GLOBAL_STAGE = '(global)';

/**
 * Steps grouped by stage, in the order the stages first appear. Steps with neither stage nor line
 * (loading the Dockerfile, the context) form the setup group, which always comes first; steps with a line
 * but no stage are the global ARGs before the first FROM.
 */
export function groupByStage(steps: BuildStep[]): { stage: string | null; steps: BuildStep[] }[] {
  const groups = new Map<string | null, BuildStep[]>();
  const sorted = [...steps].sort((a, b) => a.index - b.index);
  for (const step of sorted) {
    const key = step.stage ?? (step.line === null ? SETUP_STAGE : GLOBAL_STAGE);
    const list = groups.get(key) ?? [];
    list.push(step);
    groups.set(key, list);
  }
  const result = [...groups.entries()].map(([stage, list]) => ({ stage, steps: list }));
  return result.sort((a, b) => (a.stage === null ? -1 : b.stage === null ? 1 : 0));
}

/** The difference from the build before of the same project: "-4.2 s, +3 cached" (see previousOfSameProject). */
export function differenceFromPrevious(record: BuildRecordSummary, previous: BuildRecordSummary | undefined): string {
  if (!previous) return 'first build of this project';
  const time = record.durationMs - previous.durationMs;
  const cached = record.cachedSteps - previous.cachedSteps;
  const timeText = `${time <= 0 ? '-' : '+'}${formatDuration(Math.abs(time))}`;
  const cachedText = `${cached >= 0 ? '+' : '-'}${Math.abs(cached)} cached`;
  return `${timeText}, ${cachedText}`;
}

export const isFinished = (model: BuildModel): boolean =>
  model.state === 'succeeded' || model.state === 'failed' || model.state === 'cancelled';

import type { BuildModel } from '../../contract';

/**
 * A finished build's cache figures as a rebuild shows them: BuildKit's metadata rows are no hit or miss, and a
 * FROM of a local image is no rebuilt layer even when BuildKit reports it done rather than cached (it does so
 * from one build to the next of the same image), so it counts as cached.
 */
export function cacheFigures(model: BuildModel): { cachedSteps: number; totalSteps: number; missed: string[] } {
  const cacheable = model.steps.filter((s) => s.state !== 'metadata');
  const reused = (s: BuildModel['steps'][number]) =>
    s.state === 'cached' || (s.state === 'done' && /^FROM\s/i.test(s.instruction));
  return {
    cachedSteps: cacheable.filter(reused).length,
    totalSteps: cacheable.length,
    missed: cacheable.filter((s) => !reused(s)).map((s) => s.instruction),
  };
}

import type { StatsSample } from '../../electron/contract';

/** Ten minutes of samples at the engine's one a second. */
export const STATS_WINDOW_MS = 10 * 60_000;
/** A hard bound whatever the sample rate. */
export const STATS_MAX_SAMPLES = 1200;

/** The samples with `next` added, keeping only the last ten minutes (and never more than STATS_MAX_SAMPLES). */
export function pushSample(samples: readonly StatsSample[], next: StatsSample): StatsSample[] {
  const kept = samples.filter((s) => s.at > next.at - STATS_WINDOW_MS);
  kept.push(next);
  return kept.length > STATS_MAX_SAMPLES ? kept.slice(kept.length - STATS_MAX_SAMPLES) : kept;
}

/** SVG polyline points for values drawn into width × height (the highest value at the top, at least `floor`). */
export function sparklinePoints(values: readonly number[], width: number, height: number, floor = 1): string {
  if (values.length === 0) return '';
  const top = Math.max(floor, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / top) * height).toFixed(1)}`).join(' ');
}

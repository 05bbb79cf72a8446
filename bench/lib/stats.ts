/**
 * The statistics every benchmark reports: min, median and max of a set of runs, and the ratio of paired runs
 * (side A against side B timed alternately in the same run of the benchmark).
 */
import { median } from '../benchmarks-file';

export interface Spread {
  n: number;
  min: number;
  median: number;
  max: number;
}

/** Min, median and max of `values`; throws on an empty set or a value that is not a finite number. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no values to summarise');
  const bad = values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new Error(`not a finite measurement: ${bad}`);
  return { n: values.length, min: Math.min(...values), median: median([...values]), max: Math.max(...values) };
}

/** The spread of a[i] / b[i]: each pair was measured back to back, so drift of the machine hits both alike. */
export function pairedRatios(a: readonly number[], b: readonly number[]): Spread {
  if (a.length !== b.length) throw new Error(`unpaired runs: ${a.length} against ${b.length}`);
  return spread(a.map((value, i) => value / b[i]!));
}

/** The ratio of two spreads taken at each statistic (min/min, median/median, max/max). */
export function ratioOf(a: Spread, b: Spread): Spread {
  return { n: Math.min(a.n, b.n), min: a.min / b.min, median: a.median / b.median, max: a.max / b.max };
}

/** Scales every statistic (e.g. ms to s, or counts to rates with a constant). */
export function scaled(s: Spread, factor: number): Spread {
  return { n: s.n, min: s.min * factor, median: s.median * factor, max: s.max * factor };
}

/** A rate (`work` per second) from durations in ms: the fastest run gives the max rate, so min and max swap. */
export function rateOf(work: number, durationsMs: Spread): Spread {
  return {
    n: durationsMs.n,
    min: (work * 1000) / durationsMs.max,
    median: (work * 1000) / durationsMs.median,
    max: (work * 1000) / durationsMs.min,
  };
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** "1.20 / 1.35 / 1.80 s": min / median / max with one unit. */
export function formatSpread(s: Spread, digits = 0, unit = ''): string {
  const tail = unit ? ` ${unit}` : '';
  return `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}${tail}`;
}

/**
 * What every benchmark shares: the median, and writing its own section of BENCHMARKS.md. Each benchmark
 * owns one `## ` section; writing it replaces only that section (or appends it) and keeps the rest as is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BENCHMARKS_FILE = join(import.meta.dirname, '..', 'BENCHMARKS.md');

/** The middle value (the mean of the two middle ones for an even count); NaN when there are none. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Puts `heading` (e.g. "## Builds (issue 3)") and `body` in BENCHMARKS.md, replacing that section only. */
export function writeBenchmarkSection(heading: string, body: string, file = BENCHMARKS_FILE): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  const rest = next < 0 ? '' : `\n${text.slice(next + 1)}`;
  writeFileSync(file, `${text.slice(0, start)}${section}${rest}`);
}

/** The engine's RFC 3339 timestamp (nanosecond precision), as it prefixes each line when asked. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Splits `2024-05-01T10:00:00.123456789Z text` into its timestamp and text; a line without one is all text. */
export function splitTimestamp(line: string): { ts?: string; text: string } {
  const space = line.indexOf(' ');
  if (space < 20 || space > 35) return { text: line };
  const ts = line.slice(0, space);
  return RFC3339.test(ts) ? { ts, text: line.slice(space + 1) } : { text: line };
}

/** Milliseconds since the epoch for an engine timestamp (digits past milliseconds are dropped). */
export function timestampMillis(ts: string): number {
  return Date.parse(ts);
}

/** The engine's `since` parameter: seconds since the epoch, with a fraction. */
export function sinceParam(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** An engine timestamp as nanoseconds since the epoch (engine timestamps carry up to 9 fraction digits). */
export function timestampNanos(ts: string): bigint | undefined {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

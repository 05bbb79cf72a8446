/** The engine's RFC 3339 timestamp (nanosecond precision), as it prefixes each line when asked. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** `YYYY-MM-DDTHH:MM:SS`: the part of a UTC stamp that the fast path below caches. */
const SECOND_PART = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const SECOND_CHARS = 19;
const DOT = 0x2e;
const ZERO = 0x30;
const Z = 0x5a;
/** The separators of `YYYY-MM-DDTHH:MM:SS` by position; digits elsewhere. */
const SEPARATORS: (number | undefined)[] = [];
SEPARATORS[4] = 0x2d;
SEPARATORS[7] = 0x2d;
SEPARATORS[10] = 0x54;
SEPARATORS[13] = 0x3a;
SEPARATORS[16] = 0x3a;
SEPARATORS.length = 19;

/** Splits `2024-05-01T10:00:00.123456789Z text` into its timestamp and text; a line without one is all text. */
export function splitTimestamp(line: string): { ts?: string; text: string } {
  const space = line.indexOf(' ');
  if (space < 20 || space > 35) return { text: line };
  const ts = line.slice(0, space);
  return looksUtc(ts, space) || RFC3339.test(ts) ? { ts, text: line.slice(space + 1) } : { text: line };
}

/**
 * The engine's own shape, `YYYY-MM-DDTHH:MM:SS.fffffffffZ` (1 to 9 fraction digits), checked by character:
 * each followed line has one, so this spares the regex per line; any other shape goes to RFC3339.
 */
function looksUtc(ts: string, length: number): boolean {
  if (ts.charCodeAt(length - 1) !== Z || ts.charCodeAt(SECOND_CHARS) !== DOT || length < SECOND_CHARS + 3) return false;
  for (let i = 0; i < SECOND_CHARS; i++) {
    const c = ts.charCodeAt(i);
    const want = SEPARATORS[i];
    if (want === undefined ? c < ZERO || c > ZERO + 9 : c !== want) return false;
  }
  for (let i = SECOND_CHARS + 1; i < length - 1; i++) {
    const c = ts.charCodeAt(i);
    if (c < ZERO || c > ZERO + 9) return false;
  }
  return length - SECOND_CHARS - 2 <= 9;
}

/** Milliseconds since the epoch for an engine timestamp (digits past milliseconds are dropped). */
export function timestampMillis(ts: string): number {
  return Date.parse(ts);
}

/** The engine's `since` parameter: seconds since the epoch, with a fraction. */
export function sinceParam(ms: number): string {
  return (ms / 1000).toFixed(3);
}

const TIMESTAMP_PARTS = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const FRACTION_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/** The last whole second parsed (`YYYY-MM-DDTHH:MM:SS`, UTC) and its nanoseconds since the epoch. */
let cachedSecond = '';
let cachedSecondNanos = 0n;

/**
 * An engine timestamp as nanoseconds since the epoch (engine timestamps carry up to 9 fraction digits).
 * Followed logs parse one per line, and thousands share their second: the engine's usual shape
 * (`…T10:00:00.123456789Z`) reuses the last second's value and reads only the fraction; anything else
 * takes the general path.
 */
export function timestampNanos(ts: string): bigint | undefined {
  const length = ts.length;
  if (length > SECOND_CHARS && ts.charCodeAt(length - 1) === Z) {
    let fraction = 0;
    let digits = 0;
    let i = SECOND_CHARS;
    if (ts.charCodeAt(i) === DOT) {
      for (i += 1; i < length - 1 && digits < 10; i++, digits++) {
        const digit = ts.charCodeAt(i) - ZERO;
        if (digit < 0 || digit > 9) break;
        fraction = fraction * 10 + digit;
      }
    }
    if (i === length - 1 && digits <= 9 && (digits > 0 || i === SECOND_CHARS)) {
      if (!ts.startsWith(cachedSecond) || cachedSecond.length !== SECOND_CHARS) {
        const second = ts.slice(0, SECOND_CHARS);
        const seconds = SECOND_PART.test(second) ? Date.parse(`${second}Z`) : Number.NaN;
        if (Number.isNaN(seconds)) return slowTimestampNanos(ts);
        cachedSecond = second;
        cachedSecondNanos = BigInt(seconds) * 1_000_000n;
      }
      return fraction === 0 ? cachedSecondNanos : cachedSecondNanos + BigInt(fraction * FRACTION_SCALE[digits]!);
    }
  }
  return slowTimestampNanos(ts);
}

function slowTimestampNanos(ts: string): bigint | undefined {
  const match = TIMESTAMP_PARTS.exec(ts);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/**
 * Log lines on the wire. The core batches LogLine objects; the `logs` and `logs.merged` streams carry
 * each batch as parallel arrays instead, so the keys are not repeated for every line (a 1M-line read was
 * ~120 MB of JSON as objects) and a batch is checked once, cheaply: arrays of strings and numbers of one
 * length. `packLines`/`packMergedLines` make a batch; the renderer reads it line by line without ever
 * rebuilding the objects.
 */
import { z } from 'zod';
import { LogEvent, type LogLine } from './logs';
import { MergedLogEvent, type MergedLogLine } from './logs-merged';

/** One character per line in `streams`. */
export const STDOUT_MARK = 'o';
export const STDERR_MARK = 'e';

const batchShape = {
  kind: z.literal('batch'),
  text: z.array(z.string()).describe('one line each, without its newline; ANSI escapes kept'),
  streams: z.string().regex(/^[oe]*$/, 'one character per line: o for stdout, e for stderr'),
  /** The engine's RFC 3339 timestamps, when asked for; '' for a line without one. */
  ts: z.array(z.string()).optional(),
  /**
   * When every line has a timestamp: what they all start with (usually the date, hour and minute), left out
   * of each entry of `ts`, which then holds only the rest.
   */
  tsPrefix: z.string().optional(),
};
const sameLength = (b: { text: string[]; streams: string; ts?: string[] | undefined }) =>
  b.streams.length === b.text.length && (b.ts === undefined || b.ts.length === b.text.length);
const SAME_LENGTH = { message: 'every column of a batch has one entry per line' };

/** A batch of one container's lines. */
export const LogBatch = z.object(batchShape).refine(sameLength, SAME_LENGTH);
export type LogBatch = z.infer<typeof LogBatch>;

/** A batch of the merged stream: each line's `source` indexes the `sources` event. */
export const MergedLogBatch = z
  .object({
    ...batchShape,
    source: z.array(z.number().int().min(0)),
    /** Indexes (into this batch) of the lines that arrived after the hold-back window. */
    late: z.array(z.number().int().min(0)).optional(),
  })
  .refine(
    (b) => sameLength(b) && b.source.length === b.text.length && (b.late ?? []).every((i) => i < b.text.length),
    SAME_LENGTH,
  );
export type MergedLogBatch = z.infer<typeof MergedLogBatch>;

const noObjectLines = { message: 'log lines cross the wire as a batch, never one object each' };
/** What the `logs` stream carries: LogEvent, with its lines as batches. */
export const LogStreamEvent = z.union([LogBatch, LogEvent]).refine((e) => e.kind !== 'lines', noObjectLines);
export type LogStreamEvent = LogBatch | Exclude<LogEvent, { kind: 'lines' }>;
/** What the `logs.merged` stream carries: MergedLogEvent, with its lines as batches. */
export const MergedLogStreamEvent = z
  .union([MergedLogBatch, MergedLogEvent])
  .refine((e) => e.kind !== 'lines', noObjectLines);
export type MergedLogStreamEvent = MergedLogBatch | Exclude<MergedLogEvent, { kind: 'lines' }>;

function columns(lines: readonly LogLine[]) {
  const text = new Array<string>(lines.length);
  let streams = '';
  let ts: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    text[i] = line.text;
    streams += line.stream === 'stderr' ? STDERR_MARK : STDOUT_MARK;
    if (line.ts !== undefined) {
      ts ??= new Array<string>(lines.length).fill('');
      ts[i] = line.ts;
    }
  }
  const tsPrefix = ts ? commonPrefix(ts) : '';
  if (ts && tsPrefix) for (let i = 0; i < ts.length; i++) ts[i] = ts[i]!.slice(tsPrefix.length);
  return { kind: 'batch' as const, text, streams, ...(ts && { ts }), ...(tsPrefix && { tsPrefix }) };
}

/** What every entry starts with; '' when some entry is empty (a line without a timestamp). */
function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const value of values) {
    if (!value) return '';
    while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** Line `i`'s timestamp in a batch, or undefined. */
export function batchTs(batch: LogBatch | MergedLogBatch, i: number): string | undefined {
  const rest = batch.ts?.[i];
  return rest || batch.tsPrefix ? `${batch.tsPrefix ?? ''}${rest ?? ''}` : undefined;
}

export function packLines(lines: readonly LogLine[]): LogBatch {
  return columns(lines);
}

export function packMergedLines(lines: readonly MergedLogLine[]): MergedLogBatch {
  const source = new Array<number>(lines.length);
  const late: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    source[i] = lines[i]!.source;
    if (lines[i]!.late) late.push(i);
  }
  return { ...columns(lines), source, ...(late.length > 0 && { late }) };
}

/** The core's event as the `logs` stream sends it. */
export function packLogEvent(event: LogEvent): LogStreamEvent {
  return event.kind === 'lines' ? packLines(event.lines) : event;
}

/** The core's merged event as the `logs.merged` stream sends it. */
export function packMergedLogEvent(event: MergedLogEvent): MergedLogStreamEvent {
  return event.kind === 'lines' ? packMergedLines(event.lines) : event;
}

/** Line `i` of a batch as an object (tests and exports; the view reads the columns directly). */
export function batchLine(batch: LogBatch | MergedLogBatch, i: number): MergedLogLine | LogLine {
  const line: LogLine = { stream: batch.streams[i] === STDERR_MARK ? 'stderr' : 'stdout', text: batch.text[i]! };
  const ts = batchTs(batch, i);
  if (ts !== undefined) line.ts = ts;
  if (!('source' in batch)) return line;
  return { ...line, source: batch.source[i]!, ...(batch.late?.includes(i) && { late: true as const }) };
}

import { batchTs, type LogBatch, type LogLine, type MergedLogBatch, STDERR_MARK } from '../../electron/contract';

export const DEFAULT_CAPACITY = 200_000;

/** A line as the ring gives it back: `source` only in a merged view. */
export type RingLine = LogLine & { source?: number; late?: true; marker?: 'rotated' };

/** A row of the view that is not a log line: where the engine's log rotated under the follow. */
export interface GapMarker {
  stream: 'stdout';
  text: string;
  marker: 'rotated';
  source?: number;
}

export const isMarker = (line: LogLine): line is LogLine & GapMarker =>
  (line as { marker?: unknown }).marker !== undefined;

/** The marker row for a `rotated` event: what may be missing, and what was read again. */
export function rotationMarker(event: { missing: number; recovered: number; source?: number }): LogLine {
  const parts = [
    event.missing > 0 ? `about ${event.missing.toLocaleString('en')} lines may be missing` : '',
    event.recovered > 0 ? `${event.recovered.toLocaleString('en')} skipped lines were read again` : '',
  ].filter(Boolean);
  const marker: GapMarker = {
    stream: 'stdout',
    text: `log rotated — ${parts.join('; ')}`,
    marker: 'rotated',
    ...(event.source !== undefined && { source: event.source }),
  };
  return marker;
}

const STDERR = 1;
const LATE = 2;
const MARKER = 4;
const NO_SOURCE = -1;

/**
 * A bounded ring of log lines, kept as columns (text, timestamp, stream and source) so a batch from the
 * wire is copied in without making an object per line: appending costs O(batch) whatever the size,
 * reading line i is O(1), and when full the oldest lines are dropped (and counted) so memory stays bounded.
 * Rows read the columns (`textAt`, `streamAt`, ...); `at` builds a line object for the odd caller.
 */
export class LogRing {
  readonly capacity: number;
  /** Lines dropped from the front since the last clear. */
  dropped = 0;
  /** How many of the kept rows are markers (rotation gaps), not log lines. */
  private markerRows = 0;
  private readonly texts: (string | undefined)[];
  private readonly stamps: (string | undefined)[] = [];
  private readonly marks: Uint8Array;
  private readonly sources: Int32Array;
  private start = 0;
  private length = 0;

  constructor(capacity = DEFAULT_CAPACITY, texts: (string | undefined)[] = []) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
    this.capacity = capacity;
    this.texts = texts;
    this.marks = new Uint8Array(capacity);
    this.sources = new Int32Array(capacity);
  }

  /** Rows kept: log lines and marker rows. */
  get size(): number {
    return this.length;
  }

  /** Marker rows (rotation gaps) among the kept rows. */
  get markers(): number {
    return this.markerRows;
  }

  /** Log lines among the kept rows: the size without the marker rows. */
  get lineCount(): number {
    return this.length - this.markerRows;
  }

  /** Number of lines ever appended since the last clear (kept + dropped). */
  get total(): number {
    return this.dropped + this.length;
  }

  /** The slot the next line goes to, making room by dropping the oldest when full. */
  private nextSlot(): number {
    if (this.length < this.capacity) return (this.start + this.length++) % this.capacity;
    const slot = this.start;
    if ((this.marks[slot]! & MARKER) !== 0) this.markerRows--;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
    return slot;
  }

  private put(text: string, mark: number, ts: string | undefined, source: number): void {
    const slot = this.nextSlot();
    this.texts[slot] = text;
    // Lines without timestamps never grow the stamp column.
    if (ts !== undefined || this.stamps[slot] !== undefined) this.stamps[slot] = ts;
    this.marks[slot] = mark;
    this.sources[slot] = source;
    if ((mark & MARKER) !== 0) this.markerRows++;
  }

  /** A batch bigger than the ring keeps only its tail; the rest counts as dropped without being written. */
  private skipFor(count: number): number {
    const skip = Math.max(0, count - this.capacity);
    this.dropped += skip;
    return skip;
  }

  /** A batch as it came over the wire. */
  appendBatch(batch: LogBatch | MergedLogBatch): void {
    const { text, streams } = batch;
    const source = 'source' in batch ? batch.source : undefined;
    const late = 'late' in batch && batch.late ? new Set(batch.late) : undefined;
    for (let i = this.skipFor(text.length); i < text.length; i++) {
      const mark = (streams[i] === STDERR_MARK ? STDERR : 0) | (late?.has(i) ? LATE : 0);
      this.put(text[i]!, mark, batchTs(batch, i), source?.[i] ?? NO_SOURCE);
    }
  }

  append(lines: readonly RingLine[]): void {
    for (let i = this.skipFor(lines.length); i < lines.length; i++) {
      const line = lines[i]!;
      const mark = (line.stream === 'stderr' ? STDERR : 0) | (line.late ? LATE : 0) | (isMarker(line) ? MARKER : 0);
      this.put(line.text, mark, line.ts, line.source ?? NO_SOURCE);
    }
  }

  /** Every line another ring holds, oldest first (resuming after a pause). */
  appendRing(other: LogRing): void {
    for (let i = this.skipFor(other.size); i < other.size; i++) {
      const slot = other.slotOf(i);
      this.put(other.texts[slot]!, other.marks[slot]!, other.stamps[slot], other.sources[slot]!);
    }
  }

  private slotOf(index: number): number {
    return (this.start + index) % this.capacity;
  }

  private has(index: number): boolean {
    return index >= 0 && index < this.length;
  }

  textAt(index: number): string | undefined {
    return this.has(index) ? this.texts[this.slotOf(index)] : undefined;
  }

  streamAt(index: number): LogLine['stream'] {
    return this.has(index) && (this.marks[this.slotOf(index)]! & STDERR) !== 0 ? 'stderr' : 'stdout';
  }

  tsAt(index: number): string | undefined {
    return this.has(index) ? this.stamps[this.slotOf(index)] : undefined;
  }

  /** A marker row (a rotation gap), not a log line. */
  isMarkerAt(index: number): boolean {
    return this.has(index) && (this.marks[this.slotOf(index)]! & MARKER) !== 0;
  }

  /** The merged view's source index of line `index`, or undefined for one container's log. */
  sourceAt(index: number): number | undefined {
    const source = this.has(index) ? this.sources[this.slotOf(index)]! : NO_SOURCE;
    return source === NO_SOURCE ? undefined : source;
  }

  /** Line `index` counted from the oldest kept line (0) to the newest (size - 1), as a new object. */
  at(index: number): RingLine | undefined {
    if (!this.has(index)) return undefined;
    const slot = this.slotOf(index);
    const line: RingLine = { stream: this.streamAt(index), text: this.texts[slot]! };
    const ts = this.stamps[slot];
    if (ts !== undefined) line.ts = ts;
    const source = this.sources[slot]!;
    if (source !== NO_SOURCE) line.source = source;
    if ((this.marks[slot]! & LATE) !== 0) line.late = true;
    if ((this.marks[slot]! & MARKER) !== 0) line.marker = 'rotated';
    return line;
  }

  clear(): void {
    this.texts.length = 0;
    this.stamps.length = 0;
    this.start = 0;
    this.length = 0;
    this.dropped = 0;
    this.markerRows = 0;
  }

  /** Oldest to newest. */
  *[Symbol.iterator](): IterableIterator<RingLine> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

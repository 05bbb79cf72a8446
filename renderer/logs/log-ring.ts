import type { LogLine } from '../../electron/contract';

export const DEFAULT_CAPACITY = 200_000;

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

/**
 * A bounded ring of log lines: appending a batch costs O(batch) whatever the size, reading line i is
 * O(1), and when full the oldest lines are dropped (and counted) so memory stays bounded.
 */
export class LogRing {
  readonly capacity: number;
  /** Lines dropped from the front since the last clear. */
  dropped = 0;
  private readonly slots: (LogLine | undefined)[];
  private start = 0;
  private length = 0;

  constructor(capacity = DEFAULT_CAPACITY, slots: (LogLine | undefined)[] = []) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
    this.capacity = capacity;
    this.slots = slots;
  }

  get size(): number {
    return this.length;
  }

  /** Number of lines ever appended since the last clear (kept + dropped). */
  get total(): number {
    return this.dropped + this.length;
  }

  append(lines: readonly LogLine[]): void {
    // A batch bigger than the ring keeps only its tail; the rest counts as dropped without being written.
    const skip = Math.max(0, lines.length - this.capacity);
    this.dropped += skip;
    for (let i = skip; i < lines.length; i++) {
      if (this.length < this.capacity) {
        this.slots[(this.start + this.length) % this.capacity] = lines[i];
        this.length++;
      } else {
        this.slots[this.start] = lines[i];
        this.start = (this.start + 1) % this.capacity;
        this.dropped++;
      }
    }
  }

  /** Line `index` counted from the oldest kept line (0) to the newest (size - 1). */
  at(index: number): LogLine | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.slots[(this.start + index) % this.capacity];
  }

  clear(): void {
    this.slots.length = 0;
    this.start = 0;
    this.length = 0;
    this.dropped = 0;
  }

  /** Oldest to newest. */
  *[Symbol.iterator](): IterableIterator<LogLine> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }
}

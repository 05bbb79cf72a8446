/**
 * A k-way merge of several containers' log lines by the engine's timestamps.
 *
 * Each source's lines already come in timestamp order (the engine writes one container's log in order),
 * so the merge only compares the heads of the per-source queues. The smallest head may go out when every
 * source that is still open has a line queued (nothing older can come from it), or, when following, once
 * it has waited `holdBackMs`: an idle container must not hold the others back for ever. A line that
 * arrives after a later line of another source has already gone out is "late": it is sent at once,
 * marked `late`, out of order, never dropped. Reading history (not following) never times out, so it is
 * always in order.
 */
import type { LogLine, MergedLogLine } from '../../contract';
import { timestampNanos } from './log-timestamp';

/**
 * One source's lines waiting to go out, as columns: the lines as they came, their timestamps, and when each
 * push reached the merger (a push's lines share that time). `head` is the next line to go out.
 */
class SourceQueue {
  lines: LogLine[] = [];
  nanos: bigint[] = [];
  /** `at` of the push each line came in, by push: `pushAt[k]` applies from line `pushStart[k]` on. */
  pushAt: number[] = [];
  pushStart: number[] = [];
  private push0 = 0;
  head = 0;
  open = true;

  get size(): number {
    return this.lines.length - this.head;
  }

  /** When the line at `head` reached the merger. */
  headAt(): number {
    while (this.push0 + 1 < this.pushStart.length && this.pushStart[this.push0 + 1]! <= this.head) this.push0++;
    return this.pushAt[this.push0]!;
  }

  /** Forgets lines that went out, once they are most of what is kept. */
  compact(): void {
    if (this.head <= 1024 || this.head * 2 <= this.lines.length) return;
    const gone = this.head;
    this.lines = this.lines.slice(gone);
    this.nanos = this.nanos.slice(gone);
    this.headAt();
    this.pushAt = this.pushAt.slice(this.push0);
    this.pushStart = this.pushStart.slice(this.push0).map((start) => Math.max(0, start - gone));
    this.push0 = 0;
    this.head = 0;
  }
}

export interface MergeOptions {
  /** Following: how long a line may wait for silent sources before it goes out anyway. */
  holdBackMs: number | null;
  now?: () => number;
}

export class LogMerger {
  private readonly queues: SourceQueue[];
  /** The newest timestamp sent so far: a line older than it is late. */
  private sent: bigint = -1n;
  private readonly now: () => number;

  constructor(
    sources: number,
    private readonly options: MergeOptions,
  ) {
    this.queues = Array.from({ length: sources }, () => new SourceQueue());
    this.now = options.now ?? Date.now;
  }

  /** Lines waiting in the merger for `source`. */
  queued(source: number): number {
    return this.queues[source]!.size;
  }

  /** Adds one source's lines (in its own order). A line without a timestamp sorts with the newest sent. */
  push(source: number, lines: readonly LogLine[]): void {
    if (!lines.length) return;
    const queue = this.queues[source]!;
    queue.pushAt.push(this.now());
    queue.pushStart.push(queue.lines.length);
    let last = queue.nanos.length > queue.head ? queue.nanos[queue.nanos.length - 1]! : this.sent;
    for (const line of lines) {
      const nanos = (line.ts === undefined ? undefined : timestampNanos(line.ts)) ?? last;
      last = nanos;
      queue.lines.push(line);
      queue.nanos.push(nanos);
    }
  }

  /** The source will send nothing more. */
  end(source: number): void {
    this.queues[source]!.open = false;
  }

  get done(): boolean {
    return this.queues.every((q) => !q.open && q.size === 0);
  }

  /**
   * The lines that may go out now, in order; `flushAll` sends everything queued (the read is over).
   * The smallest head goes out while nothing older can still come. Once a source holds the smallest head,
   * its following lines go out in one run for as long as they stay before every other source's head (the
   * others do not change meanwhile), so the heads are compared once per run rather than once per line.
   */
  release(flushAll = false): MergedLogLine[] {
    const out: MergedLogLine[] = [];
    const { holdBackMs } = this.options;
    const now = this.now();
    const queues = this.queues;
    for (;;) {
      let best = -1;
      let bestNanos = 0n;
      let second = -1;
      let secondNanos = 0n;
      let waiting = false;
      for (let i = 0; i < queues.length; i++) {
        const q = queues[i]!;
        if (q.head >= q.lines.length) {
          if (q.open) waiting = true;
          continue;
        }
        const nanos = q.nanos[q.head]!;
        if (best === -1 || nanos < bestNanos) {
          second = best;
          secondNanos = bestNanos;
          best = i;
          bestNanos = nanos;
        } else if (second === -1 || nanos < secondNanos) {
          second = i;
          secondNanos = nanos;
        }
      }
      if (best === -1) break;
      const q = queues[best]!;
      let released = false;
      // While the run lasts, `waiting` cannot change: the other queues are untouched, and this one is not empty.
      while (q.head < q.lines.length) {
        const nanos = q.nanos[q.head]!;
        if (second !== -1 && (nanos > secondNanos || (nanos === secondNanos && second < best))) break;
        const late = nanos < this.sent;
        if (waiting && !flushAll && !late && !(holdBackMs !== null && now - q.headAt() >= holdBackMs)) break;
        const line = q.lines[q.head]!;
        q.head += 1;
        released = true;
        if (!late) this.sent = nanos;
        out.push(merged(line, best, late));
      }
      q.compact();
      if (!released) break;
    }
    return out;
  }

  /** When the oldest held line's hold-back runs out (ms from now), or null when nothing is held. */
  nextDeadline(): number | null {
    if (this.options.holdBackMs === null) return null;
    let oldest: number | null = null;
    for (const q of this.queues) {
      if (q.size === 0) continue;
      const at = q.headAt();
      if (oldest === null || at < oldest) oldest = at;
    }
    return oldest === null ? null : Math.max(0, oldest + this.options.holdBackMs - this.now());
  }
}

/** A line with its source: a literal of one shape (a spread per line was the merge's main cost). */
function merged(line: LogLine, source: number, late: boolean): MergedLogLine {
  const { stream, text, ts } = line;
  if (late) return ts === undefined ? { stream, text, source, late: true } : { stream, text, ts, source, late: true };
  return ts === undefined ? { stream, text, source } : { stream, text, ts, source };
}

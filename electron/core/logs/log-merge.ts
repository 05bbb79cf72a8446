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

interface Queued {
  line: LogLine;
  nanos: bigint;
  /** When it reached the merger (ms, the injected clock). */
  at: number;
}

class SourceQueue {
  items: Queued[] = [];
  head = 0;
  open = true;
  get size(): number {
    return this.items.length - this.head;
  }
  peek(): Queued | undefined {
    return this.items[this.head];
  }
  shift(): Queued {
    const item = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
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
    const queue = this.queues[source]!;
    const at = this.now();
    let last = queue.items[queue.items.length - 1]?.nanos ?? this.sent;
    for (const line of lines) {
      const nanos = (line.ts === undefined ? undefined : timestampNanos(line.ts)) ?? last;
      last = nanos;
      queue.items.push({ line, nanos, at });
    }
  }

  /** The source will send nothing more. */
  end(source: number): void {
    this.queues[source]!.open = false;
  }

  get done(): boolean {
    return this.queues.every((q) => !q.open && q.size === 0);
  }

  /** The lines that may go out now, in order; `flushAll` sends everything queued (the read is over). */
  release(flushAll = false): MergedLogLine[] {
    const out: MergedLogLine[] = [];
    const { holdBackMs } = this.options;
    const now = this.now();
    for (;;) {
      let best = -1;
      let bestNanos = 0n;
      let waiting = false;
      for (let i = 0; i < this.queues.length; i++) {
        const head = this.queues[i]!.peek();
        if (!head) {
          if (this.queues[i]!.open) waiting = true;
          continue;
        }
        if (best === -1 || head.nanos < bestNanos) {
          best = i;
          bestNanos = head.nanos;
        }
      }
      if (best === -1) break;
      const head = this.queues[best]!.peek()!;
      const late = head.nanos < this.sent;
      const expired = holdBackMs !== null && now - head.at >= holdBackMs;
      if (waiting && !flushAll && !late && !expired) break;
      this.queues[best]!.shift();
      if (!late) this.sent = head.nanos;
      out.push(late ? { ...head.line, source: best, late: true } : { ...head.line, source: best });
    }
    return out;
  }

  /** When the oldest held line's hold-back runs out (ms from now), or null when nothing is held. */
  nextDeadline(): number | null {
    if (this.options.holdBackMs === null) return null;
    let oldest: number | null = null;
    for (const q of this.queues) {
      const head = q.peek();
      if (head && (oldest === null || head.at < oldest)) oldest = head.at;
    }
    return oldest === null ? null : Math.max(0, oldest + this.options.holdBackMs - this.now());
  }
}

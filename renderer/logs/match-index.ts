import { stripAnsi } from './ansi';
import type { LogRing } from './log-ring';
import type { Matcher } from './log-search';

/**
 * Which lines of a ring match the search, kept up to date in O(new lines): lines are numbered by
 * absolute sequence (ring.dropped + index), so appends only scan the new tail and dropped lines only
 * move a head pointer.
 */
export class MatchIndex {
  private matcher: Matcher | null = null;
  private seqs: number[] = [];
  private head = 0;
  private scanned = 0;

  /** Bring the index up to date with the ring; cheap when nothing changed. */
  update(ring: LogRing, matcher: Matcher | null): void {
    if (matcher !== this.matcher || ring.total < this.scanned) {
      this.matcher = matcher;
      this.seqs = [];
      this.head = 0;
      this.scanned = ring.dropped;
    }
    if (!matcher?.ok) {
      this.scanned = ring.total;
      return;
    }
    while (this.head < this.seqs.length && this.seqs[this.head]! < ring.dropped) this.head++;
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
    for (let seq = Math.max(this.scanned, ring.dropped); seq < ring.total; seq++) {
      const text = ring.textAt(seq - ring.dropped);
      if (text !== undefined && matcher.find(stripAnsi(text)).length > 0) this.seqs.push(seq);
    }
    this.scanned = ring.total;
  }

  get count(): number {
    return this.seqs.length - this.head;
  }

  /** Absolute sequence number of the k-th match (0 = oldest kept). */
  seqAt(k: number): number | undefined {
    return this.seqs[this.head + k];
  }

  /** Position of a match among the matches, or -1 when `seq` is not a match. */
  positionOf(seq: number): number {
    let lo = this.head;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.seqs[mid]!;
      if (value === seq) return mid - this.head;
      if (value < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The next (or previous) match after `seq`, wrapping around; null when there are none. */
  step(seq: number | null, direction: 1 | -1): number | null {
    if (this.count === 0) return null;
    const position = seq === null ? -1 : this.positionOf(seq);
    const next =
      position === -1 && direction === -1 ? this.count - 1 : (position + direction + this.count) % this.count;
    return this.seqAt(next) ?? null;
  }
}

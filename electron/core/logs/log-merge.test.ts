import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../contract';
import { LogMerger } from './log-merge';
import { timestampNanos } from './log-timestamp';

const at = (second: number, text: string): LogLine => ({
  stream: 'stdout',
  text,
  ts: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000000000Z`,
});

describe('LogMerger', () => {
  it('reading history, waits for every open source and interleaves by timestamp', () => {
    const m = new LogMerger(3, { holdBackMs: null });
    m.push(0, [at(1, 'a1'), at(4, 'a4')]);
    m.push(1, [at(2, 'b2')]);
    expect(m.release()).toEqual([]); // source 2 has said nothing yet
    m.push(2, [at(3, 'c3')]);
    expect(m.release().map((l) => l.text)).toEqual(['a1', 'b2']);
    m.end(1);
    expect(m.release().map((l) => l.text)).toEqual(['c3']);
    m.end(2);
    m.end(0);
    expect(m.release().map((l) => [l.text, l.source])).toEqual([['a4', 0]]);
    expect(m.done).toBe(true);
  });

  it('following, lets a line go after the hold-back window, and marks a later older line late', () => {
    let now = 0;
    const m = new LogMerger(2, { holdBackMs: 100, now: () => now });
    m.push(0, [at(5, 'a5')]);
    expect(m.release()).toEqual([]);
    expect(m.nextDeadline()).toBe(100);
    now = 100;
    expect(m.release().map((l) => l.text)).toEqual(['a5']);
    m.push(1, [at(3, 'b3'), at(6, 'b6')]);
    const out = m.release();
    expect(out[0]).toMatchObject({ text: 'b3', source: 1, late: true });
    expect(out).toHaveLength(1); // b6 waits for source 0 or its own window
    now = 200;
    expect(m.release()).toEqual([{ ...at(6, 'b6'), source: 1 }]);
  });

  it('keeps equal timestamps in arrival order per source and flushes everything at the end', () => {
    const m = new LogMerger(2, { holdBackMs: null });
    m.push(0, [at(1, 'x'), at(1, 'y')]);
    m.push(1, [at(1, 'z')]);
    expect(m.release(true).map((l) => l.text)).toEqual(['x', 'y', 'z']);
  });
});

/**
 * The merge rule, one line at a time, written plainly: the oldest head (lowest source on a tie) goes out
 * when no open source is empty, or it is late, or its hold-back ran out, or everything is flushed.
 */
function referenceMerger(sources: number, holdBackMs: number | null, now: () => number) {
  const queues = Array.from({ length: sources }, () => ({
    items: [] as { line: LogLine; nanos: bigint; at: number }[],
    open: true,
  }));
  let sent = -1n;
  return {
    push(source: number, lines: LogLine[]) {
      const q = queues[source]!;
      let last = q.items.at(-1)?.nanos ?? sent;
      for (const line of lines) {
        const nanos = (line.ts === undefined ? undefined : timestampNanos(line.ts)) ?? last;
        last = nanos;
        q.items.push({ line, nanos, at: now() });
      }
    },
    end(source: number) {
      queues[source]!.open = false;
    },
    release(flushAll: boolean) {
      const out: unknown[] = [];
      for (;;) {
        const heads = queues.flatMap((q, i) => (q.items.length ? [{ i, head: q.items[0]! }] : []));
        if (!heads.length) break;
        const { i, head } = heads.reduce((a, b) => (b.head.nanos < a.head.nanos ? b : a));
        const waiting = queues.some((q) => q.open && !q.items.length);
        const late = head.nanos < sent;
        const expired = holdBackMs !== null && now() - head.at >= holdBackMs;
        if (waiting && !flushAll && !late && !expired) break;
        queues[i]!.items.shift();
        if (!late) sent = head.nanos;
        out.push({ ...head.line, source: i, ...(late && { late: true }) });
      }
      return out;
    },
  };
}

describe('LogMerger against the plain rule', () => {
  it('releases the same lines in the same order, over random pushes, ties, late lines, ends and windows', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const sources = 1 + Math.floor(random() * 5);
      const holdBackMs = random() < 0.3 ? null : Math.floor(random() * 50);
      let now = 0;
      const clock = () => now;
      const fast = new LogMerger(sources, { holdBackMs, now: clock });
      const plain = referenceMerger(sources, holdBackMs, clock);
      const clocks = Array.from({ length: sources }, () => Math.floor(random() * 20));
      let serial = 0;
      for (let step = 0; step < 80; step++) {
        const roll = random();
        if (roll < 0.55) {
          const source = Math.floor(random() * sources);
          const lines: LogLine[] = Array.from({ length: Math.floor(random() * 40) }, () => {
            // Mostly forward, sometimes the same time, now and then a little back (stdout and stderr interleave).
            const r = random();
            clocks[source]! += r < 0.2 ? 0 : r < 0.25 ? -2 : Math.floor(random() * 4);
            const text = `s${source} n${serial++}`;
            if (random() < 0.03) return { stream: 'stdout', text };
            const ms = String(Math.max(0, clocks[source]!)).padStart(9, '0');
            return { stream: random() < 0.1 ? 'stderr' : 'stdout', text, ts: `2026-01-01T00:00:01.${ms}Z` };
          });
          fast.push(source, lines);
          plain.push(source, lines);
        } else if (roll < 0.6) {
          const source = Math.floor(random() * sources);
          fast.end(source);
          plain.end(source);
        } else if (roll < 0.75) {
          now += Math.floor(random() * 30);
        } else {
          const flushAll = random() < 0.05;
          expect(fast.release(flushAll), `round ${round} step ${step}`).toEqual(plain.release(flushAll));
        }
      }
      expect(fast.release(true)).toEqual(plain.release(true));
    }
  });
});

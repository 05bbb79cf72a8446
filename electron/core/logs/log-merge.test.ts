import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../contract';
import { LogMerger } from './log-merge';

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

import { type LogLine, packLines, packMergedLines } from '../../electron/contract';
import { LogRing, rotationMarker } from './log-ring';

const lines = (from: number, count: number): LogLine[] =>
  Array.from({ length: count }, (_, i) => ({ stream: 'stdout', text: `line ${from + i}` }));

describe('LogRing', () => {
  it('keeps lines in order until full, then drops the oldest and counts them', () => {
    const ring = new LogRing(5);
    ring.append(lines(0, 3));
    expect([...ring].map((l) => l.text)).toEqual(['line 0', 'line 1', 'line 2']);
    ring.append(lines(3, 4));
    expect(ring.size).toBe(5);
    expect(ring.dropped).toBe(2);
    expect(ring.total).toBe(7);
    expect([...ring].map((l) => l.text)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(ring.at(0)?.text).toBe('line 2');
    expect(ring.at(5)).toBeUndefined();
    expect(ring.at(-1)).toBeUndefined();
  });

  it('keeps only the tail of a batch bigger than the ring', () => {
    const ring = new LogRing(3);
    ring.append(lines(0, 10));
    expect([...ring].map((l) => l.text)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(ring.dropped).toBe(7);
  });

  it('stays bounded at 200k lines after one million, with the newest line last', () => {
    const ring = new LogRing(200_000);
    for (let i = 0; i < 1_000_000; i += 5000) ring.append(lines(i, 5000));
    expect(ring.size).toBe(200_000);
    expect(ring.dropped).toBe(800_000);
    expect(ring.at(0)?.text).toBe('line 800000');
    expect(ring.at(199_999)?.text).toBe('line 999999');
  });

  it('appends in O(batch): a batch writes exactly its own slots, full or not', () => {
    let writes = 0;
    const storage = new Proxy([] as (string | undefined)[], {
      set(target, key, value) {
        if (key !== 'length') writes++;
        return Reflect.set(target, key, value);
      },
    });
    const ring = new LogRing(100_000, storage);
    ring.append(lines(0, 100_000));
    writes = 0;
    ring.append(lines(100_000, 10));
    expect(writes).toBe(10);
    writes = 0;
    ring.append(lines(100_010, 1));
    expect(writes).toBe(1);
    expect(ring.at(99_999)?.text).toBe('line 100010');
  });

  it('clears everything, including the dropped count', () => {
    const ring = new LogRing(2);
    ring.append(lines(0, 5));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.dropped).toBe(0);
    ring.append(lines(9, 1));
    expect(ring.at(0)?.text).toBe('line 9');
  });

  it('takes batches from the wire as columns and gives each line back as it was sent', () => {
    const ring = new LogRing(3);
    ring.appendBatch(
      packLines([
        { stream: 'stdout', text: 'a', ts: '2026-11-30T10:00:00.1Z' },
        { stream: 'stderr', text: 'b', ts: '2026-11-30T10:00:00.2Z' },
      ]),
    );
    ring.appendBatch(
      packMergedLines([
        { stream: 'stdout', text: 'c', source: 1, late: true },
        { stream: 'stderr', text: 'd', source: 0 },
      ]),
    );
    expect([...ring]).toEqual([
      { stream: 'stderr', text: 'b', ts: '2026-11-30T10:00:00.2Z' },
      { stream: 'stdout', text: 'c', source: 1, late: true },
      { stream: 'stderr', text: 'd', source: 0 },
    ]);
    expect([ring.textAt(2), ring.streamAt(2), ring.sourceAt(2), ring.tsAt(2)]).toEqual(['d', 'stderr', 0, undefined]);
    expect(ring.dropped).toBe(1);
    const resumed = new LogRing(10);
    resumed.append(lines(0, 1));
    resumed.appendRing(ring);
    expect([...resumed].map((l) => l.text)).toEqual(['line 0', 'b', 'c', 'd']);
    expect(resumed.at(1)?.ts).toBe('2026-11-30T10:00:00.2Z');
    expect(resumed.dropped).toBe(0);
  });

  it('counts marker rows apart from log lines, also as they drop out, move on resume, and clear', () => {
    const ring = new LogRing(4);
    ring.append(lines(0, 1));
    ring.append([rotationMarker({ missing: 5, recovered: 0 })]);
    ring.append(lines(1, 1));
    expect([ring.size, ring.lineCount, ring.markers]).toEqual([3, 2, 1]);
    const waiting = new LogRing(4);
    waiting.append([rotationMarker({ missing: 0, recovered: 2 })]);
    ring.appendRing(waiting);
    expect([ring.size, ring.lineCount, ring.markers]).toEqual([4, 2, 2]);
    // the first marker is the second row: two more lines push it (and line 0) out
    ring.append(lines(2, 2));
    expect([ring.size, ring.lineCount, ring.markers]).toEqual([4, 3, 1]);
    ring.append(lines(4, 2));
    expect([ring.size, ring.lineCount, ring.markers]).toEqual([4, 4, 0]);
    ring.append([rotationMarker({ missing: 1, recovered: 0 })]);
    ring.clear();
    expect([ring.size, ring.lineCount, ring.markers]).toEqual([0, 0, 0]);
  });
});

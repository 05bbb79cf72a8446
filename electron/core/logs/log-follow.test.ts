import { Resumption, timestampNanos } from './log-follow';

const line = (ts: string, text: string) => ({ stream: 'stdout' as const, text, ts });

describe('timestampNanos', () => {
  it('keeps all nine fraction digits, so lines within one millisecond stay apart', () => {
    const a = timestampNanos('2026-11-30T10:00:00.123456789Z');
    const b = timestampNanos('2026-11-30T10:00:00.12345679Z');
    expect(a).toBe(1_796_032_800_123_456_789n);
    expect(b! - a!).toBe(1n);
  });

  it('reads offsets and a missing fraction, and refuses what is not a timestamp', () => {
    expect(timestampNanos('2026-11-30T11:00:00+01:00')).toBe(timestampNanos('2026-11-30T10:00:00Z'));
    expect(timestampNanos('yesterday')).toBeUndefined();
  });
});

describe('Resumption: reading again from the last line delivered', () => {
  it('drops the lines already delivered, including ones sharing the last timestamp, and nothing else', () => {
    const r = new Resumption();
    const t1 = '2026-11-30T10:00:00.000000001Z';
    const t2 = '2026-11-30T10:00:00.000000002Z';
    const t3 = '2026-11-30T10:00:00.000000003Z';
    expect(r.take([line(t1, 'a'), line(t2, 'b'), line(t2, 'c')]).map((l) => l.text)).toEqual(['a', 'b', 'c']);
    r.rewind();
    // The engine answers `since` from the millisecond: everything again, then the new lines.
    const again = [line(t1, 'a'), line(t2, 'b'), line(t2, 'c'), line(t2, 'd'), line(t3, 'e')];
    expect(r.take(again).map((l) => l.text)).toEqual(['d', 'e']);
    expect(r.position?.nanos).toBe(timestampNanos(t3));
  });

  it('passes everything through before any rewind', () => {
    const r = new Resumption();
    const t = '2026-11-30T10:00:00Z';
    expect(r.take([line(t, 'x'), line(t, 'x')])).toHaveLength(2);
    expect(r.position?.sameTime).toBe(2);
  });
});

describe('Resumption: the position without reading every line', () => {
  /** The position as a line-by-line reading finds it: the last time, and how many lines in a row share it. */
  const byEveryLine = (batches: ReturnType<typeof line>[][]) => {
    let nanos: bigint | undefined;
    let sameTime = 0;
    for (const l of batches.flat()) {
      const at = timestampNanos(l.ts)!;
      sameTime = at === nanos ? sameTime + 1 : 1;
      nanos = at;
    }
    return { nanos, sameTime };
  };

  it('matches a line-by-line reading when runs of one time cross batch boundaries', () => {
    const t = (n: number) => `2026-11-30T10:00:00.00000000${n}Z`;
    // Runs of equal times across batches, a batch all of one time, and a time written two ways (…0Z vs …Z).
    const batches = [
      [line(t(1), 'a'), line(t(2), 'b')],
      [line(t(2), 'c'), line(t(2), 'd')],
      [line(t(2), 'e'), line(t(3), 'f'), line(t(3), 'g')],
      [line(t(3), 'h')],
      [line('2026-11-30T10:00:01.5Z', 'i'), line('2026-11-30T10:00:01.50Z', 'j')],
    ];
    const r = new Resumption();
    for (let i = 0; i < batches.length; i++) {
      expect(r.take(batches[i]!)).toBe(batches[i]); // the batch passes whole: no copy, no per-line work
      const want = byEveryLine(batches.slice(0, i + 1));
      expect({ nanos: r.position?.nanos, sameTime: r.position?.sameTime }).toEqual(want);
    }
  });

  it('after a rewind, skips the repeats and then counts the rest of the batch from the end', () => {
    const t = (n: number) => `2026-11-30T10:00:00.00000000${n}Z`;
    const r = new Resumption();
    r.take([line(t(1), 'a'), line(t(2), 'b')]);
    r.rewind();
    const fresh = r.take([line(t(1), 'a'), line(t(2), 'b'), line(t(2), 'c'), line(t(3), 'd'), line(t(3), 'e')]);
    expect(fresh.map((l) => l.text)).toEqual(['c', 'd', 'e']);
    expect(r.position).toMatchObject({ nanos: timestampNanos(t(3)), sameTime: 2 });
  });
});

describe('Resumption: the repeats a rotation makes the engine send on its own (a log that can rotate)', () => {
  const at = (micros: number) => `2026-11-30T10:00:00.${String(micros).padStart(6, '0')}000Z`;
  const run = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => line(at(from + i), `n=${from + i}`));

  it('drops a replay from an older line, and keeps what follows it', () => {
    const r = new Resumption({ repeats: true });
    expect(r.take(run(1, 100))).toHaveLength(100);
    // The engine opened the current file again: lines 40..100 once more, then 101..120 new.
    const again = r.take([...run(40, 100), ...run(101, 120)]);
    expect(again.map((l) => l.text)).toEqual(run(101, 120).map((l) => l.text));
  });

  it('keeps a line stamped a little earlier that was never delivered (the other stream), without moving back', () => {
    const r = new Resumption({ repeats: true });
    r.take(run(1, 100));
    const early = { stream: 'stderr' as const, text: 'warn', ts: '2026-11-30T10:00:00.000099500Z' };
    expect(r.take([early, ...run(101, 102)]).map((l) => l.text)).toEqual(['warn', 'n=101', 'n=102']);
    expect(r.position?.nanos).toBe(timestampNanos(at(102)));
  });
});

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

import { canRotate, JumpWatch, MIN_JUMP_MS } from './rotation-gaps';

/** Lines `stepMicros` apart from a base time, as the engine stamps them. */
function lines(count: number, startMicros: number, stepMicros: number) {
  const base = Date.UTC(2026, 10, 30, 10);
  return Array.from({ length: count }, (_, i) => {
    const micros = startMicros + i * stepMicros;
    const ms = base + Math.floor(micros / 1000);
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    const ts = `${new Date(ms).toISOString().slice(0, 19)}.${fraction}000Z`;
    return { stream: 'stdout' as const, text: `n=${i}`, ts };
  });
}

describe('JumpWatch: the timestamp jumps a skipped log file leaves', () => {
  it('finds a jump far beyond the stream rhythm, and only once the rhythm is known', () => {
    const watch = new JumpWatch(() => 0);
    // 200 lines 10 µs apart, then 100 ms of nothing (a skipped file), then the rhythm again.
    const before = lines(200, 0, 10);
    const after = lines(100, 2_000 + 100_000, 10);
    const all = [...before, ...after];
    const jump = watch.next(all);
    expect(jump?.index).toBe(200);
    expect(jump?.from.ts).toBe(before.at(-1)!.ts);
    expect(jump?.to.ts).toBe(after[0]!.ts);
    expect(jump?.intervalNanos).toBeGreaterThan(5_000);
    expect(jump?.intervalNanos).toBeLessThan(20_000);
    expect(watch.next(all, 201)).toBeNull();
  });

  it('ignores jumps shorter than MIN_JUMP_MS, a stream too short to judge, and steps back in time', () => {
    const short = new JumpWatch(() => 0);
    const pause = MIN_JUMP_MS * 1000 - 1; // just under the floor, in µs
    expect(short.next([...lines(200, 0, 10), ...lines(10, 1_990 + pause, 10)])).toBeNull();
    const young = new JumpWatch(() => 0);
    expect(young.next([...lines(10, 0, 10), ...lines(10, 1_000_000, 10)])).toBeNull();
    const back = new JumpWatch(() => 0);
    expect(back.next([...lines(200, 1_000_000, 10), ...lines(10, 0, 10)])).toBeNull();
  });

  it('after a check that found nothing, checks no other stall for a while; after a gap, checks the next', () => {
    let now = 0;
    const watch = new JumpWatch(() => now);
    const a = [...lines(200, 0, 10), ...lines(200, 1_000_000, 10), ...lines(200, 2_000_000, 10)];
    expect(watch.next(a)?.index).toBe(200);
    watch.checked(true);
    expect(watch.next(a, 201)?.index).toBe(400);
    watch.checked(false);
    expect(watch.next(a, 401)).toBeNull();
    now = 10_000;
    // The next stall, from 2 s to 3 s, is checked again once the interval has passed.
    expect(watch.next(lines(10, 3_000_000, 10))?.index).toBe(0);
  });
});

describe('canRotate', () => {
  it('is true for json-file with max-size and for local, false otherwise', () => {
    expect(canRotate({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } })).toBe(true);
    expect(canRotate({ Type: 'local', Config: {} })).toBe(true);
    expect(canRotate({ Type: 'json-file', Config: {} })).toBe(false);
    expect(canRotate({ Type: 'journald' })).toBe(false);
    expect(canRotate(undefined)).toBe(false);
  });
});

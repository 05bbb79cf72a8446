import { BENCH_LABEL, benchRun, countsLine } from './engine';

describe('benchRun', () => {
  it('names each run apart under the one bench label key', () => {
    const a = benchRun('logs');
    const b = benchRun('logs');
    expect(a.id).toMatch(/^logs-[0-9a-f]{6}$/);
    expect(a.label).toBe(`${BENCH_LABEL}=${a.id}`);
    expect(a.id).not.toBe(b.id);
  });
});

describe('countsLine', () => {
  it('says unchanged only when images, containers and volumes all match', () => {
    const before = { images: 5, containers: 1, volumes: 0 };
    expect(countsLine(before, { ...before })).toBe('images 5 → 5, containers 1 → 1, volumes 0 → 0 (unchanged)');
    expect(countsLine(before, { ...before, volumes: 1 })).toMatch(/volumes 0 → 1 \(\*\*changed\*\*/);
  });
});

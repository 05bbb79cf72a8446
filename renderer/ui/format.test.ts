import { formatBytes, formatDuration, formatUptime, relativeTime, shortId } from './format';

describe('format', () => {
  it('formats bytes like the docker CLI', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(97_280)).toBe('97.3 kB');
    expect(formatBytes(182_000_000)).toBe('182 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 03 min');
  });

  it('formats uptimes in whole seconds, never negative', () => {
    expect(formatUptime(0)).toBe('0 s');
    expect(formatUptime(-1500)).toBe('0 s');
    expect(formatUptime(6_400)).toBe('6 s');
    expect(formatUptime(65_000)).toBe('1 min 05 s');
    expect(formatUptime(2 * 3_600_000 + 3 * 60_000 + 59_000)).toBe('2 h 03 min');
    expect(formatUptime(26 * 3_600_000)).toBe('1 d 02 h');
    expect(formatUptime(Number.NaN)).toBe('—');
  });

  it('formats relative times', () => {
    const now = 1_000_000_000_000;
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now - 60_000, now)).toBe('1 minute ago');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe('2 days ago');
  });

  it('shortens ids to 12 hex digits', () => {
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
  });
});

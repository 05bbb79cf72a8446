import { describe, expect, it } from 'vitest';
import { cpuPercent, isStoppedSample, type RawStats, statsSample } from './container-stats';

const raw: RawStats = {
  read: '2026-11-30T12:00:01Z',
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
  memory_stats: { usage: 50_000_000, limit: 1_000_000_000, stats: { inactive_file: 10_000_000 } },
  networks: { eth0: { rx_bytes: 100, tx_bytes: 50 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
  blkio_stats: {
    io_service_bytes_recursive: [
      { op: 'read', value: 4096 },
      { op: 'write', value: 8192 },
      { op: 'Read', value: 4 },
    ],
  },
};

describe('a stats sample, as docker stats computes it', () => {
  it('CPU: cpu delta / system delta × online CPUs × 100', () => {
    // (1e9 / 2e9) × 2 × 100 = 100%: one of two cores busy
    expect(cpuPercent(raw)).toBe(100);
  });
  it('CPU is 0 on the first sample (no previous reading) instead of dividing by zero', () => {
    expect(cpuPercent({ ...raw, precpu_stats: {}, cpu_stats: { ...raw.cpu_stats, system_cpu_usage: 0 } })).toBe(0);
  });
  it('memory without the inactive page cache; network and block I/O summed', () => {
    expect(statsSample(raw)).toEqual({
      at: Date.parse('2026-11-30T12:00:01Z'),
      cpuPercent: 100,
      memoryBytes: 40_000_000,
      memoryLimitBytes: 1_000_000_000,
      netRxBytes: 101,
      netTxBytes: 52,
      blockReadBytes: 4100,
      blockWriteBytes: 8192,
    });
  });
  it('a stopped container’s sample has a zero read time', () => {
    expect(isStoppedSample({ read: '0001-01-01T00:00:00Z' })).toBe(true);
    expect(isStoppedSample(raw)).toBe(false);
  });
});

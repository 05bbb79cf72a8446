/**
 * Where a measured span's CPU went, from /proc (Linux): the whole machine's busy time and chosen processes'
 * own time, in core-seconds. A slow run on a shared machine then shows whether Berth did more work or got
 * less of the cores.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ), 100 on every Linux this runs on. */
const TICKS = 100;

/** utime + stime of one process, in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** Busy time of all cores together since boot (everything but idle and iowait), in seconds. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS;
}

/** The processes whose command line passes `match` (read from /proc; processes that vanish are skipped). */
export function pidsWhere(match: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export interface CpuShares {
  /** Busy core-seconds of the whole machine, and of each named group of processes. */
  machine: number;
  groups: Record<string, number>;
}

/**
 * Starts counting: `groups` name the processes to follow (found again at the end, so processes started
 * meanwhile count from zero). Call the result at the end of the span for the core-seconds each used in it.
 */
export function cpuSpan(groups: Record<string, () => number[]>): () => CpuShares {
  const machineAt = machineBusySeconds();
  const at = new Map<number, number>();
  for (const find of Object.values(groups)) for (const pid of find()) at.set(pid, processCpuSeconds(pid));
  return () => {
    const shares: Record<string, number> = {};
    for (const [name, find] of Object.entries(groups)) {
      shares[name] = find().reduce((sum, pid) => sum + processCpuSeconds(pid) - (at.get(pid) ?? 0), 0);
    }
    return { machine: machineBusySeconds() - machineAt, groups: shares };
  };
}

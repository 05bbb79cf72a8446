/**
 * Live resource use from the engine's `GET /containers/{id}/stats` stream: CPU computed as the docker CLI
 * does, memory without the page cache, network and block I/O totals. Every open stream is counted, so a
 * test (or the UI's debug view) can check that none is left running after its view closed.
 */
import type { Readable } from 'node:stream';
import type { StatsEvent, StatsSample } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';

export interface RawStats {
  read: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op: string; value: number }> | null };
}

/** cpu delta / system delta × online CPUs × 100, as `docker stats` computes it (0 when either delta is 0). */
export function cpuPercent(raw: RawStats): number {
  const cpu = (raw.cpu_stats?.cpu_usage?.total_usage ?? 0) - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const system = (raw.cpu_stats?.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = raw.cpu_stats?.online_cpus || raw.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  return cpu > 0 && system > 0 ? (cpu / system) * cpus * 100 : 0;
}

/** Memory in use as the docker CLI shows it: usage minus the inactive page cache (cgroup v1 or v2). */
function memoryUsed(raw: RawStats): number {
  const usage = raw.memory_stats?.usage ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  const cache = stats.total_inactive_file ?? stats.inactive_file ?? 0;
  return Math.max(0, cache < usage ? usage - cache : usage);
}

/** A stopped container's stats carry a zero read time. */
export const isStoppedSample = (raw: RawStats): boolean => raw.read.startsWith('0001-01-01');

export function statsSample(raw: RawStats): StatsSample {
  const networks = Object.values(raw.networks ?? {});
  const block = raw.blkio_stats?.io_service_bytes_recursive ?? [];
  const blockOp = (op: string) =>
    block.filter((entry) => entry.op.toLowerCase() === op).reduce((total, entry) => total + entry.value, 0);
  return {
    at: Date.parse(raw.read),
    cpuPercent: cpuPercent(raw),
    memoryBytes: memoryUsed(raw),
    memoryLimitBytes: raw.memory_stats?.limit ?? 0,
    netRxBytes: networks.reduce((total, n) => total + n.rx_bytes, 0),
    netTxBytes: networks.reduce((total, n) => total + n.tx_bytes, 0),
    blockReadBytes: blockOp('read'),
    blockWriteBytes: blockOp('write'),
  };
}

let open = 0;
/** How many stats streams are open to the engine right now. */
export const openStatsStreams = (): number => open;

/**
 * Follows one container's stats until `signal` aborts or the container stops (then a `stopped` event).
 * Resolves when the engine stream is closed.
 */
export async function followStats(
  engine: EngineHandle,
  id: string,
  emit: (event: StatsEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return;
  let stream: Readable;
  try {
    stream = (await engine.docker.getContainer(id).stats({ stream: true })) as unknown as Readable;
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `container "${id}"`);
  }
  open += 1;
  await new Promise<void>((resolve) => {
    let buffer = '';
    const finish = () => {
      signal.removeEventListener('abort', finish);
      stream.destroy();
      resolve();
    };
    let stopped = false;
    const ended = () => {
      // The engine closes the stream when the container stops.
      if (!signal.aborted && !stopped) {
        stopped = true;
        emit({ kind: 'stopped' });
      }
      finish();
    };
    stream.on('close', ended);
    stream.on('end', ended);
    stream.on('error', finish);
    signal.addEventListener('abort', finish, { once: true });
    if (signal.aborted) finish();
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (!line) continue;
        const raw = JSON.parse(line) as RawStats;
        if (isStoppedSample(raw)) {
          ended();
          return;
        }
        emit({ kind: 'sample', sample: statsSample(raw) });
      }
    });
  });
  open -= 1;
}

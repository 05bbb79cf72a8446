/** Live resource use of one container, one sample a second from the engine's stats stream. */
import { z } from 'zod';
import { Millis } from './shapes';

export const StatsSample = z.object({
  at: Millis,
  /** As the docker CLI: cpu delta / system delta × online CPUs × 100 (so 200% is two busy cores). */
  cpuPercent: z.number().min(0),
  memoryBytes: z.number().min(0),
  memoryLimitBytes: z.number().min(0),
  netRxBytes: z.number().min(0),
  netTxBytes: z.number().min(0),
  blockReadBytes: z.number().min(0),
  blockWriteBytes: z.number().min(0),
});
export type StatsSample = z.infer<typeof StatsSample>;

export const StatsEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), sample: StatsSample }),
  /** The container stopped: the stream ends. */
  z.object({ kind: z.literal('stopped') }),
]);
export type StatsEvent = z.infer<typeof StatsEvent>;

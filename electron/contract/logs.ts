/** Container logs: lines and the batches the log stream carries. */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { Millis } from './shapes';

export const LogLine = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string().describe('one line, without its newline; ANSI escapes kept'),
  ts: z.string().optional().describe('RFC 3339 timestamp from the engine when asked for'),
});
export type LogLine = z.infer<typeof LogLine>;

export const LogEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lines'), lines: z.array(LogLine) }),
  z.object({ kind: z.literal('end'), reason: z.enum(['container-stopped', 'container-removed', 'done']) }),
  /** The engine connection broke while following; the stream waits for the engine and then resumes. */
  z.object({ kind: z.literal('interrupted'), error: ErrorShape, at: Millis }),
  /**
   * Following again after an interruption. Lines the engine kept from `gapFrom` on come next, none twice;
   * what the container printed while the engine was down was never recorded by the engine.
   */
  z.object({ kind: z.literal('resumed'), gapFrom: Millis, at: Millis }),
  /**
   * The engine rotated the container's log file while it was followed, and its follow skipped what lay
   * between `from` and `to` (the last line delivered, and the next the engine still holds). About `missing`
   * lines (an estimate from the stream's rhythm) are gone from the engine; `recovered` lines it still held
   * were read again and come next. The follow goes on.
   */
  z.object({
    kind: z.literal('rotated'),
    from: Millis,
    to: Millis,
    missing: z.number().int().min(0),
    recovered: z.number().int().min(0),
  }),
]);
export type LogEvent = z.infer<typeof LogEvent>;

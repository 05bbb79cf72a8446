/** Container logs: lines and the batches the log stream carries. */
import { z } from 'zod';

export const LogLine = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string().describe('one line, without its newline; ANSI escapes kept'),
  ts: z.string().optional().describe('RFC 3339 timestamp from the engine when asked for'),
});
export type LogLine = z.infer<typeof LogLine>;

export const LogEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lines'), lines: z.array(LogLine) }),
  z.object({ kind: z.literal('end'), reason: z.enum(['container-stopped', 'container-removed', 'done']) }),
]);
export type LogEvent = z.infer<typeof LogEvent>;

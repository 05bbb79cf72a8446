/** Small shapes every noun uses: times, empty inputs, the ok answer, ports. */
import { z } from 'zod';

export const Millis = z.number().describe('milliseconds since the Unix epoch');
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });

export const Port = z.coerce
  .number({ message: 'port must be a number' })
  .int('port must be a whole number')
  .min(1, 'port must be between 1 and 65535')
  .max(65535, 'port must be between 1 and 65535');

/** Small shapes every noun uses: times, empty inputs, the ok answer. (Ports are strict, in ids.ts.) */
import { z } from 'zod';

export const Millis = z.number().describe('milliseconds since the Unix epoch');
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });

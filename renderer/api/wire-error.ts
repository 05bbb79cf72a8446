/** Turns whatever a transport rejected with into a BerthError, keeping code, message, fix and fields. */
import { BerthError, ErrorShape } from '../../electron/contract';

export function berthErrorFrom(value: unknown, fallback = 'Berth answered with an unexpected error.'): BerthError {
  if (value instanceof BerthError) return value;
  const shape = ErrorShape.safeParse(value);
  if (shape.success) return BerthError.fromShape(shape.data);
  return new BerthError('INTERNAL', fallback, 'Reload the page; if it keeps happening, restart Berth.');
}

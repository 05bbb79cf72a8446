import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** Parses `value` with `schema`, or throws a 400 that lists each field's problems. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  throw new HttpError(400, 'validation_failed', 'The request has invalid fields; see `fields`.', fields);
}

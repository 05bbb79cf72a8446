import { ErrorCode, type ErrorShape } from '../../electron/contract';

/** Whatever was thrown, as the contract's error shape: code, message and (when known) fix. */
export function toErrorShape(error: unknown): ErrorShape {
  if (typeof error === 'object' && error !== null) {
    const e = error as Partial<ErrorShape> & { message?: unknown };
    const code = ErrorCode.safeParse(e.code);
    if (code.success) {
      return {
        code: code.data,
        message: typeof e.message === 'string' ? e.message : 'Something went wrong.',
        ...(typeof e.fix === 'string' && { fix: e.fix }),
        ...(e.fields && { fields: e.fields }),
      };
    }
    if (typeof e.message === 'string') return { code: 'INTERNAL', message: e.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}

/** The first message for one input field, from an INVALID_INPUT error's `fields`. */
export function fieldError(error: ErrorShape | null | undefined, field: string): string | undefined {
  return error?.fields?.[field]?.[0];
}

/** The first message for a field or anything under it ("tags" matches "tags.0" and "tags[1]"). */
export function fieldErrorUnder(error: ErrorShape | null | undefined, prefix: string): string | undefined {
  const fields = error?.fields;
  if (!fields) return undefined;
  for (const [key, messages] of Object.entries(fields)) {
    if (key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`)) return messages[0];
  }
  return undefined;
}

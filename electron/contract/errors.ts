/** The typed error that crosses every boundary: a code, a human message, the fix and, for bad input, the fields. */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'ENGINE_UNREACHABLE', // the Docker engine does not answer
  'INVALID_INPUT', // the request fails validation; `fields` says which
  'NOT_FOUND', // image, container, build or file does not exist
  'CONFLICT', // name already in use, image in use by a container, ...
  'PORT_TAKEN', // host port already bound
  'BUILD_FAILED', // the engine reported an error during a build
  'PUSH_FAILED', // the registry or engine reported an error during a push
  'AUTH_FAILED', // registry credentials rejected
  'HELPER_FAILED', // a docker credential helper failed, hung or answered something unreadable
  'DEPLOY_FAILED', // Heroku or Azure reported an error
  'PARITY_FAILED', // a platform-parity run got no HTTP answer on $PORT
  'CANCELLED', // the user cancelled
  'UNSUPPORTED', // not possible in this mode (e.g. openExternal in web mode)
  'STORAGE_FAILED', // Berth's own data folder could not be written (disk full, read-only, permissions)
  'INTERNAL', // a bug: anything unexpected
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What an error looks like on the wire: a code, a human message and, where there is one, the fix. */
export const ErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  fix: z.string().optional(),
  fields: z.record(z.string(), z.array(z.string())).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** The error every layer raises and every transport carries unchanged to the UI. */
export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly fields: Record<string, string[]> | undefined;

  constructor(code: ErrorCode, message: string, fix?: string, fields?: Record<string, string[]>) {
    super(message);
    this.name = 'BerthError';
    this.code = code;
    this.fix = fix;
    this.fields = fields;
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.fix !== undefined && { fix: this.fix }),
      ...(this.fields !== undefined && { fields: this.fields }),
    };
  }

  static fromShape(shape: ErrorShape): BerthError {
    return new BerthError(shape.code, shape.message, shape.fix, shape.fields);
  }
}

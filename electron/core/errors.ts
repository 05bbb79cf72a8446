import { BerthError } from '../contract';

interface EngineHttpError {
  statusCode?: number;
  code?: string;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/** The engine's own message from a dockerode error, without dockerode's "(HTTP code 404) ..." prefix. */
export function engineMessage(error: unknown): string {
  const e = error as EngineHttpError;
  return (e.json?.message ?? e.message ?? String(error)).replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
}

export function unreachable(endpoint: string, cause?: unknown): BerthError {
  const detail = cause ? ` (${(cause as EngineHttpError).code ?? engineMessage(cause)})` : '';
  return new BerthError(
    'ENGINE_UNREACHABLE',
    `The Docker engine at ${endpoint} does not answer${detail}.`,
    'Start Docker (for example `sudo dockerd`), or set DOCKER_HOST to a running engine.',
  );
}

/**
 * Input errors dockerd 20.10 answers with 500 instead of 400 ("invalid mode: /x" for a bind with an extra ":",
 * "repository name must not be more than 255 characters", "invalid reference format", ...). They are the
 * caller's to fix, so they become INVALID_INPUT, not INTERNAL.
 */
const ENGINE_INPUT_ERROR =
  /invalid (mode|volume specification|mount config|reference format|ip address|port|bind mount|tag|argument|parameter|container name|name)|repository name must|must not be more than \d+ characters|is not a valid (repository|reference|name)|invalid (characters|syntax)/i;

function inputFix(message: string): string {
  if (/repository name|reference format/i.test(message)) {
    return 'Use a lowercase image name[:tag] of at most 255 characters before the tag, e.g. notas-iv:latest.';
  }
  if (/mode|volume|mount|bind/i.test(message)) {
    return 'Give a volume name or an absolute host path without ":", and an absolute container path.';
  }
  return 'Correct the input and try again.';
}

/**
 * Turns anything dockerode throws into a BerthError with a fix. `what` names the thing acted on,
 * e.g. `image "notas-iv"`, so the message says what was missing or in conflict.
 */
export function toBerthError(error: unknown, endpoint: string, what = 'the object'): BerthError {
  if (error instanceof BerthError) return error;
  const e = error as EngineHttpError;
  if (e.code && UNREACHABLE_CODES.has(e.code)) return unreachable(endpoint, error);
  const message = engineMessage(error);
  if (e.statusCode === 400 || (e.statusCode === 500 && ENGINE_INPUT_ERROR.test(message))) {
    return new BerthError('INVALID_INPUT', `The engine refused the request: ${message}`, inputFix(message));
  }
  switch (e.statusCode) {
    case 401:
      return new BerthError('AUTH_FAILED', message, 'Check the user name and password or access token.');
    case 404:
      return new BerthError('NOT_FOUND', `No such ${what}: ${message}`, 'Refresh the list; it may have been removed.');
    case 409:
      return new BerthError('CONFLICT', message, 'Stop or remove what is using it first, or force the operation.');
    default:
      return new BerthError(
        'INTERNAL',
        message || 'The engine returned an unexpected error.',
        'Try again; if it persists, check the engine log.',
      );
  }
}

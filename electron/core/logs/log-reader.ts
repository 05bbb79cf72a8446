import { BerthError, type LogEvent } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { type BatchLimits, DEFAULT_BATCH_LIMITS, LogBatcher, type LogSink } from './log-batcher';
import { pipeLogs } from './log-pipeline';
import { type LogRequest, openLogStream } from './log-source';

export type { LogSink } from './log-batcher';
export type { LogRequest } from './log-source';

export type LogEndReason = Extract<LogEvent, { kind: 'end' }>['reason'];

export interface LogReadOptions {
  /** Aborting stops reading at once: the engine stream is destroyed and nothing more is delivered. */
  signal?: AbortSignal;
  limits?: BatchLimits;
}

/**
 * Streams a container's logs to `sink` as `{kind:'lines'}` batches, then one `{kind:'end'}` event:
 * 'done' when not following, 'container-stopped' or 'container-removed' when following and the engine
 * closes the stream. Resolves with the end reason, or 'cancelled' (and no end event) when aborted.
 * Rejects with a BerthError: NOT_FOUND for an unknown container, or the sink's own error.
 */
export async function readLogs(
  connection: EngineHandle,
  request: LogRequest,
  sink: LogSink,
  options: LogReadOptions = {},
): Promise<LogEndReason | 'cancelled'> {
  const { signal } = options;
  if (signal?.aborted) return 'cancelled';
  let stream: Awaited<ReturnType<typeof openLogStream>>;
  try {
    stream = await openLogStream(connection, request, signal);
  } catch (error) {
    if (signal?.aborted) return 'cancelled';
    throw error;
  }
  const batcher = new LogBatcher(sink, options.limits ?? DEFAULT_BATCH_LIMITS);
  const stop = () => stream.body.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const piped = pipeLogs(stream.body, { tty: stream.tty, timestamps: request.timestamps ?? false }, batcher);
    const outcome = await Promise.race([piped.then(() => 'ended' as const), aborted(signal)]).catch(
      (error: unknown) => {
        if (signal?.aborted) return 'cancelled' as const;
        // The engine stream failing is checked below (removed container?); anything else, e.g. the sink's
        // own error, goes to the caller as it is.
        if (stream.body.errored && !(error instanceof BerthError)) return 'broken' as const;
        throw error;
      },
    );
    piped.catch(() => undefined);
    if (outcome === 'cancelled' || signal?.aborted) return 'cancelled';
    const reason = await endReason(connection, stream.containerId, request.follow ?? true, outcome === 'broken');
    await batcher.end(reason);
    return reason;
  } finally {
    batcher.close();
    signal?.removeEventListener('abort', stop);
    stream.body.destroy();
  }
}

function aborted(signal: AbortSignal | undefined): Promise<'cancelled'> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve('cancelled'), { once: true }));
}

/** How long a closed follow stream is watched for removal: `docker rm -f` kills first and removes a moment later. */
const REMOVAL_GRACE_MS = 300;
const REMOVAL_POLL_MS = 50;

/** Why the engine closed the stream: the container went away, it stopped, or all the history was read. */
async function endReason(
  { docker, endpoint }: EngineHandle,
  containerId: string,
  follow: boolean,
  broken: boolean,
): Promise<LogEndReason> {
  const deadline = Date.now() + (follow || broken ? REMOVAL_GRACE_MS : 0);
  for (;;) {
    try {
      const info = await docker.getContainer(containerId).inspect();
      if (info.State.Status === 'removing' || info.State.Status === 'dead') return 'container-removed';
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return 'container-removed';
      throw toBerthError(error, endpoint, 'container');
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, REMOVAL_POLL_MS));
  }
  if (broken) {
    throw new BerthError(
      'INTERNAL',
      'The log stream from the engine broke off.',
      'Open the logs again; if it keeps happening, check the engine log.',
    );
  }
  return follow ? 'container-stopped' : 'done';
}

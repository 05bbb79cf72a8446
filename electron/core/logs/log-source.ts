import type { IncomingMessage } from 'node:http';
import { BerthError } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { sinceParam } from './log-timestamp';

/** What to read: the contract's `logs` stream params, plus `tail: 'all'` for the whole history. */
export interface LogRequest {
  id: string;
  tail?: number | 'all';
  /** Only lines after this time, ms since the epoch. */
  since?: number;
  /** Only lines before this time, ms since the epoch (the engine's own `until`). */
  until?: number;
  timestamps?: boolean;
  follow?: boolean;
}

export interface LogStream {
  /** The engine's full container id. */
  containerId: string;
  tty: boolean;
  body: IncomingMessage;
}

export function containerNotFound(id: string, detail?: string): BerthError {
  return new BerthError(
    'NOT_FOUND',
    `Container "${id}" does not exist${detail ? ` (${detail})` : ''}, so it has no logs to show.`,
    'It may have been removed: refresh the container list and pick a container that exists.',
  );
}

/**
 * Opens the engine's log stream for a container. Always streams (dockerode buffers the whole body when
 * `follow` is off, which for a big history would hold it all in memory). 404 → NOT_FOUND.
 */
export async function openLogStream(
  { docker, endpoint }: EngineHandle,
  request: LogRequest,
  signal?: AbortSignal,
): Promise<LogStream> {
  let info: { Id: string; Config: { Tty?: boolean } };
  try {
    info = await docker.getContainer(request.id).inspect({ abortSignal: signal });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw containerNotFound(request.id);
    throw toBerthError(error, endpoint, `container "${request.id}"`);
  }
  const query: Record<string, string | boolean | number> = {
    follow: request.follow ?? true,
    stdout: true,
    stderr: true,
    timestamps: request.timestamps ?? false,
    tail: request.tail ?? 1000,
  };
  if (request.since !== undefined) query.since = sinceParam(request.since);
  if (request.until !== undefined) query.until = sinceParam(request.until);
  const body = await new Promise<IncomingMessage>((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${info.Id}/logs?`,
        method: 'GET',
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (error, result) => (error ? reject(error) : resolve(result as IncomingMessage)),
    );
  }).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode === 404) throw containerNotFound(request.id, 'removed just now');
    throw toBerthError(error, endpoint, `container "${request.id}"`);
  });
  return { containerId: info.Id, tty: info.Config.Tty === true, body };
}

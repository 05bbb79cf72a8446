/**
 * Several containers' logs as one stream: each container is read on its own (readLogs or followLogs,
 * always with timestamps), and a LogMerger interleaves the lines by engine timestamp.
 */
import { BerthError, type LogSelection, type MergedLogEvent, type MergedLogSource } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import type { LogSink } from './log-batcher';
import { LogMerger } from './log-merge';
import { type LogEndReason, type LogReadOptions, readLogs } from './log-reader';
import type { LogRequest } from './log-source';

/** Following: how long a line waits for containers that print nothing before it is shown anyway. */
export const DEFAULT_HOLD_BACK_MS = 250;
/**
 * Following: the containers' batches that arrive within this long go out as one release, one message to the
 * client rather than one per container batch (10 containers sent ~400 small messages a second, each checked,
 * serialised and written on its own). It adds at most this much to a line's age.
 */
export const COALESCE_MS = 20;
/** A container's reader pauses while this many of its lines wait in the merger for the others. */
const MAX_QUEUED_PER_SOURCE = 20_000;

export type ReadOne = (
  request: LogRequest,
  sink: LogSink,
  options: LogReadOptions,
) => Promise<LogEndReason | 'cancelled'>;

export interface MergedRequest {
  selection: LogSelection;
  tail: number | 'all';
  since?: number;
  until?: number;
  follow: boolean;
}

export interface MergedSink {
  deliver(event: MergedLogEvent): unknown;
}

export interface MergedReadOptions {
  signal?: AbortSignal;
  holdBackMs?: number;
  /** How one container is read: readLogs by default; the app passes followLogs to survive engine restarts. */
  readOne?: ReadOne;
}

const byName = (a: MergedLogSource, b: MergedLogSource) => a.name.localeCompare(b.name);

/** The containers a selection names, sorted by name (so tags keep their colours between reads). */
export async function resolveSelection(
  { docker, endpoint }: EngineHandle,
  selection: LogSelection,
): Promise<MergedLogSource[]> {
  try {
    if (selection.by === 'containers') {
      const found: MergedLogSource[] = [];
      for (const id of new Set(selection.ids)) {
        try {
          const info = await docker.getContainer(id).inspect();
          if (!found.some((s) => s.id === info.Id)) found.push({ id: info.Id, name: info.Name.replace(/^\//, '') });
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode === 404) {
            throw new BerthError(
              'NOT_FOUND',
              `Container "${id}" does not exist, so its logs cannot be merged.`,
              'Refresh the container list and pick containers that exist.',
            );
          }
          throw error;
        }
      }
      return found.sort(byName);
    }
    const filters: Record<string, string[]> =
      selection.by === 'project'
        ? { label: [`com.docker.compose.project=${selection.project}`] }
        : { ancestor: [selection.image] };
    const list = await docker.listContainers({ all: true, filters });
    const sources = list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, '') })).sort(byName);
    if (!sources.length) {
      const what = selection.by === 'project' ? `compose project "${selection.project}"` : `image "${selection.image}"`;
      throw new BerthError(
        'NOT_FOUND',
        `No container belongs to the ${what}, so there are no logs to merge.`,
        'Check the name, or start the project (or a container of the image) first.',
      );
    }
    return sources;
  } catch (error) {
    if (error instanceof BerthError) throw error;
    throw toBerthError(error, endpoint, 'containers');
  }
}

/**
 * Reads the selected containers' logs merged by timestamp into `sink`: `sources`, then `lines` (each
 * tagged with its source index), `source-end`/`source-error` as each container's stream ends, and `end`
 * once all have. Resolves 'done' or 'cancelled'. Memory is bounded: a container's reader waits while
 * MAX_QUEUED_PER_SOURCE of its lines are held, and the sink's own readiness holds every reader back.
 */
export async function readMergedLogs(
  connection: EngineHandle,
  request: MergedRequest,
  sink: MergedSink,
  options: MergedReadOptions = {},
): Promise<'done' | 'cancelled'> {
  const { signal } = options;
  const readOne: ReadOne = options.readOne ?? ((r, s, o) => readLogs(connection, r, s, o));
  const sources = await resolveSelection(connection, request.selection);
  if (signal?.aborted) return 'cancelled';
  await sink.deliver({ kind: 'sources', sources });
  const merger = new LogMerger(sources.length, {
    holdBackMs: request.follow ? (options.holdBackMs ?? DEFAULT_HOLD_BACK_MS) : null,
  });

  // Deliveries are serialised: one release at a time, each awaited before the next.
  let chain: Promise<void> = Promise.resolve();
  let roomWaiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const send = (event: MergedLogEvent, flushAll = false): Promise<void> => {
    chain = chain.then(async () => {
      if (signal?.aborted) return;
      const lines = merger.release(flushAll);
      if (lines.length) await sink.deliver({ kind: 'lines', lines });
      if (event.kind !== 'lines') await sink.deliver(event);
      const waiters = roomWaiters;
      roomWaiters = [];
      for (const wake of waiters) wake();
      schedule();
    });
    return chain;
  };
  const pump = () => send({ kind: 'lines', lines: [] });
  // Every reader that pushed in the window waits for the one release, so the sink's readiness still holds
  // each of them back.
  let soon: Promise<void> | undefined;
  const pumpSoon = (): Promise<void> => {
    if (!request.follow) return pump();
    soon ??= new Promise<void>((resolve) => setTimeout(resolve, COALESCE_MS)).then(() => {
      soon = undefined;
      return pump();
    });
    return soon;
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const due = merger.nextDeadline();
    if (due !== null && !signal?.aborted) timer = setTimeout(() => void pump().catch(() => undefined), due + 1);
  };

  const readSource = async (index: number): Promise<void> => {
    const source = sources[index]!;
    const oneSink: LogSink = {
      deliver: async (event) => {
        if (event.kind === 'lines') {
          merger.push(index, event.lines);
          await pumpSoon();
          while (merger.queued(index) > MAX_QUEUED_PER_SOURCE && !signal?.aborted) {
            await new Promise<void>((resolve) => roomWaiters.push(resolve));
          }
        } else if (event.kind === 'resumed') {
          await send({ kind: 'gap', source: index, from: event.gapFrom, to: event.at });
        } else if (event.kind === 'rotated') {
          // The marker goes out after the lines released so far; lines still held back to be merged follow it.
          const { kind, ...gap } = event;
          await send({ kind, source: index, ...gap });
        }
        // 'end' is sent below, once the reader returns; 'interrupted' shows as the gap when it resumes.
      },
    };
    const oneRequest: LogRequest = {
      id: source.id,
      tail: request.tail,
      timestamps: true,
      follow: request.follow,
      ...(request.since !== undefined && { since: request.since }),
      ...(request.until !== undefined && { until: request.until }),
    };
    try {
      const reason = await readOne(oneRequest, oneSink, { ...(signal && { signal }) });
      merger.end(index);
      if (reason !== 'cancelled') await send({ kind: 'source-end', source: index, reason });
    } catch (error) {
      merger.end(index);
      const shape = (
        error instanceof BerthError ? error : toBerthError(error, connection.endpoint, source.name)
      ).toShape();
      await send({ kind: 'source-error', source: index, error: shape });
    }
  };

  try {
    await Promise.all(sources.map((_, i) => readSource(i)));
    if (signal?.aborted) return 'cancelled';
    await send({ kind: 'end', reason: 'done' }, true);
    return signal?.aborted ? 'cancelled' : 'done';
  } finally {
    if (timer) clearTimeout(timer);
    for (const wake of roomWaiters) wake();
  }
}

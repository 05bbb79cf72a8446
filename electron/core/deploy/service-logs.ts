/**
 * A Swarm service's logs, followed live and tagged by task. The engine gives the whole service as one
 * multiplexed stream (`GET /services/{id}/logs?follow=1&timestamps=1&details=1`); with `details` each line
 * reads `<timestamp> com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,com.docker.swarm.task.id=… <text>`
 * (values query-escaped). The log pipeline (demultiplex, split, timestamps, batches) reads it as it reads a
 * container's; here the details come off each line and name its task, and the lines go out as the merged
 * logs' events with one source per task, so the Logs pieces show them with the merged view's tags.
 */
import type { IncomingMessage } from 'node:http';
import {
  BerthError,
  type LogEvent,
  type MergedLogEvent,
  type MergedLogLine,
  type MergedLogSource,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { type BatchLimits, DEFAULT_BATCH_LIMITS, LogBatcher, type LogSink } from '../logs/log-batcher';
import type { MergedSink } from '../logs/log-merged';
import { pipeLogs } from '../logs/log-pipeline';
import { findService, notFound, requireManager } from './swarm-services';

/** The detail that names a line's task (and the one naming its node), as the engine adds them. */
export const TASK_ID_DETAIL = 'com.docker.swarm.task.id';
export const NODE_ID_DETAIL = 'com.docker.swarm.node.id';

/** `key=value,key=value ` at the start of a line: no spaces or commas inside, the engine escapes them. */
const DETAILS = /^[^\s=,]+=[^\s,]*(?:,[^\s=,]+=[^\s,]*)* /;

/** Go's url.QueryEscape undone: `+` is a space, `%XX` a byte. */
function unescapeDetail(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The engine's details off the front of a line, and the text after them. A line that does not start with
 * details naming a task is all text (the split is not guessed from text that only looks like `a=b `).
 */
export function splitDetails(line: string): { details: Record<string, string>; text: string } {
  const match = DETAILS.exec(line);
  if (!match) return { details: {}, text: line };
  const details: Record<string, string> = {};
  for (const pair of match[0].trimEnd().split(',')) {
    const eq = pair.indexOf('=');
    details[unescapeDetail(pair.slice(0, eq))] = unescapeDetail(pair.slice(eq + 1));
  }
  if (details[TASK_ID_DETAIL] === undefined) return { details: {}, text: line };
  // A line the engine sent in pieces (over 16 KB, or a pause before its newline) has the details again at
  // the start of each piece, after the timestamp the pipeline drops: the same ids, so exactly the same text.
  const text = line.slice(match[0].length);
  return { details, text: text.includes(match[0]) ? text.split(match[0]).join('') : text };
}

/** A task as the tags need it: its id and slot (null for a global service's tasks). */
export interface TaskRef {
  id: string;
  slot: number | null;
}

/**
 * A task's tag: its slot and short id, as the end of `docker service logs`' `service.slot.id` (the service's
 * name is the view's title), so two tasks of one slot (a replaced task) still read apart.
 */
export const taskTag = (task: TaskRef): string =>
  task.slot === null ? task.id.slice(0, 12) : `${task.slot}.${task.id.slice(0, 12)}`;

/** The sources of a service's log: one per task, in the order first known, so indices never change. */
class TaskSources {
  readonly sources: MergedLogSource[] = [];
  private readonly index = new Map<string, number>();

  /** Adds the tasks not known yet; true when there are new ones. */
  add(tasks: readonly TaskRef[]): boolean {
    const before = this.sources.length;
    for (const task of tasks) {
      if (this.index.has(task.id)) continue;
      this.index.set(task.id, this.sources.length);
      this.sources.push({ id: task.id, name: task.id === '' ? 'service' : taskTag(task) });
    }
    return this.sources.length > before;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }
}

/** Where a service's log comes from: the engine's stream, and the service's tasks as they are now. */
export interface ServiceLogSource {
  body: AsyncIterable<Buffer>;
  tty: boolean;
  tasks(): Promise<TaskRef[]>;
}

const byAge = (a: TaskRef, b: TaskRef) => (a.slot ?? 0) - (b.slot ?? 0);

/**
 * Reads a service's log stream into `sink` as merged-log events: `sources` (the tasks known at the start,
 * by slot), `lines` with each line's task as its source, `sources` again (the whole list, grown) when a line
 * names a task not known yet, and `end` once the engine ends the stream.
 */
export async function pipeServiceLogs(
  source: ServiceLogSource,
  sink: MergedSink,
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): Promise<void> {
  const tasks = new TaskSources();
  tasks.add([...(await source.tasks())].sort(byAge));
  await sink.deliver({ kind: 'sources', sources: [...tasks.sources] });

  const tag = (lines: Array<{ task: string; line: Omit<MergedLogLine, 'source'> }>): MergedLogEvent => ({
    kind: 'lines',
    lines: lines.map(({ task, line }) => ({ ...line, source: tasks.indexOf(task)! })),
  });
  const taskSink: LogSink = {
    deliver: (event: LogEvent) => {
      if (event.kind !== 'lines') return;
      const lines = event.lines.map((line) => {
        const { details, text } = splitDetails(line.text);
        return { task: details[TASK_ID_DETAIL] ?? '', line: { ...line, text } };
      });
      const unknown = [...new Set(lines.map((l) => l.task).filter((id) => tasks.indexOf(id) === undefined))];
      if (unknown.length === 0) return sink.deliver(tag(lines));
      return (async () => {
        // A task started since (scale, update, restart): its slot comes from the engine's task list.
        const listed = new Map((await source.tasks()).map((t) => [t.id, t]));
        tasks.add(unknown.map((id) => listed.get(id) ?? { id, slot: null }).sort(byAge));
        await sink.deliver({ kind: 'sources', sources: [...tasks.sources] });
        await sink.deliver(tag(lines));
      })();
    },
  };
  const batcher = new LogBatcher(taskSink, limits);
  try {
    await pipeLogs(source.body, { tty: source.tty, timestamps: true }, batcher);
    await batcher.end('done');
  } finally {
    batcher.close();
  }
  await sink.deliver({ kind: 'end', reason: 'done' });
}

export interface ServiceLogOptions {
  tail: number;
  follow: boolean;
  /** Aborting destroys the engine stream; nothing more is delivered. */
  signal?: AbortSignal;
}

interface RawTaskRef {
  ID: string;
  Slot?: number;
  CreatedAt?: string;
}

/**
 * Follows a service's logs (or reads its history, `follow: false`), every task tagged, into `sink`.
 * Resolves 'done' when the engine ended the stream, 'cancelled' when aborted.
 */
export async function followServiceLogs(
  engine: EngineHandle,
  ref: string,
  sink: MergedSink,
  options: ServiceLogOptions,
): Promise<'done' | 'cancelled'> {
  const { signal } = options;
  if (signal?.aborted) return 'cancelled';
  await requireManager(engine);
  let body: IncomingMessage;
  let tty: boolean;
  let serviceId: string;
  try {
    const raw = await findService(engine.docker, ref);
    if (!raw) throw notFound(ref);
    serviceId = raw.ID;
    tty = Boolean((raw.Spec?.TaskTemplate?.ContainerSpec as { TTY?: boolean } | undefined)?.TTY);
    // Always as a stream (dockerode would buffer a history read whole), with the abort signal on the request.
    body = await new Promise<IncomingMessage>((resolve, reject) => {
      engine.docker.modem.dial(
        {
          path: `/services/${raw.ID}/logs?`,
          method: 'GET',
          isStream: true,
          abortSignal: signal,
          statusCodes: { 200: true, 404: 'no such service', 500: 'server error', 503: 'node is not part of a swarm' },
          options: {
            follow: options.follow,
            stdout: true,
            stderr: true,
            timestamps: true,
            details: true,
            tail: options.tail,
          },
        },
        (error, result) => (error ? reject(error) : resolve(result as IncomingMessage)),
      );
    });
  } catch (error) {
    if (signal?.aborted) return 'cancelled';
    if (error instanceof BerthError) throw error;
    throw toBerthError(error, engine.endpoint, `service "${ref}"`);
  }
  const stop = () => body.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  const tasks = async (): Promise<TaskRef[]> => {
    const list = (await engine.docker.listTasks({ filters: { service: [serviceId] } })) as RawTaskRef[];
    return list
      .sort((a, b) => Date.parse(a.CreatedAt ?? '') - Date.parse(b.CreatedAt ?? ''))
      .map((t) => ({ id: t.ID, slot: t.Slot ?? null }));
  };
  // Once aborted, nothing more goes to the sink, and the read stops at once (a destroyed body may not end
  // the pipeline's read by itself, so the abort is raced as readLogs does).
  const guarded: MergedSink = { deliver: (event) => (signal?.aborted ? undefined : sink.deliver(event)) };
  const aborted = new Promise<'cancelled'>((resolve) =>
    signal?.addEventListener('abort', () => resolve('cancelled'), { once: true }),
  );
  const piped = pipeServiceLogs({ body, tty, tasks }, guarded);
  piped.catch(() => undefined);
  try {
    const outcome = await Promise.race([piped.then(() => 'done' as const), aborted]);
    return signal?.aborted ? 'cancelled' : outcome;
  } catch (error) {
    if (signal?.aborted) return 'cancelled';
    if (error instanceof BerthError) throw error;
    throw toBerthError(error, engine.endpoint, `the logs of service "${ref}"`);
  } finally {
    signal?.removeEventListener('abort', stop);
    body.destroy();
  }
}

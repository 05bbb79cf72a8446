/**
 * Following a container's logs across engine restarts. When the engine connection breaks, the stream says
 * so (`interrupted`, with the ENGINE_UNREACHABLE error), waits for the engine to answer again, marks the
 * gap (`resumed`) and reads on from the last line delivered, using the engine's own timestamps so that no
 * line it kept is lost or sent twice.
 */
import { BerthError, type EngineStatus, type LogEvent, type LogLine } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { engineAnswers } from '../engine-check';
import { unreachable } from '../errors';
import type { LogSink } from './log-batcher';
import { type LogEndReason, type LogReadOptions, readLogs } from './log-reader';
import type { LogRequest } from './log-source';

/** The engine as log following needs it: a connection plus its status (the Engine class has this shape). */
export interface WatchedEngine extends EngineHandle {
  current(): EngineStatus;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  status(): Promise<EngineStatus>;
}

/** An engine timestamp as nanoseconds since the epoch (engine timestamps carry up to 9 fraction digits). */
export function timestampNanos(ts: string): bigint | undefined {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** The last line delivered: its time, and how many delivered lines share that exact time. */
interface Position {
  nanos: bigint;
  ms: number;
  sameTime: number;
}

/** Keeps track of the position and drops lines at or before it when reading again. */
export class Resumption {
  position: Position | undefined;
  private skipSameTime = 0;
  private skipBefore: bigint | undefined;

  /** Called before reading again from `position`: lines older than it, and the ones seen at it, are repeats. */
  rewind(): void {
    this.skipBefore = this.position?.nanos;
    this.skipSameTime = this.position?.sameTime ?? 0;
  }

  /**
   * The new lines of a batch; moves the position. Only while repeats are being skipped (after a rewind) is
   * every line's time read; otherwise the batch passes whole and only its last lines are read for the
   * position (a follow of a million lines then costs one timestamp parse per batch, not one per line).
   */
  take(lines: LogLine[]): LogLine[] {
    if (this.skipBefore === undefined) {
      this.advance(lines);
      return lines;
    }
    const fresh: LogLine[] = [];
    let i = 0;
    for (; i < lines.length && this.skipBefore !== undefined; i++) {
      const line = lines[i]!;
      const nanos = line.ts === undefined ? undefined : timestampNanos(line.ts);
      if (nanos !== undefined) {
        if (nanos < this.skipBefore) continue;
        if (nanos === this.skipBefore && this.skipSameTime > 0) {
          this.skipSameTime -= 1;
          continue;
        }
        this.skipBefore = undefined;
        this.note(nanos, 1, true);
      }
      fresh.push(line);
    }
    if (i === lines.length) return fresh;
    const rest = lines.slice(i);
    this.advance(rest);
    return fresh.concat(rest);
  }

  /** Moves the position to the batch's last timed line, counting the lines before it that share its time. */
  private advance(lines: readonly LogLine[]): void {
    let last = lines.length - 1;
    while (last >= 0 && lines[last]!.ts === undefined) last--;
    if (last < 0) return;
    const ts = lines[last]!.ts!;
    const nanos = timestampNanos(ts);
    if (nanos === undefined) {
      // Not an engine timestamp: read the batch line by line, as skipping does.
      for (const line of lines) {
        const each = line.ts === undefined ? undefined : timestampNanos(line.ts);
        if (each !== undefined) this.note(each, 1, true);
      }
      return;
    }
    let same = 0;
    let i = last;
    for (; i >= 0; i--) {
      const other = lines[i]!.ts;
      if (other === undefined) continue;
      if (other !== ts && timestampNanos(other) !== nanos) break;
      same++;
    }
    this.note(nanos, same, i < 0);
  }

  /** `count` lines at `nanos`; `continues` when they may extend the run at the current position. */
  private note(nanos: bigint, count: number, continues: boolean): void {
    this.position =
      continues && this.position && this.position.nanos === nanos
        ? { ...this.position, sameTime: this.position.sameTime + count }
        : { nanos, ms: Number(nanos / 1_000_000n), sameTime: count };
  }
}

const RECHECK_FIRST_MS = 50;
const RECHECK_MAX_MS = 250;

/** Resolves true once the engine takes new connections again, false when `signal` aborts first. */
async function whenBack(engine: WatchedEngine, signal: AbortSignal | undefined): Promise<boolean> {
  let wait = RECHECK_FIRST_MS;
  while (!signal?.aborted) {
    if (await engineAnswers(engine.docker)) {
      void engine.status(); // let the status (and the event feed) catch up at once
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, RECHECK_MAX_MS);
  }
  return false;
}

/**
 * Like readLogs, but a follow survives the engine going away: `interrupted` when it breaks, `resumed`
 * when the engine answers again, then the lines from where it stopped. Not following, it is readLogs.
 */
export async function followLogs(
  engine: WatchedEngine,
  request: LogRequest,
  sink: LogSink,
  options: LogReadOptions = {},
): Promise<LogEndReason | 'cancelled'> {
  if (!(request.follow ?? true)) return readLogs(engine, request, sink, options);
  const keepTimestamps = request.timestamps ?? false;
  const resumption = new Resumption();
  // A follow that ends because the container stopped may really be the engine shutting down (it stops
  // every container before it exits): that end is held until the engine is known to be staying.
  let heldEnd: LogEvent | undefined;
  const forward: LogSink = {
    deliver: (event) => {
      if (event.kind === 'end' && event.reason === 'container-stopped') {
        heldEnd = event;
        return true;
      }
      if (event.kind !== 'lines') return sink.deliver(event);
      const fresh = resumption.take(event.lines);
      if (!fresh.length) return true;
      const lines = keepTimestamps ? fresh : fresh.map(({ ts: _ts, ...line }) => line);
      return sink.deliver({ kind: 'lines', lines });
    },
    ...(sink.drained && { drained: () => sink.drained!() }),
  };
  // Timestamps are always asked for: they are how a resumed read finds its place.
  let next: LogRequest = { ...request, timestamps: true };
  for (;;) {
    let cause: BerthError;
    heldEnd = undefined;
    try {
      const reason = await readLogs(engine, next, forward, options);
      if (reason !== 'container-stopped' || (await engineAnswers(engine.docker))) {
        if (heldEnd) await sink.deliver(heldEnd);
        return reason;
      }
      cause = unreachable(engine.endpoint, Object.assign(new Error('shutting down'), { code: 'shutting down' }));
    } catch (error) {
      if (!(error instanceof BerthError) || error.code !== 'ENGINE_UNREACHABLE') throw error;
      cause = error;
    }
    if (options.signal?.aborted) return 'cancelled';
    const at = Date.now();
    await sink.deliver({ kind: 'interrupted', error: cause.toShape(), at });
    if (!(await whenBack(engine, options.signal))) return 'cancelled';
    const position = resumption.position;
    await sink.deliver({ kind: 'resumed', gapFrom: position?.ms ?? at, at: Date.now() });
    resumption.rewind();
    next = position ? { ...request, timestamps: true, tail: 'all', since: position.ms } : { ...next };
  }
}

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
import { timestampNanos } from './log-timestamp';
import { canRotate, checkGap, JumpWatch } from './rotation-gaps';

export { timestampNanos };

/** The engine as log following needs it: a connection plus its status (the Engine class has this shape). */
export interface WatchedEngine extends EngineHandle {
  current(): EngineStatus;
  onStatus(listener: (status: EngineStatus) => void): () => void;
  status(): Promise<EngineStatus>;
}

const nanosOf = (line: LogLine): bigint => (line.ts === undefined ? undefined : timestampNanos(line.ts)) ?? -1n;

/** The last line delivered: its time, and how many delivered lines share that exact time. */
interface Position {
  nanos: bigint;
  ms: number;
  sameTime: number;
}

/** How many delivered lines' times are remembered to tell a repeat from a line stamped a little early. */
const RECENT_LINES = 4096;

/**
 * Keeps track of the position and drops lines at or before it when reading again. It also drops the
 * repeats dockerd 20.10's json-file follow sends on its own after a rotation (it opens the current file
 * again from its start): a line older than the position is a repeat when its exact time was delivered
 * already, or when it is older than every remembered line. A line only a little older and never seen
 * (stdout and stderr are copied apart, so their stamps interleave) is kept.
 */
export class Resumption {
  position: Position | undefined;
  private skipSameTime = 0;
  private skipBefore: bigint | undefined;
  private readonly recent = new Set<bigint>();
  private readonly recentOrder: bigint[] = [];
  /** The newest time that left the remembered window: anything at or before it is old. */
  private floor: bigint | undefined;

  /** Whether the engine may send lines again on its own (a log that rotates): then every line is read. */
  private readonly repeats: boolean;

  constructor(options: { repeats?: boolean } = {}) {
    this.repeats = options.repeats ?? false;
  }

  /** Whether a line at this time was delivered already (or is older than everything remembered). */
  seen(nanos: bigint): boolean {
    return this.recent.has(nanos) || (this.floor !== undefined && nanos <= this.floor);
  }

  /** Remembers delivered times (lines delivered outside `take`, such as lines read again after a gap). */
  remember(nanos: bigint): void {
    if (this.recent.has(nanos)) return;
    this.recent.add(nanos);
    this.recentOrder.push(nanos);
    if (this.recentOrder.length > RECENT_LINES) {
      const gone = this.recentOrder.shift()!;
      this.recent.delete(gone);
      if (this.floor === undefined || gone > this.floor) this.floor = gone;
    }
  }

  /** Called before reading again from `position`: lines older than it, and the ones seen at it, are repeats. */
  rewind(): void {
    this.skipBefore = this.position?.nanos;
    this.skipSameTime = this.position?.sameTime ?? 0;
  }

  /**
   * The new lines of a batch; moves the position. Only while repeats are being skipped (after a rewind) is
   * every line's time read; otherwise the batch passes whole and only its last lines are read for the
   * position (a follow of a million lines then costs one timestamp parse per batch, not one per line).
   * A log that can rotate is read line by line instead (`repeats`), to drop what the engine sends again.
   */
  take(lines: LogLine[]): LogLine[] {
    if (this.repeats) return this.takeEach(lines);
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

  /** take(), reading every line's time: for logs that can rotate, where the engine may send repeats. */
  private takeEach(lines: LogLine[]): LogLine[] {
    const fresh: LogLine[] = [];
    for (const line of lines) {
      const nanos = line.ts === undefined ? undefined : timestampNanos(line.ts);
      // The engine started over from an older line on its own: skip to where this reader is.
      if (nanos !== undefined && this.skipBefore === undefined && this.position && nanos < this.position.nanos) {
        if (this.seen(nanos)) this.rewind();
      }
      if (nanos !== undefined && this.skipBefore !== undefined) {
        if (nanos < this.skipBefore) continue;
        if (nanos === this.skipBefore && this.skipSameTime > 0) {
          this.skipSameTime -= 1;
          continue;
        }
        this.skipBefore = undefined;
      }
      if (nanos !== undefined) {
        // A line stamped a little early (the other stream) leaves the position where it is.
        if (this.position && this.position.nanos === nanos) {
          this.position = { ...this.position, sameTime: this.position.sameTime + 1 };
        } else if (!this.position || nanos > this.position.nanos) {
          this.position = { nanos, ms: Number(nanos / 1_000_000n), sameTime: 1 };
        }
        this.remember(nanos);
      }
      fresh.push(line);
    }
    return fresh;
  }
}

/** Whether the container's log driver can rotate its file; false when that cannot be told. */
async function logCanRotate({ docker }: EngineHandle, id: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(id).inspect();
    return canRotate(info.HostConfig?.LogConfig as Parameters<typeof canRotate>[0]);
  } catch {
    return false; // readLogs reports an unknown container in its own words
  }
}

async function stillRunning({ docker }: EngineHandle, id: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(id).inspect();
    return info.State.Running === true && info.State.Restarting !== true;
  } catch {
    return false;
  }
}

/** How long a follow on a log that can rotate may be quiet before the engine is asked if it is stuck. */
const STUCK_CHECK_MS = 1000;
/** ...and how long between checks, at most, while it stays quiet. */
const MAX_QUIET_CHECK_MS = 30_000;

/** Whether the engine holds a line newer than `position` (one read, not followed, from its millisecond). */
async function holdsNewer(
  engine: EngineHandle,
  id: string,
  position: { nanos: bigint; ms: number } | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (!position) return false;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let newer = false;
  try {
    await readLogs(
      engine,
      { id, tail: 'all', timestamps: true, follow: false, since: position.ms },
      {
        deliver: (event) => {
          if (event.kind !== 'lines' || newer) return;
          newer = event.lines.some((line) => (timestampNanos(line.ts ?? '') ?? -1n) > position.nanos);
          if (newer) stop.abort();
        },
      },
      { signal: stop.signal },
    );
  } catch {
    return false; // a failed check is no evidence; the follow's own errors are reported by it
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return newer;
}

/** Re-attaching to a follow the engine closed: at most REATTACH_BURST in REATTACH_WINDOW_MS, then a pause. */
const REATTACH_BURST = 5;
const REATTACH_WINDOW_MS = 1000;
async function pace(recent: number[]): Promise<number[]> {
  const now = Date.now();
  const kept = recent.filter((at) => now - at < REATTACH_WINDOW_MS);
  if (kept.length >= REATTACH_BURST) await new Promise((resolve) => setTimeout(resolve, REATTACH_WINDOW_MS));
  return [...kept, Date.now()];
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
  const { signal } = options;
  // Only a log that can rotate is watched for the gaps a rotation leaves (rotation-gaps.ts), and for the
  // lines the engine sends again after one.
  const rotates = await logCanRotate(engine, request.id);
  const resumption = new Resumption({ repeats: rotates });
  const jumps = rotates ? new JumpWatch() : null;
  const ready = async (readiness: unknown) => {
    if (readiness === false) await sink.drained?.();
    else await readiness;
  };
  const pass = async (lines: LogLine[]) => {
    if (!lines.length) return;
    // A literal per line: an object rest (`{ ts, ...line }`) costs a runtime call per line.
    const out = keepTimestamps ? lines : lines.map((line): LogLine => ({ stream: line.stream, text: line.text }));
    await ready(sink.deliver({ kind: 'lines', lines: out }));
  };
  // Each jump worth checking splits the batch: the lines before it, what the engine says lies inside it
  // (the marker, then the lines it still holds), then the rest.
  const deliverLines = async (batch: LogLine[]) => {
    const lines = resumption.take(batch);
    let from = 0;
    for (let jump = jumps?.next(lines) ?? null; jump; jump = jumps?.next(lines, jump.index + 1) ?? null) {
      await pass(lines.slice(from, jump.index));
      from = jump.index;
      const gap = await checkGap(engine, request.id, jump, signal).catch(() => null);
      const recovered = (gap?.recovered ?? []).filter((line) => !resumption.seen(nanosOf(line)));
      const found = gap !== null && (gap.missing > 0 || recovered.length > 0);
      jumps?.checked(found);
      if (!found || signal?.aborted) continue;
      const to = gap.lostUntil ?? jump.to;
      await ready(
        sink.deliver({
          kind: 'rotated',
          from: Number(jump.from.nanos / 1_000_000n),
          to: Number(to.nanos / 1_000_000n),
          missing: gap.missing,
          recovered: recovered.length,
        }),
      );
      for (const line of recovered) resumption.remember(nanosOf(line));
      await pass(recovered);
    }
    await pass(lines.slice(from));
  };
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
      lastActivity = Date.now();
      quietFor = STUCK_CHECK_MS;
      delivering += 1;
      return deliverLines(event.lines).finally(() => {
        delivering -= 1;
        lastActivity = Date.now();
      });
    },
    ...(sink.drained && { drained: () => sink.drained!() }),
  };
  // Timestamps are always asked for: they are how a resumed read finds its place.
  let next: LogRequest = { ...request, timestamps: true };
  // dockerd 20.10's follow can also stop delivering after a rotation while the stream stays open (it waits
  // for a rotation notice it missed). On a log that can rotate, a follow quiet for STUCK_CHECK_MS asks the
  // engine whether it holds newer lines; if it does, this read is dropped and the follow re-attached.
  let lastActivity = Date.now();
  let delivering = 0;
  let attempt: AbortController | undefined;
  let stuck = false;
  const outerAbort = () => attempt?.abort();
  signal?.addEventListener('abort', outerAbort, { once: true });
  // A container that is only quiet is asked less and less often (each check reads its log files).
  let quietFor = STUCK_CHECK_MS;
  let checking = false;
  const watchdog = jumps
    ? setInterval(() => {
        if (stuck || checking || delivering > 0 || Date.now() - lastActivity < quietFor) return;
        checking = true;
        const seenAt = lastActivity;
        void holdsNewer(engine, request.id, resumption.position, signal).then((newer) => {
          checking = false;
          if (newer && delivering === 0 && lastActivity === seenAt && !signal?.aborted) {
            stuck = true;
            attempt?.abort();
          } else if (lastActivity === seenAt) {
            quietFor = Math.min(quietFor * 2, MAX_QUIET_CHECK_MS);
          }
        });
      }, STUCK_CHECK_MS)
    : undefined;
  try {
    return await followLoop();
  } finally {
    if (watchdog) clearInterval(watchdog);
    signal?.removeEventListener('abort', outerAbort);
  }

  /**
   * dockerd 20.10 ends a follow early once the container has exited when its reader is behind, and Berth
   * reads only as fast as the screen takes lines. A raw follow over the engine socket, paused until its
   * container (100,000 lines, 1,000 every 20 ms) had exited, got 5,000 lines; the stream-backpressure engine
   * test got 11,387 of 100,000 in CI run 20. So a follow that ends with the container stopped reads once
   * more, not following, from the last line delivered; only lines not yet delivered pass.
   */
  async function catchUp(): Promise<void> {
    if (signal?.aborted) return;
    resumption.rewind();
    const position = resumption.position;
    const rest: LogRequest = position
      ? { ...request, timestamps: true, tail: 'all', since: position.ms, follow: false }
      : { ...request, timestamps: true, follow: false };
    const onlyLines: LogSink = {
      deliver: (event) => (event.kind === 'lines' ? forward.deliver(event) : true),
      ...(sink.drained && { drained: () => sink.drained!() }),
    };
    try {
      await readLogs(engine, rest, onlyLines, options);
    } catch {
      // Gone since (removed, or the engine went away): there is nothing more to read, and the end stands.
    }
  }

  async function followLoop(): Promise<LogEndReason | 'cancelled'> {
    let reattachments: number[] = [];
    for (;;) {
      let cause: BerthError;
      heldEnd = undefined;
      if (signal?.aborted) return 'cancelled';
      try {
        attempt = new AbortController();
        stuck = false;
        const reason = await readLogs(engine, next, forward, { ...options, signal: attempt.signal });
        if (reason === 'cancelled' && !signal?.aborted && stuck) {
          reattachments = await pace(reattachments);
          resumption.rewind();
          const position = resumption.position;
          next = position ? { ...request, timestamps: true, tail: 'all', since: position.ms } : { ...next };
          continue;
        }
        if (reason === 'container-stopped' && (await stillRunning(engine, request.id))) {
          // The engine closed a follow while the container runs on (a rotation it could not follow): read
          // on from the last line delivered; a gap it leaves is checked like any other jump.
          if (signal?.aborted) return 'cancelled';
          reattachments = await pace(reattachments);
          resumption.rewind();
          const position = resumption.position;
          next = position ? { ...request, timestamps: true, tail: 'all', since: position.ms } : { ...next, tail: 0 };
          continue;
        }
        if (reason !== 'container-stopped' || (await engineAnswers(engine.docker))) {
          if (reason === 'container-stopped') await catchUp();
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
}

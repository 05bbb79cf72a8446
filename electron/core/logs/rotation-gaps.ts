/**
 * Gaps a log-file rotation leaves in a follow. dockerd 20.10's json-file follow reads the file it has
 * open to its end, then, told of a rotation, opens the file under the log's name again: when the engine
 * rotated more than once meanwhile (a reader held back by a slow screen, a fast printer, a small
 * max-size), the files in between are never read, and the stream says nothing. (Newer engines read
 * rotated files in order, but drop what max-file already deleted.) The stream itself goes on.
 *
 * What the engine gives to notice this is its timestamps: the lines after a skipped file come much later
 * than the rhythm of the lines before. A jump like that, on a container whose log can rotate, is checked
 * against the engine itself with one bounded read of the jump's time range: lines it still holds there
 * were skipped and are read again; when it no longer holds the last line delivered, lines after it may
 * be gone, and that gap is reported with an estimate of how many.
 */
import type { LogLine } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { readLogs } from './log-reader';
import { timestampNanos } from './log-timestamp';

/** A jump shorter than this is never checked: the engine and the scheduler stall this long on their own. */
export const MIN_JUMP_MS = 20;
/** ...nor one shorter than this many of the stream's usual line intervals. */
const JUMP_FACTOR = 200;
/** Lines seen before the rhythm is trusted. */
const WARM_UP_LINES = 50;
/**
 * After a check that found nothing (the printer only paused), none for this long: a printer that stalls
 * often must not turn into a storm of reads. A check that found a gap sets no pause: gaps come in runs.
 */
const QUIET_AFTER_NOTHING_MS = 500;
/** At most this many skipped lines are read again; beyond it they count as missing. */
export const MAX_RECOVERED_LINES = 50_000;

/** Whether the container's log driver can rotate (json-file with max-size, or local). */
export function canRotate(logConfig: { Type?: string; Config?: Record<string, string> } | undefined): boolean {
  if (!logConfig) return false;
  if (logConfig.Type === 'local') return true;
  return logConfig.Type === 'json-file' && logConfig.Config?.['max-size'] !== undefined;
}

export interface Jump {
  /** Index of the first line after the jump in the lines given. */
  index: number;
  /** The last line before the jump, and the first after it. */
  from: { ts: string; nanos: bigint };
  to: { ts: string; nanos: bigint };
  /** The stream's usual interval between lines, in nanoseconds, before the jump. */
  intervalNanos: number;
}

/** Keeps the rhythm of a stream's timestamps and finds the jumps worth checking. */
export class JumpWatch {
  private last: { ts: string; nanos: bigint } | undefined;
  private interval = 0;
  private seen = 0;
  private lastCheck = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** The first jump in `lines` worth checking (the watch moves past it), or null after taking them all. */
  next(lines: readonly LogLine[], start = 0): Jump | null {
    for (let i = start; i < lines.length; i++) {
      const ts = lines[i]!.ts;
      const nanos = ts === undefined ? undefined : timestampNanos(ts);
      if (ts === undefined || nanos === undefined) continue;
      const last = this.last;
      this.last = { ts, nanos };
      if (!last || nanos <= last.nanos) continue;
      const step = Number(nanos - last.nanos);
      const jump =
        this.seen >= WARM_UP_LINES &&
        step > MIN_JUMP_MS * 1e6 &&
        step > JUMP_FACTOR * this.interval &&
        this.now() - this.lastCheck >= QUIET_AFTER_NOTHING_MS;
      const intervalNanos = this.interval;
      this.seen += 1;
      // The usual interval, as a slow-moving average that one pause does not swing.
      this.interval = this.seen === 1 ? step : this.interval * 0.98 + step * 0.02;
      if (jump) return { index: i, from: last, to: { ts, nanos }, intervalNanos };
    }
    return null;
  }

  /** What the check of the last jump found: nothing (a pause) quiets the watch for a while. */
  checked(foundGap: boolean): void {
    this.lastCheck = foundGap ? Number.NEGATIVE_INFINITY : this.now();
  }
}

export interface GapCheck {
  /** Lines the engine still holds inside the jump, in order: the follow skipped them. */
  recovered: LogLine[];
  /** Whether the engine still holds the last line delivered: if so, nothing between is lost. */
  heldFrom: boolean;
  /** When lines may be lost: the time of the first line the engine still holds after `from`. */
  lostUntil: { ts: string; nanos: bigint } | null;
  /** Lines that may be lost, estimated from the stream's rhythm; 0 when none. */
  missing: number;
}

/**
 * Reads what the engine holds between two timestamps of a followed container (one bounded read, not
 * followed): the engine's answer, not the follow's, is what was written.
 */
export async function checkGap(
  connection: EngineHandle,
  id: string,
  jump: Jump,
  signal?: AbortSignal,
): Promise<GapCheck> {
  const inside: LogLine[] = [];
  let heldFrom = false;
  let overflow = 0;
  const sinceMs = Math.floor(Number(jump.from.nanos / 1_000_000n));
  const untilMs = Math.ceil(Number(jump.to.nanos / 1_000_000n)) + 1;
  await readLogs(
    connection,
    { id, tail: 'all', timestamps: true, follow: false, since: sinceMs, until: untilMs },
    {
      deliver: (event) => {
        if (event.kind !== 'lines') return;
        for (const line of event.lines) {
          const nanos = line.ts === undefined ? undefined : timestampNanos(line.ts);
          if (nanos === undefined) continue;
          if (nanos === jump.from.nanos) heldFrom = true;
          if (nanos <= jump.from.nanos || nanos >= jump.to.nanos) continue;
          if (inside.length < MAX_RECOVERED_LINES) inside.push(line);
          else overflow += 1;
        }
      },
    },
    signal ? { signal } : {},
  );
  const firstHeld = inside[0]?.ts ?? jump.to.ts;
  const firstNanos = timestampNanos(firstHeld) ?? jump.to.nanos;
  const lostNanos = heldFrom ? 0 : Number(firstNanos - jump.from.nanos);
  const estimate = lostNanos > 0 && jump.intervalNanos > 0 ? Math.round(lostNanos / jump.intervalNanos) : 0;
  return {
    recovered: inside,
    heldFrom,
    lostUntil: heldFrom ? null : { ts: firstHeld, nanos: firstNanos },
    missing: (heldFrom ? 0 : Math.max(1, estimate)) + overflow,
  };
}

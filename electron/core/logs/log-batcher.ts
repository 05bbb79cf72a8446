import type { LogEvent, LogLine } from '../../contract';

/**
 * Where log events go. `deliver` may return:
 *  - nothing or `true`: ready for the next batch;
 *  - a Promise: the next batch waits until it settles (a rejection stops the reader);
 *  - `false`: not ready; the next batch waits for `drained()` (or one interval if there is none).
 */
export interface LogSink {
  deliver(event: LogEvent): unknown;
  drained?(): Promise<void>;
}

export interface BatchLimits {
  /** How often a partial batch is sent, in ms. */
  intervalMs: number;
  /** A batch is sent as soon as it holds this many lines... */
  maxLines: number;
  /** ...or this many characters of text. */
  maxChars: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { intervalMs: 25, maxLines: 2000, maxChars: 512 * 1024 };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Collects lines into batches for a sink: a batch goes out every `intervalMs` or when it is full, and never
 * while the sink is still busy with the previous one. At most one batch is in flight and one is filling,
 * so memory stays bounded; the reader awaits `whenRoom()` before pulling more from the engine.
 */
export class LogBatcher {
  private lines: LogLine[] = [];
  private chars = 0;
  private busy: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: LogSink,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {
    this.timer = setInterval(() => {
      if (this.lines.length > 0 && !this.busy) this.send();
    }, limits.intervalMs);
  }

  add(line: LogLine): void {
    this.lines.push(line);
    this.chars += line.text.length;
  }

  get full(): boolean {
    return this.lines.length >= this.limits.maxLines || this.chars >= this.limits.maxChars;
  }

  /** Resolves once the batch has room: at once if it is not full, else after the sink took it. */
  async whenRoom(): Promise<void> {
    this.check();
    if (!this.full) return;
    await this.flush();
  }

  /** Waits for the sink to be ready, then sends whatever is collected. */
  async flush(): Promise<void> {
    while (this.busy) await this.busy;
    this.check();
    if (this.lines.length > 0) this.send();
  }

  /** Sends the rest, waits until the sink took it, then sends the end event. */
  async end(reason: Extract<LogEvent, { kind: 'end' }>['reason']): Promise<void> {
    await this.flush();
    while (this.busy) await this.busy;
    this.check();
    this.close();
    await this.sink.deliver({ kind: 'end', reason });
  }

  close(): void {
    clearInterval(this.timer);
  }

  private send(): void {
    const lines = this.lines;
    this.lines = [];
    this.chars = 0;
    let ready: unknown;
    try {
      ready = this.sink.deliver({ kind: 'lines', lines });
    } catch (error) {
      this.failure = error;
      return;
    }
    let pending: Promise<unknown> | null = null;
    if (ready instanceof Promise) pending = ready;
    else if (ready === false) pending = this.sink.drained ? this.sink.drained() : wait(this.limits.intervalMs);
    if (!pending) return;
    const settled = pending.then(
      () => undefined,
      (error: unknown) => {
        this.failure = error;
      },
    );
    this.busy = settled;
    settled.then(() => {
      if (this.busy === settled) this.busy = null;
    });
  }

  private check(): void {
    if (this.failure !== null) throw this.failure;
  }
}

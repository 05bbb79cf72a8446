/**
 * The engine's event feed: ONE GET /events stream shared by every listener, opened with the first
 * subscriber and closed with the last. It follows the Engine's status: when the stream ends or breaks
 * it asks the engine to re-check, and opens again once the engine is connected, asking for the events
 * since the last one it saw (duplicates are dropped) so nothing is missed while the stream was down.
 */
import type { IncomingMessage } from 'node:http';
import { type EngineEvent, type EngineStatus, JsonLines } from '../../contract';
import type { Engine } from './engine';
import { normaliseEvent } from './engine-event';

export type EventListener = (event: EngineEvent) => void;
/** The feed was down from `from` to `to`: events the engine lost meanwhile (e.g. during its restart) are missing. */
export type GapListener = (gap: { from: number; to: number }) => void;

/** Events older than this before the newest seen are replays; within it, duplicates are found by key. */
const REPLAY_WINDOW_MS = 2000;
const FIRST_REOPEN_MS = 50;
const MAX_REOPEN_MS = 2000;

/** Replays of an event are identical to it, field for field. */
const keyOf = (e: EngineEvent): string => JSON.stringify(e);

export class EngineEvents {
  private readonly listeners = new Set<EventListener>();
  private readonly gapListeners = new Set<GapListener>();
  /** when an open stream was lost; cleared (and a gap reported) when one opens again */
  private lostAt: number | undefined;
  private stopStatus: (() => void) | undefined;
  private stream: IncomingMessage | undefined;
  private opening = false;
  /** the connection the stream (and `newest`) belong to; a context switch starts afresh */
  private streamKey = '';
  private newest = 0;
  private recent = new Map<string, number>();
  private reopenMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly engine: Engine) {}

  /** Calls `listener` for every engine event; returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  /** Calls `listener` each time the feed resumes after being down; returns the function that stops it. */
  onGap(listener: GapListener): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  /** Whether the /events stream is open right now. */
  get open(): boolean {
    return this.stream !== undefined;
  }

  /** Ends the stream and forgets every listener. */
  close(): void {
    this.listeners.clear();
    this.gapListeners.clear();
    this.stop();
  }

  private start(): void {
    this.stopStatus = this.engine.onStatus((status) => this.follow(status));
    this.follow(this.engine.current());
    if (this.engine.current().state !== 'connected') void this.engine.status();
  }

  private stop(): void {
    this.stopStatus?.();
    this.stopStatus = undefined;
    clearTimeout(this.timer);
    this.cut();
  }

  private follow(status: EngineStatus): void {
    if (status.state !== 'connected') {
      this.cut();
      return;
    }
    if (this.engine.connectionKey !== this.streamKey) this.cut();
    void this.openStream();
  }

  private cut(): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) this.lostAt ??= Date.now();
    stream?.destroy();
  }

  private async openStream(): Promise<void> {
    if (this.stream || this.opening || this.listeners.size === 0) return;
    this.opening = true;
    const key = this.engine.connectionKey;
    if (key !== this.streamKey) {
      this.streamKey = key;
      this.newest = 0;
      this.recent.clear();
    }
    try {
      const since = this.newest ? { since: Math.floor(this.newest / 1000) - 1 } : {};
      const stream = (await this.engine.docker.getEvents(since)) as unknown as IncomingMessage;
      if (this.listeners.size === 0 || key !== this.engine.connectionKey) {
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.read(stream);
      this.resumed();
    } catch {
      this.lost();
    } finally {
      this.opening = false;
    }
  }

  private read(stream: IncomingMessage): void {
    const lines = new JsonLines();
    stream.on('data', (chunk: Buffer) => {
      this.reopenMs = 0;
      for (const raw of lines.push(chunk)) {
        const event = normaliseEvent(raw);
        if (event) this.deliver(event);
      }
    });
    const ended = () => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.lostAt ??= Date.now();
      this.lost();
    };
    stream.on('error', ended);
    stream.on('end', ended);
    stream.on('close', ended);
  }

  /** The stream broke or ended: let the engine re-check, and try again soon if it still answers. */
  private lost(): void {
    if (this.listeners.size === 0) return;
    void this.engine.status();
    this.reopenMs = Math.min(Math.max(this.reopenMs * 2, FIRST_REOPEN_MS), MAX_REOPEN_MS);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.engine.current().state === 'connected') void this.openStream();
    }, this.reopenMs);
    this.timer.unref();
  }

  private resumed(): void {
    const from = this.lostAt;
    if (from === undefined) return;
    this.lostAt = undefined;
    const gap = { from, to: Date.now() };
    for (const listener of [...this.gapListeners]) {
      try {
        listener(gap);
      } catch {
        // a failing listener must not stop the others
      }
    }
  }

  private deliver(event: EngineEvent): void {
    const key = keyOf(event);
    if (event.time < this.newest - REPLAY_WINDOW_MS || this.recent.has(key)) return;
    this.recent.set(key, event.time);
    if (event.time > this.newest) {
      this.newest = event.time;
      for (const [k, t] of this.recent) if (t < this.newest - REPLAY_WINDOW_MS) this.recent.delete(k);
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // a failing listener must not stop the others
      }
    }
  }
}

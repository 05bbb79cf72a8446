/**
 * Sends JSON messages on a WebSocket without letting a slow client grow the server's memory: above
 * HIGH_WATER bytes buffered in the socket, messages wait in a queue drained on a timer; if the queue
 * itself passes MAX_QUEUED bytes, the connection is closed (1013, try again later) and the client
 * reconnects and resubscribes.
 */
import { WebSocket } from 'ws';

export interface OutboxLimits {
  highWaterBytes: number;
  maxQueuedBytes: number;
  drainIntervalMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  highWaterBytes: 4 * 1024 * 1024,
  maxQueuedBytes: 32 * 1024 * 1024,
  drainIntervalMs: 20,
};

export class SocketOutbox {
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
  ) {}

  send(message: unknown): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(message);
    if (this.queue.length === 0 && this.ws.bufferedAmount < this.limits.highWaterBytes) {
      this.ws.send(text);
      return;
    }
    this.queue.push(text);
    this.queuedBytes += text.length;
    if (this.queuedBytes > this.limits.maxQueuedBytes) {
      this.stop();
      this.ws.close(1013, 'client too slow; reconnect');
      return;
    }
    this.timer ??= setInterval(() => this.drain(), this.limits.drainIntervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private drain(): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.stop();
      return;
    }
    while (this.queue.length > 0 && this.ws.bufferedAmount < this.limits.highWaterBytes) {
      const text = this.queue.shift()!;
      this.queuedBytes -= text.length;
      this.ws.send(text);
    }
    if (this.queue.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

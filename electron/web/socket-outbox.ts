/**
 * Sends JSON messages on a WebSocket and tells the sender when to wait. Every message goes straight to
 * the socket (so order is kept); `send` answers a promise once the bytes buffered in the socket reach
 * HIGH_WATER, and that promise settles when the socket has written enough to be under LOW_WATER again
 * (or the connection is over). Senders that can wait (log streams) do, so a slow client pauses the engine stream and
 * the buffer stays near HIGH_WATER plus one message per waiting sender.
 *
 * Senders that cannot wait (engine events, build and push models) are rare and small; if the buffer
 * still passes MAX_BUFFERED bytes, the client is not reading at all: the connection is closed (1013, try
 * again later) and the client reconnects and resubscribes.
 */
import { WebSocket } from 'ws';
import type { Readiness } from '../api/router';

export interface OutboxLimits {
  /** At or above this many buffered bytes, `send` answers "wait". */
  highWaterBytes: number;
  /** Waiting senders go on once the buffer is back under this. */
  lowWaterBytes: number;
  /** Past this, the client is not reading: close the connection. */
  maxBufferedBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = {
  highWaterBytes: 1024 * 1024,
  lowWaterBytes: 256 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
};

export class SocketOutbox {
  private waiting: { promise: Promise<void>; release: () => void } | undefined;
  private stopped = false;
  private readonly written = (): void => {
    const open = this.ws.readyState === WebSocket.OPEN;
    if (this.waiting && open && this.ws.bufferedAmount < this.limits.lowWaterBytes) this.release();
  };

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS,
  ) {}

  /** Bytes accepted but not yet written to the operating system. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  send(message: unknown): Readiness {
    if (this.stopped) return undefined;
    // Closing: drop the message, and hold the sender until stop() (the connection's 'close' ends its
    // subscriptions) rather than let it race through its source into the void.
    if (this.ws.readyState !== WebSocket.OPEN) return this.wait();
    // The callback runs once ws has handed the frame to the OS (or failed to): the moment to look again.
    this.ws.send(JSON.stringify(message), this.written);
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.limits.maxBufferedBytes) {
      this.ws.close(1013, 'client too slow; reconnect');
      return this.wait();
    }
    return buffered < this.limits.highWaterBytes ? undefined : this.wait();
  }

  /** Lets every waiting sender go (the connection is over) and refuses further messages. */
  stop(): void {
    this.stopped = true;
    this.release();
  }

  private wait(): Promise<void> {
    if (!this.waiting) {
      let release = (): void => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.waiting = { promise, release };
    }
    return this.waiting.promise;
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.release();
  }
}

/**
 * What the Electron preload exposes as `window.berth`. Only plain values cross: names, JSON-like
 * inputs and outputs, and ErrorShape objects as rejection values. Never ipcRenderer or its events.
 */
import type { ErrorShape } from './errors';

export interface BerthBridge {
  /** Resolves with the procedure's output; rejects with an ErrorShape. */
  call(name: string, input: unknown): Promise<unknown>;
  /**
   * Returns the subscription id to pass to `ack` and `unsubscribe`. Each event comes with its number
   * (1, 2, 3…); the main process sends only a few events ahead of the last one acknowledged.
   */
  subscribe(
    stream: string,
    params: unknown,
    onEvent: (event: unknown, seq: number) => void,
    onError?: (error: ErrorShape) => void,
    onEnd?: () => void,
    /** A message sent up this subscription was refused (it stays open). */
    onRefused?: (error: ErrorShape) => void,
  ): string;
  /** Sends a message up a duplex subscription of this page (a terminal's keystrokes). */
  send(id: string, message: unknown): void;
  /** Says that every event of subscription `id` up to number `seq` has been handled. */
  ack(id: string, seq: number): void;
  unsubscribe(id: string): void;
}

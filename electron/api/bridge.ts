/**
 * What the Electron preload exposes as `window.berth`. Only plain values cross: names, JSON-like
 * inputs and outputs, and ErrorShape objects as rejection values. Never ipcRenderer or its events.
 */
import type { ErrorShape } from '../contract';

export interface BerthBridge {
  /** Resolves with the procedure's output; rejects with an ErrorShape. */
  call(name: string, input: unknown): Promise<unknown>;
  /** Returns the subscription id to pass to `unsubscribe`. */
  subscribe(
    stream: string,
    params: unknown,
    onEvent: (event: unknown) => void,
    onError?: (error: ErrorShape) => void,
    onEnd?: () => void,
  ): string;
  unsubscribe(id: string): void;
}

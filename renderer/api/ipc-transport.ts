/**
 * The BerthApi in the Electron window: a thin layer over the preload's `window.berth` bridge. It
 * acknowledges every stream event after handing it on, which is what lets the main process send more.
 */
import type { BerthApi, BerthBridge, BerthError } from '../../electron/contract';
import { berthErrorFrom } from './wire-error';

interface Listeners {
  onEvent: (event: unknown) => void;
  onError?: ((error: BerthError) => void) | undefined;
  onEnd?: (() => void) | undefined;
  onRefused?: ((error: BerthError) => void) | undefined;
}

export function createIpcTransport(bridge: BerthBridge): BerthApi {
  // Acknowledge each event once it has been handled: that is the credit for the main process to send
  // more, so a renderer that falls behind slows the source (a log stream pauses the engine).
  const subscribe = (name: string, params: unknown, listeners: Listeners): string => {
    const id = bridge.subscribe(
      name,
      params,
      (event, seq) => {
        try {
          listeners.onEvent(event);
        } finally {
          bridge.ack(id, seq);
        }
      },
      (shape) => listeners.onError?.(berthErrorFrom(shape)),
      () => listeners.onEnd?.(),
      (shape) => listeners.onRefused?.(berthErrorFrom(shape)),
    );
    return id;
  };
  return {
    call: (async (name: string, input: unknown) => {
      try {
        return await bridge.call(name, input);
      } catch (shape) {
        throw berthErrorFrom(shape);
      }
    }) as BerthApi['call'],
    subscribe(name, params, onEvent, onError) {
      const id = subscribe(name, params, { onEvent: onEvent as (event: unknown) => void, onError });
      return () => bridge.unsubscribe(id);
    },
    openSession(name, params, listeners) {
      const id = subscribe(name, params, listeners as Listeners);
      return { send: (message) => bridge.send(id, message), close: () => bridge.unsubscribe(id) };
    },
  };
}

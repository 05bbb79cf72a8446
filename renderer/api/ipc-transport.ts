/**
 * The BerthApi in the Electron window: a thin layer over the preload's `window.berth` bridge. It
 * acknowledges every stream event after handing it on, which is what lets the main process send more.
 */
import type { BerthApi, BerthBridge } from '../../electron/contract';
import { berthErrorFrom } from './wire-error';

export function createIpcTransport(bridge: BerthBridge): BerthApi {
  return {
    call: (async (name: string, input: unknown) => {
      try {
        return await bridge.call(name, input);
      } catch (shape) {
        throw berthErrorFrom(shape);
      }
    }) as BerthApi['call'],
    subscribe(name, params, onEvent, onError) {
      const handle = onEvent as (event: unknown) => void;
      // Acknowledge each event once it has been handled: that is the credit for the main process to send
      // more, so a renderer that falls behind slows the source (a log stream pauses the engine).
      const id = bridge.subscribe(
        name,
        params,
        (event, seq) => {
          try {
            handle(event);
          } finally {
            bridge.ack(id, seq);
          }
        },
        (shape) => onError?.(berthErrorFrom(shape)),
      );
      return () => bridge.unsubscribe(id);
    },
    openSession(name, params, listeners) {
      const handle = listeners.onEvent as (event: unknown) => void;
      const id = bridge.subscribe(
        name,
        params,
        (event, seq) => {
          try {
            handle(event);
          } finally {
            bridge.ack(id, seq);
          }
        },
        (shape) => listeners.onError?.(berthErrorFrom(shape)),
        () => listeners.onEnd?.(),
        (shape) => listeners.onRefused?.(berthErrorFrom(shape)),
      );
      return { send: (message) => bridge.send(id, message), close: () => bridge.unsubscribe(id) };
    },
  };
}

/** The BerthApi in the Electron window: a thin layer over the preload's `window.berth` bridge. */
import type { BerthBridge } from '../../electron/api/bridge';
import type { BerthApi } from '../../electron/contract';
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
      const id = bridge.subscribe(name, params, onEvent as (event: unknown) => void, (shape) =>
        onError?.(berthErrorFrom(shape)),
      );
      return () => bridge.unsubscribe(id);
    },
  };
}

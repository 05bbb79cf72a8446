/**
 * The object the preload exposes as `window.berth`, built over an ipcRenderer-like object so it can be
 * tested without Electron. Only values cross to the page: never ipcRenderer, never its event objects.
 */
import { type BerthBridge, BerthError, type ErrorShape, isProcedureName, isStreamName } from '../contract';
import {
  ACK_CHANNEL,
  CALL_CHANNEL,
  SEND_CHANNEL,
  StreamAck,
  type StreamDelivery,
  SUBSCRIBE_CHANNEL,
  streamChannel,
  UNSUBSCRIBE_CHANNEL,
} from './ipc-channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const unknownName = (kind: string, name: unknown): ErrorShape =>
  new BerthError('NOT_FOUND', `No such ${kind}: ${String(name).slice(0, 100)}.`).toShape();

export function createPreloadApi(ipcRenderer: IpcRendererLike): BerthBridge {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  let nextSid = 1;

  const stopListening = (sid: string): void => {
    const listener = listeners.get(sid);
    if (listener) ipcRenderer.removeListener(streamChannel(sid), listener);
    listeners.delete(sid);
  };

  return {
    async call(name, input) {
      if (!isProcedureName(name)) throw unknownName('procedure', name);
      const reply = (await ipcRenderer.invoke(CALL_CHANNEL, name, input)) as
        | { ok: true; value: unknown }
        | { ok: false; error: ErrorShape };
      if (reply.ok) return reply.value;
      throw reply.error; // a plain ErrorShape value; the renderer maps it to BerthError
    },

    subscribe(stream, params, onEvent, onError, onEnd, onRefused) {
      const sid = `p${nextSid++}`;
      if (!isStreamName(stream)) {
        queueMicrotask(() => onError?.(unknownName('stream', stream)));
        return sid;
      }
      const listener = (_event: unknown, delivery: unknown): void => {
        const message = delivery as StreamDelivery;
        if ('event' in message) {
          onEvent(message.event, message.seq);
          return;
        }
        if ('refused' in message) {
          onRefused?.(message.refused as ErrorShape);
          return;
        }
        stopListening(sid);
        if ('error' in message) onError?.(message.error as ErrorShape);
        else onEnd?.();
      };
      listeners.set(sid, listener);
      ipcRenderer.on(streamChannel(sid), listener);
      ipcRenderer.send(SUBSCRIBE_CHANNEL, { sid, stream, params });
      return sid;
    },

    ack(id, seq) {
      if (typeof id !== 'string' || !listeners.has(id)) return;
      const ack = StreamAck.safeParse({ sid: id, seq });
      if (ack.success) ipcRenderer.send(ACK_CHANNEL, ack.data);
    },

    send(id, message) {
      if (typeof id !== 'string' || !listeners.has(id)) return;
      ipcRenderer.send(SEND_CHANNEL, { sid: id, message });
    },

    unsubscribe(id) {
      if (typeof id !== 'string' || !listeners.has(id)) return;
      stopListening(id);
      ipcRenderer.send(UNSUBSCRIBE_CHANNEL, { sid: id });
    },
  };
}

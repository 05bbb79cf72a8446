/**
 * The Electron IPC transport: carries the contract between the preload and the router. Every message's
 * sending frame must be one of Berth's own pages; each stream's events go back to the subscribing
 * webContents on that subscription's own channel, and its subscriptions end when it is destroyed.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { Router } from '../api/router';
import type { CallReply } from '../api/wire';
import { SID_PATTERN } from '../api/wire';
import { BerthError } from '../contract';
import {
  CALL_CHANNEL,
  type StreamDelivery,
  SUBSCRIBE_CHANNEL,
  streamChannel,
  UNSUBSCRIBE_CHANNEL,
} from './ipc-channels';

type SenderFrame = Pick<WebFrameMain, 'url'> | null | undefined;
type Sender = Pick<WebContents, 'id' | 'send' | 'once' | 'isDestroyed'>;
type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Sender };
type MessageEvent = Pick<IpcMainEvent, 'senderFrame'> & { sender: Sender };

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: MessageEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: never[]) => void): unknown;
}

export interface IpcTransportOptions {
  ipcMain: IpcMainLike | IpcMain;
  router: Router;
  isTrustedSender(frame: SenderFrame): boolean;
}

const untrusted = (): BerthError =>
  new BerthError('UNSUPPORTED', 'Only Berth’s own pages may talk to Berth.', 'Open Berth from its own window.');

/** Installs the handlers; returns a function that removes them and ends every subscription. */
export function installIpcTransport({ ipcMain, router, isTrustedSender }: IpcTransportOptions): () => void {
  const ipc = ipcMain as IpcMainLike;
  // webContents id → (sid → unsubscribe)
  const bySender = new Map<number, Map<string, () => void>>();

  function subscriptionsOf(sender: Sender): Map<string, () => void> {
    let subscriptions = bySender.get(sender.id);
    if (!subscriptions) {
      subscriptions = new Map();
      bySender.set(sender.id, subscriptions);
      sender.once('destroyed', () => {
        for (const unsubscribe of bySender.get(sender.id)?.values() ?? []) unsubscribe();
        bySender.delete(sender.id);
      });
    }
    return subscriptions;
  }

  ipc.handle(CALL_CHANNEL, async (event, name, input): Promise<CallReply> => {
    if (!isTrustedSender(event.senderFrame)) return { ok: false, error: untrusted().toShape() };
    try {
      return { ok: true, value: await router.call(name, input) };
    } catch (error) {
      const berthError = error instanceof BerthError ? error : new BerthError('INTERNAL', 'Unexpected failure.');
      return { ok: false, error: berthError.toShape() };
    }
  });

  const onSubscribe = (event: MessageEvent, message: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return;
    const { sid, stream, params } = (message ?? {}) as { sid?: unknown; stream?: unknown; params?: unknown };
    if (typeof sid !== 'string' || !SID_PATTERN.test(sid)) return;
    const sender = event.sender;
    const subscriptions = subscriptionsOf(sender);
    const deliver = (delivery: StreamDelivery): void => {
      if (!sender.isDestroyed()) sender.send(streamChannel(sid), delivery);
    };
    if (subscriptions.has(sid)) {
      deliver({ error: new BerthError('CONFLICT', `Subscription ${sid} already exists.`).toShape() });
      return;
    }
    const unsubscribe = router.subscribe(
      stream,
      params,
      (streamEvent) => deliver({ event: streamEvent }),
      (error) => {
        subscriptions.delete(sid);
        deliver({ error: error.toShape() });
      },
      () => {
        subscriptions.delete(sid);
        deliver({ end: true });
      },
    );
    subscriptions.set(sid, unsubscribe);
  };

  const onUnsubscribe = (event: MessageEvent, message: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return;
    const sid = (message as { sid?: unknown } | null)?.sid;
    if (typeof sid !== 'string') return;
    const subscriptions = bySender.get(event.sender.id);
    subscriptions?.get(sid)?.();
    subscriptions?.delete(sid);
  };

  ipc.on(SUBSCRIBE_CHANNEL, onSubscribe);
  ipc.on(UNSUBSCRIBE_CHANNEL, onUnsubscribe);

  return () => {
    ipc.removeHandler(CALL_CHANNEL);
    ipc.removeListener(SUBSCRIBE_CHANNEL, onSubscribe);
    ipc.removeListener(UNSUBSCRIBE_CHANNEL, onUnsubscribe);
    for (const subscriptions of bySender.values()) for (const unsubscribe of subscriptions.values()) unsubscribe();
    bySender.clear();
  };
}

/**
 * The Electron IPC transport: carries the contract between the preload and the router. Every message's
 * sending frame must be one of Berth's own pages; each stream's events go back to the subscribing
 * webContents on that subscription's own channel, and its subscriptions end when the page that made them
 * goes: the webContents is destroyed, its renderer process dies, or its main frame reloads or navigates
 * (the webContents then lives on with a fresh page and a fresh preload, whose sids start over).
 *
 * webContents.send has no backpressure, so events go out on credit: each is numbered, the renderer
 * acknowledges what it has handled, and once IPC_STREAM_WINDOW events are unacknowledged the handler is
 * told to wait (see StreamCredit). Log streams wait, which pauses the engine stream.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { Readiness, Router, StreamSession } from '../api/router';
import { BerthError, type CallReply, SID_PATTERN } from '../contract';
import {
  ACK_CHANNEL,
  CALL_CHANNEL,
  IPC_STREAM_WINDOW,
  SEND_CHANNEL,
  StreamAck,
  type StreamDelivery,
  StreamSend,
  SUBSCRIBE_CHANNEL,
  streamChannel,
  UNSUBSCRIBE_CHANNEL,
} from './ipc-channels';

type SenderFrame = Pick<WebFrameMain, 'url'> | null | undefined;
type Sender = Pick<WebContents, 'id' | 'send' | 'once' | 'isDestroyed'> & {
  on(
    event: 'did-start-navigation',
    listener: (details: { isMainFrame: boolean; isSameDocument: boolean }) => void,
  ): unknown;
  on(event: 'did-navigate' | 'render-process-gone', listener: () => void): unknown;
};
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

/** One subscription's credit: how many events went out, how many the renderer has handled. */
export class StreamCredit {
  private sent = 0;
  private acked = 0;
  private waiting: { promise: Promise<void>; release: () => void } | undefined;

  constructor(private readonly window = IPC_STREAM_WINDOW) {}

  /** Events sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.sent - this.acked;
  }

  /** Numbers the next event. */
  next(): number {
    this.sent += 1;
    return this.sent;
  }

  /** Ready once fewer than `window` events are unacknowledged. */
  readiness(): Readiness {
    if (this.unacknowledged < this.window) return undefined;
    if (!this.waiting) {
      let release = (): void => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.waiting = { promise, release };
    }
    return this.waiting.promise;
  }

  /** Takes an ack of everything up to `seq`; an ack of nothing new or of events never sent is ignored. */
  ack(seq: number): void {
    if (seq <= this.acked || seq > this.sent) return;
    this.acked = seq;
    if (this.unacknowledged < this.window) this.release();
  }

  /** The subscription is over: whoever waits goes on (and finds it ended). */
  release(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.release();
  }
}

interface Subscription {
  session: StreamSession;
  credit: StreamCredit;
}

const untrusted = (): BerthError =>
  new BerthError('UNSUPPORTED', 'Only Berth’s own pages may talk to Berth.', 'Open Berth from its own window.');

/** Installs the handlers; returns a function that removes them and ends every subscription. */
export function installIpcTransport({ ipcMain, router, isTrustedSender }: IpcTransportOptions): () => void {
  const ipc = ipcMain as IpcMainLike;
  // webContents id → (sid → subscription)
  const bySender = new Map<number, Map<string, Subscription>>();
  const end = (subscription: Subscription | undefined): void => {
    subscription?.session.close();
    subscription?.credit.release();
  };

  /** Ends these subscriptions of a sender (all of them when none are named). */
  const endOf = (senderId: number, only?: ReadonlySet<Subscription>): void => {
    const subscriptions = bySender.get(senderId);
    for (const [sid, subscription] of subscriptions ?? []) {
      if (only && !only.has(subscription)) continue;
      end(subscription);
      subscriptions?.delete(sid);
    }
  };

  function subscriptionsOf(sender: Sender): Map<string, Subscription> {
    let subscriptions = bySender.get(sender.id);
    if (!subscriptions) {
      const created = new Map<string, Subscription>();
      subscriptions = created;
      bySender.set(sender.id, created);
      sender.once('destroyed', () => {
        endOf(sender.id);
        bySender.delete(sender.id);
      });
      // A reload or navigation keeps the webContents but replaces the page: the old page's streams would
      // wait for acks forever (holding engine streams open), and the new preload's sids (p1, p2...) would
      // collide with them. What existed when the navigation started belongs to the old page; it ends when
      // the new page commits (a navigation that never commits leaves the old page, and its streams, alone).
      let leaving: Set<Subscription> | undefined;
      sender.on('did-start-navigation', (details) => {
        if (details?.isMainFrame && !details.isSameDocument) leaving = new Set(created.values());
      });
      sender.on('did-navigate', () => {
        const old = leaving;
        leaving = undefined;
        if (old) endOf(sender.id, old);
      });
      // A dead renderer acknowledges nothing again: whatever page comes next subscribes afresh.
      sender.on('render-process-gone', () => endOf(sender.id));
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
    const credit = new StreamCredit();
    const finished = (): void => {
      subscriptions.delete(sid);
      credit.release();
    };
    const session = router.open(
      stream,
      params,
      (streamEvent) => {
        deliver({ event: streamEvent, seq: credit.next() });
        return credit.readiness();
      },
      (error) => {
        finished();
        deliver({ error: error.toShape() });
      },
      () => {
        finished();
        deliver({ end: true });
      },
    );
    subscriptions.set(sid, { session, credit });
  };

  // Only the sending page's own subscriptions can be written to: another page's sids are not in its map.
  const onSend = (event: MessageEvent, message: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return;
    const parsed = StreamSend.safeParse(message);
    if (!parsed.success) return;
    const { sid } = parsed.data;
    const session = bySender.get(event.sender.id)?.get(sid)?.session;
    const refusal = session
      ? session.send(parsed.data.message)
      : new BerthError('NOT_FOUND', `No open subscription ${sid} in this page.`, 'Send only to a stream you opened.');
    if (refusal && !event.sender.isDestroyed()) {
      event.sender.send(streamChannel(sid), { refused: refusal.toShape() } satisfies StreamDelivery);
    }
  };

  const onAck = (event: MessageEvent, message: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return;
    const ack = StreamAck.safeParse(message);
    if (!ack.success) return;
    bySender.get(event.sender.id)?.get(ack.data.sid)?.credit.ack(ack.data.seq);
  };

  const onUnsubscribe = (event: MessageEvent, message: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return;
    const sid = (message as { sid?: unknown } | null)?.sid;
    if (typeof sid !== 'string') return;
    const subscriptions = bySender.get(event.sender.id);
    end(subscriptions?.get(sid));
    subscriptions?.delete(sid);
  };

  ipc.on(SUBSCRIBE_CHANNEL, onSubscribe);
  ipc.on(UNSUBSCRIBE_CHANNEL, onUnsubscribe);
  ipc.on(ACK_CHANNEL, onAck);
  ipc.on(SEND_CHANNEL, onSend);

  return () => {
    ipc.removeHandler(CALL_CHANNEL);
    ipc.removeListener(SUBSCRIBE_CHANNEL, onSubscribe);
    ipc.removeListener(UNSUBSCRIBE_CHANNEL, onUnsubscribe);
    ipc.removeListener(ACK_CHANNEL, onAck);
    ipc.removeListener(SEND_CHANNEL, onSend);
    for (const subscriptions of bySender.values()) for (const subscription of subscriptions.values()) end(subscription);
    bySender.clear();
  };
}

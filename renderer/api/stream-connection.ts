/**
 * One shared WebSocket for every stream subscription in web mode. It opens on the first subscription,
 * reconnects with backoff when it drops, and then subscribes again to everything still wanted.
 * Messages are handled as they arrive; when the page falls behind, the browser stops reading the socket
 * and TCP's flow control is what slows the server (its outbox then holds the log streams back), so no
 * acknowledgements are needed here, unlike over IPC.
 */
import { BerthError, type ServerMessage } from '../../electron/contract';
import { berthErrorFrom } from './wire-error';

/** The part of the browser's WebSocket (and of the `ws` package's) this needs. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface StreamListeners {
  onEvent(event: unknown): void;
  onError?(error: BerthError): void;
  onEnd?(): void;
  /** A message sent up this subscription was refused; it stays open. */
  onRefused?(error: BerthError): void;
}

interface Subscription extends StreamListeners {
  stream: string;
  params: unknown;
}

const OPEN = 1;
const MIN_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

export class StreamConnection {
  private socket: SocketLike | undefined;
  private readonly subscriptions = new Map<string, Subscription>();
  private retryMs = MIN_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private nextSid = 1;

  constructor(private readonly openSocket: () => SocketLike) {}

  subscribe(stream: string, params: unknown, listeners: StreamListeners): () => void {
    return this.unsubscriber(this.add(stream, params, listeners));
  }

  /**
   * A duplex subscription: as `subscribe`, plus `send` for messages up. A message sent while the socket is
   * down is refused at once (keystrokes are not queued for a shell that may be gone).
   */
  openSession(
    stream: string,
    params: unknown,
    listeners: StreamListeners,
  ): { send(message: unknown): void; close(): void } {
    const sid = this.add(stream, params, listeners);
    const close = this.unsubscriber(sid);
    return {
      send: (message) => {
        if (!this.subscriptions.has(sid)) return;
        if (this.socket?.readyState === OPEN) {
          this.socket.send(JSON.stringify({ op: 'send', sid, message }));
          return;
        }
        listeners.onRefused?.(
          new BerthError(
            'ENGINE_UNREACHABLE',
            'Not connected to Berth right now.',
            'Wait for the connection to return.',
          ),
        );
      },
      close,
    };
  }

  private add(stream: string, params: unknown, listeners: StreamListeners): string {
    const sid = `s${this.nextSid++}`;
    this.subscriptions.set(sid, { stream, params, ...listeners });
    if (this.socket?.readyState === OPEN) this.sendSubscribe(sid);
    else this.connect();
    return sid;
  }

  private unsubscriber(sid: string): () => void {
    return () => {
      if (!this.subscriptions.delete(sid)) return;
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ op: 'unsubscribe', sid }));
    };
  }

  /** Closes the socket and forgets every subscription. */
  close(): void {
    this.subscriptions.clear();
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = undefined;
  }

  private connect(): void {
    if (this.socket || this.retryTimer) return;
    const socket = this.openSocket();
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = MIN_RETRY_MS;
      for (const sid of this.subscriptions.keys()) this.sendSubscribe(sid);
    };
    socket.onmessage = (message) => this.dispatch(message.data);
    socket.onerror = () => {}; // onclose follows and handles it
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.subscriptions.size > 0) this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.subscriptions.size > 0) this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private sendSubscribe(sid: string): void {
    const subscription = this.subscriptions.get(sid);
    if (!subscription) return;
    const { stream, params } = subscription;
    this.socket?.send(JSON.stringify({ op: 'subscribe', sid, stream, params }));
  }

  private dispatch(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    const subscription = message.sid === null ? undefined : this.subscriptions.get(message.sid);
    if (!subscription || message.sid === null) return;
    if ('event' in message) subscription.onEvent(message.event);
    else if ('refused' in message) subscription.onRefused?.(berthErrorFrom(message.refused));
    else if ('error' in message) {
      this.subscriptions.delete(message.sid);
      subscription.onError?.(berthErrorFrom(message.error));
    } else if ('end' in message) {
      this.subscriptions.delete(message.sid);
      subscription.onEnd?.();
    }
  }
}

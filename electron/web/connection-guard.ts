/**
 * Keeps connections without the launch token from exhausting the server. Every new socket starts
 * "pending": it must present the token (or a live one-time code) within PENDING_DEADLINE_MS, idle or
 * dribbling headers (slowloris) alike, or it is destroyed. At most MAX_PENDING_SOCKETS are pending at
 * once; one more closes the oldest, so a flood of idle sockets never keeps a token holder out. A
 * socket that presents the token moves to the authenticated set and is then governed by the HTTP
 * timeouts (keep-alive, headers, request) or, once upgraded, by the WebSocket itself.
 */
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Sockets that have not yet shown the token, held at once. */
  maxPendingSockets: number;
  /**
   * Sockets that have shown the token, held at once (each browser tab uses a handful). The server's
   * maxConnections is this plus maxPendingSockets, so descriptor use has a ceiling.
   */
  maxAuthenticatedSockets: number;
  /** How long a new socket may take to send a complete request that carries the token. */
  pendingDeadlineMs: number;
  /** Node's headersTimeout: the whole header block of any request must arrive within this. */
  headersTimeoutMs: number;
  /** Node's requestTimeout: the whole request, body included (bodies are at most 1 MB). */
  requestTimeoutMs: number;
  /** An authenticated keep-alive socket with no request in flight is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the headers and request timeouts. */
  timeoutCheckIntervalMs: number;
}

export const PENDING_DEADLINE_MS = 5_000;
export const MAX_PENDING_SOCKETS = 256;
export const MAX_AUTHENTICATED_SOCKETS = 512;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxPendingSockets: MAX_PENDING_SOCKETS,
  maxAuthenticatedSockets: MAX_AUTHENTICATED_SOCKETS,
  pendingDeadlineMs: PENDING_DEADLINE_MS,
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
  timeoutCheckIntervalMs: TIMEOUT_CHECK_INTERVAL_MS,
};

export class ConnectionGuard {
  /** Insertion order is age: the first key is the oldest pending socket. */
  private readonly pending = new Map<Socket, NodeJS.Timeout>();
  private readonly authenticated = new Set<Socket>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** Called for every accepted socket, before any byte of it is parsed. */
  admit(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.forget(socket));
    while (this.pending.size >= this.limits.maxPendingSockets) {
      const oldest = this.pending.keys().next().value as Socket;
      this.forget(oldest);
      oldest.destroy();
    }
    const deadline = setTimeout(() => socket.destroy(), this.limits.pendingDeadlineMs);
    deadline.unref();
    this.pending.set(socket, deadline);
  }

  /** The socket carried the token: it is no longer subject to the pending deadline or eviction. */
  authenticate(socket: Socket): void {
    const deadline = this.pending.get(socket);
    if (deadline === undefined) return;
    clearTimeout(deadline);
    this.pending.delete(socket);
    this.authenticated.add(socket);
  }

  isAuthenticated(socket: Socket): boolean {
    return this.authenticated.has(socket);
  }

  counts(): { pending: number; authenticated: number } {
    return { pending: this.pending.size, authenticated: this.authenticated.size };
  }

  /** On shutdown: every socket, pending or not, upgraded or not. */
  destroyAll(): void {
    for (const socket of [...this.pending.keys(), ...this.authenticated]) socket.destroy();
  }

  private forget(socket: Socket): void {
    clearTimeout(this.pending.get(socket));
    this.pending.delete(socket);
    this.authenticated.delete(socket);
  }
}

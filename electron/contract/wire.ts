/**
 * The web transport's wire format, shared by the server (electron/web) and the browser client
 * (renderer/api). Free of Node imports.
 *
 * HTTP:      POST /api/call/<procedure>, JSON body = input  →  CallReply
 * WebSocket: /api/stream, text frames of JSON: ClientMessage up, ServerMessage down.
 */
import type { ErrorCode, ErrorShape } from './errors';

export type CallReply = { ok: true; value: unknown } | { ok: false; error: ErrorShape };

export type ClientMessage =
  | { op: 'subscribe'; sid: string; stream: string; params: unknown }
  | { op: 'unsubscribe'; sid: string }
  /** A message up a duplex stream (a terminal's keystrokes); refused unless `sid` is open on this socket. */
  | { op: 'send'; sid: string; message: unknown };

export type ServerMessage =
  | { sid: string; event: unknown }
  | { sid: string | null; error: ErrorShape }
  | { sid: string; end: true }
  /** A message sent up the stream was refused; the subscription stays open. */
  | { sid: string; refused: ErrorShape };

export const CALL_PATH = '/api/call/';
export const STREAM_PATH = '/api/stream';

/** Subscription ids: chosen by the client, unique per connection. */
export const SID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** HTTP status for each error code. 401 is kept for a missing or wrong launch token. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'PORT_TAKEN':
      return 409;
    case 'AUTH_FAILED':
      return 422;
    case 'ENGINE_UNREACHABLE':
      return 503;
    default:
      return 500;
  }
}

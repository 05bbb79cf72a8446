/**
 * One WebSocket connection at /api/stream: many subscriptions, each named by a client-chosen sid.
 * Bad messages get an error reply and never end the connection; closing it ends every subscription.
 * Each event's send answers the outbox's readiness to the router, so a client that reads slowly (TCP
 * flow control fills the socket) makes log handlers wait instead of queueing in memory.
 */
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { Readiness, Router, StreamSession } from '../api/router';
import { BerthError, type ErrorShape, invalidInput, type ServerMessage, SID_PATTERN } from '../contract';
import { DEFAULT_OUTBOX_LIMITS, type OutboxLimits, SocketOutbox } from './socket-outbox';

const MAX_SUBSCRIPTIONS = 256;
const Sid = z.string().regex(SID_PATTERN, 'sid must be 1-64 letters, digits, _ or -');
const ClientMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), sid: Sid, stream: z.string(), params: z.unknown() }).strict(),
  z.object({ op: z.literal('unsubscribe'), sid: Sid }).strict(),
  z.object({ op: z.literal('send'), sid: Sid, message: z.unknown() }).strict(),
]);

const MESSAGE_FIX =
  'Send each message as one JSON text frame: {"op":"subscribe","sid":...,"stream":...,"params":...}, {"op":"unsubscribe","sid":...} or {"op":"send","sid":...,"message":...}.';

function parseMessage(data: RawData, isBinary: boolean): z.infer<typeof ClientMessage> | BerthError {
  if (isBinary) return new BerthError('INVALID_INPUT', 'Stream messages must be JSON text.', MESSAGE_FIX);
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    return new BerthError('INVALID_INPUT', 'A stream message was not valid JSON.', MESSAGE_FIX);
  }
  const parsed = ClientMessage.safeParse(json);
  return parsed.success ? parsed.data : invalidInput('stream message', parsed.error.issues);
}

const sidOf = (data: RawData): string | null => {
  try {
    const sid = (JSON.parse(data.toString()) as { sid?: unknown }).sid;
    return typeof sid === 'string' && SID_PATTERN.test(sid) ? sid : null;
  } catch {
    return null;
  }
};

export function serveStreams(ws: WebSocket, router: Router, limits: OutboxLimits = DEFAULT_OUTBOX_LIMITS): void {
  const outbox = new SocketOutbox(ws, limits);
  const subscriptions = new Map<string, StreamSession>();
  const send = (message: ServerMessage): Readiness => outbox.send(message);
  const fail = (sid: string | null, error: BerthError | ErrorShape): void =>
    void send({ sid, error: error instanceof BerthError ? error.toShape() : error });

  ws.on('message', (data, isBinary) => {
    const message = parseMessage(data, isBinary);
    if (message instanceof BerthError) {
      fail(isBinary ? null : sidOf(data), message);
      return;
    }
    const { sid } = message;
    if (message.op === 'unsubscribe') {
      subscriptions.get(sid)?.close();
      subscriptions.delete(sid);
      return;
    }
    if (message.op === 'send') {
      // Only this socket's own subscriptions can be written to: a sid opened elsewhere is unknown here.
      const session = subscriptions.get(sid);
      const refusal = session
        ? session.send(message.message)
        : new BerthError(
            'NOT_FOUND',
            `No open subscription ${sid} on this connection.`,
            'Send only to a stream you opened.',
          );
      if (refusal) void send({ sid, refused: refusal.toShape() });
      return;
    }
    if (subscriptions.has(sid)) {
      fail(sid, new BerthError('CONFLICT', `Subscription ${sid} already exists.`, 'Use a new sid.'));
      return;
    }
    if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
      fail(sid, new BerthError('CONFLICT', 'Too many open subscriptions.', 'Unsubscribe from some first.'));
      return;
    }
    const session = router.open(
      message.stream,
      message.params,
      (event) => send({ sid, event }),
      (error) => {
        subscriptions.delete(sid);
        fail(sid, error);
      },
      () => {
        subscriptions.delete(sid);
        void send({ sid, end: true });
      },
    );
    subscriptions.set(sid, session);
  });

  ws.on('close', () => {
    for (const session of subscriptions.values()) session.close();
    subscriptions.clear();
    outbox.stop();
  });
  ws.on('error', () => ws.terminate());
}

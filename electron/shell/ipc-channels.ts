/** IPC channel names and message shapes shared by the preload and the main process. */
import { z } from 'zod';
import { SID_PATTERN } from '../contract';

export const CALL_CHANNEL = 'berth:call';
export const SUBSCRIBE_CHANNEL = 'berth:subscribe';
export const UNSUBSCRIBE_CHANNEL = 'berth:unsubscribe';
/** A message up a duplex subscription of the sending page (a terminal's keystrokes and resizes). */
export const SEND_CHANNEL = 'berth:send';
/** The renderer acknowledges stream events it has handled, which gives the main process credit to send more. */
export const ACK_CHANNEL = 'berth:ack';
/** Each subscription's events come back on its own channel. */
export const streamChannel = (sid: string): string => `berth:stream:${sid}`;

/**
 * What comes back on a stream channel. Events are numbered 1, 2, 3… per subscription; the renderer
 * acknowledges the highest number it has handled.
 */
export type StreamDelivery =
  | { event: unknown; seq: number }
  | { error: unknown }
  | { end: true }
  /** A message sent up the subscription was refused; it stays open. */
  | { refused: unknown };

/**
 * Electron's webContents.send never pushes back, so stream events go out on credit: at most this many
 * may be unacknowledged; past it, the main process answers "wait" to the handler until an ack arrives.
 * With log batches of at most 512 K characters this bounds what is in flight to a few megabytes.
 */
export const IPC_STREAM_WINDOW = 4;

/** An acknowledgement, checked strictly on both sides: the subscription and the last event handled. */
export const StreamAck = z
  .object({ sid: z.string().regex(SID_PATTERN), seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict();
export type StreamAck = z.infer<typeof StreamAck>;

/** A message up a duplex subscription: its sid and the message (validated by the router). */
export const StreamSend = z.object({ sid: z.string().regex(SID_PATTERN), message: z.unknown() }).strict();

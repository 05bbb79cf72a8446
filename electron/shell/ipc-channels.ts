/** IPC channel names shared by the preload and the main process. */
export const CALL_CHANNEL = 'berth:call';
export const SUBSCRIBE_CHANNEL = 'berth:subscribe';
export const UNSUBSCRIBE_CHANNEL = 'berth:unsubscribe';
/** Each subscription's events come back on its own channel. */
export const streamChannel = (sid: string): string => `berth:stream:${sid}`;

/** What comes back on a stream channel. */
export type StreamDelivery = { event: unknown } | { error: unknown } | { end: true };

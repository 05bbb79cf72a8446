/** Container logs: read, demultiplex, split into lines, and deliver in batches with backpressure. */
export type { BatchLimits, LogSink } from './log-batcher';
export { DEFAULT_BATCH_LIMITS } from './log-batcher';
export { followLogs, type WatchedEngine } from './log-follow';
export { type LogEndReason, type LogReadOptions, type LogRequest, readLogs } from './log-reader';

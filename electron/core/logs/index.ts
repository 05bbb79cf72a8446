/** Container logs: read, demultiplex, split into lines, and deliver in batches with backpressure. */
export type { BatchLimits, LogSink } from './log-batcher';
export { DEFAULT_BATCH_LIMITS } from './log-batcher';
export { type ExportFormat, type ExportResult, exportLine, exportLogs } from './log-export';
export { type ExportFileOptions, exportLogsToFile } from './log-export-file';
export { followLogs, type WatchedEngine } from './log-follow';
export { LogMerger } from './log-merge';
export { DEFAULT_HOLD_BACK_MS, type MergedRequest, readMergedLogs, resolveSelection } from './log-merged';
export { type LogEndReason, type LogReadOptions, type LogRequest, readLogs } from './log-reader';

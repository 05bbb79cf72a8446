/**
 * Exports a range of logs (one container or several, merged) to a writable stream, as text or JSON lines,
 * without ever holding the whole log: each merged batch is written, and the next waits for the stream's
 * `drain`, which holds the merger and, through it, every engine reader.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { BerthError, exportLine, type LogExportFormat, type MergedLogSource } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { type MergedReadOptions, type MergedRequest, readMergedLogs } from './log-merged';

export type ExportFormat = LogExportFormat;
/** Written the same way as the renderer's "lines shown" export: the contract's exportLine. */
export { exportLine };

export interface ExportResult {
  lines: number;
  bytes: number;
  outcome: 'done' | 'cancelled';
}

/** Reads the range once (never following) and writes it to `out`; `out` is not ended here. */
export async function exportLogs(
  connection: EngineHandle,
  request: Omit<MergedRequest, 'follow'>,
  format: ExportFormat,
  out: Writable,
  options: Pick<MergedReadOptions, 'signal' | 'readOne'> & {
    /** Called after every batch written, with the running totals. */
    onProgress?: (lines: number, bytes: number) => void;
  } = {},
): Promise<ExportResult> {
  let sources: MergedLogSource[] = [];
  let lines = 0;
  let bytes = 0;
  const outcome = await readMergedLogs(
    connection,
    { ...request, follow: false },
    {
      deliver: async (event) => {
        if (event.kind === 'sources') sources = event.sources;
        // A container that fails mid-read (removed, engine gone) fails the export: half a file is not an export.
        if (event.kind === 'source-error') throw new BerthError(event.error.code, event.error.message, event.error.fix);
        if (event.kind !== 'lines') return;
        let chunk = '';
        for (const line of event.lines) chunk += exportLine(line, sources, format);
        lines += event.lines.length;
        bytes += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await once(out, 'drain', options.signal ? { signal: options.signal } : {});
        options.onProgress?.(lines, bytes);
      },
    },
    { ...(options.signal && { signal: options.signal }), ...(options.readOne && { readOne: options.readOne }) },
  ).catch((error: unknown) => {
    // Waiting for `drain` rejects with an AbortError when the export is cancelled: that is a cancel.
    if (options.signal?.aborted) return 'cancelled' as const;
    throw error;
  });
  return { lines, bytes, outcome };
}

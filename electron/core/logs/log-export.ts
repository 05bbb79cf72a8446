/**
 * Exports a range of logs (one container or several, merged) to a writable stream, as text or JSON lines,
 * without ever holding the whole log: each merged batch is written, and the next waits for the stream's
 * `drain`, which holds the merger and, through it, every engine reader.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { MergedLogLine, MergedLogSource } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { type MergedReadOptions, type MergedRequest, readMergedLogs } from './log-merged';

export type ExportFormat = 'text' | 'jsonl';

/**
 * One line as exported. Text is `docker logs -t`'s own format (`<timestamp> <text>`), with the container's
 * name after the timestamp when several are merged. JSON lines carry container, stream, ts and text.
 */
export function exportLine(line: MergedLogLine, sources: readonly MergedLogSource[], format: ExportFormat): string {
  const name = sources[line.source]?.name ?? '';
  if (format === 'jsonl') {
    return `${JSON.stringify({ container: name, stream: line.stream, ts: line.ts ?? null, text: line.text })}\n`;
  }
  const ts = line.ts ? `${line.ts} ` : '';
  return sources.length > 1 ? `${ts}${name} ${line.text}\n` : `${ts}${line.text}\n`;
}

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
  options: Pick<MergedReadOptions, 'signal' | 'readOne'> = {},
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
        if (event.kind !== 'lines') return;
        let chunk = '';
        for (const line of event.lines) chunk += exportLine(line, sources, format);
        lines += event.lines.length;
        bytes += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      },
    },
    options,
  );
  return { lines, bytes, outcome };
}

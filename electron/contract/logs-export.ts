/**
 * Log export: what to export (a selection and a time range, read once through the engine), the file
 * format, the one way a line is written (shared by the backend's streamed export and the renderer's
 * "lines shown"), and the events of a long export.
 */
import { z } from 'zod';
import type { LogLine } from './logs';
import { LogSelection, type MergedLogSource } from './logs-merged';
import { Millis } from './shapes';

export const LogExportFormat = z.enum(['text', 'jsonl']);
export type LogExportFormat = z.infer<typeof LogExportFormat>;

/** The whole range of a selection (never followed): read by the engine's since/until, streamed to a file. */
export const LogExportRequest = z
  .object({
    selection: LogSelection,
    since: Millis.optional(),
    until: Millis.optional(),
    format: LogExportFormat.default('text'),
  })
  .strict()
  .refine((r) => r.since === undefined || r.until === undefined || r.since < r.until, {
    message: 'since must be before until',
    path: ['until'],
  });
export type LogExportRequest = z.infer<typeof LogExportRequest>;

/**
 * A web-mode download: `href` is a same-origin path carrying a ticket that works once, within
 * `expiresAt`, and only with the session cookie; it names no container and no launch secret.
 */
export const LogDownloadTicket = z.object({
  href: z.string().startsWith('/'),
  fileName: z.string(),
  expiresAt: Millis,
});
export type LogDownloadTicket = z.infer<typeof LogDownloadTicket>;

/** The desktop app's export to a file the user picked in the save dialog. */
export const LogExportEvent = z.discriminatedUnion('kind', [
  /** The user cancelled the save dialog: nothing was written. */
  z.object({ kind: z.literal('dismissed') }),
  z.object({ kind: z.literal('started'), file: z.string() }),
  z.object({ kind: z.literal('progress'), lines: z.number().int().min(0), bytes: z.number().int().min(0) }),
  /** The file is complete. (Cancelling is ending the subscription: the partial file is then removed.) */
  z.object({
    kind: z.literal('finished'),
    file: z.string(),
    lines: z.number().int().min(0),
    bytes: z.number().int().min(0),
  }),
]);
export type LogExportEvent = z.infer<typeof LogExportEvent>;

/** A line as the merged stream carries it (`source` indexes the sources); one container's lines have none. */
export type ExportedLine = LogLine & { source?: number };

/**
 * One line as exported. Text is `docker logs -t`'s own format (`<timestamp> <text>`), with the container's
 * name after the timestamp when several are merged. JSON lines carry container, stream, ts and text.
 */
export function exportLine(line: ExportedLine, sources: readonly MergedLogSource[], format: LogExportFormat): string {
  const name = sources[line.source ?? 0]?.name ?? '';
  if (format === 'jsonl') {
    return `${JSON.stringify({ container: name, stream: line.stream, ts: line.ts ?? null, text: line.text })}\n`;
  }
  const ts = line.ts ? `${line.ts} ` : '';
  return sources.length > 1 ? `${ts}${name} ${line.text}\n` : `${ts}${line.text}\n`;
}

/**
 * A file name safe on every OS and in a Content-Disposition header: the containers' names (or `merged`),
 * reduced to letters, digits, `.`, `_` and `-`, and the time of the export.
 */
export function exportFileName(label: string, format: LogExportFormat, at: number): string {
  const safe =
    label
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 80)
      .replace(/^[.-]+|[.-]+$/g, '') || 'logs';
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${safe}-${stamp}.${format === 'jsonl' ? 'jsonl' : 'log'}`;
}

/** Where web mode serves a whole-range export as a download (GET, `?ticket=`). */
export const LOG_DOWNLOAD_PATH = '/api/download/logs';

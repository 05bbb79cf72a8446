/**
 * Exports a range of logs to a file on this machine (the desktop app's save dialog picked it): streamed
 * through exportLogs, so memory stays bounded whatever the size. A cancelled or failed export removes
 * its partial file, so a file that exists is a complete export.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { BerthError, type LogExportRequest } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { type ExportResult, exportLogs } from './log-export';
import type { ReadOne } from './log-merged';

export interface ExportFileOptions {
  signal?: AbortSignal;
  readOne?: ReadOne;
  onProgress?: (lines: number, bytes: number) => void;
}

const cannotWrite = (file: string, error: unknown) =>
  new BerthError(
    'INVALID_INPUT',
    `Berth could not write the export to ${file}: ${(error as Error).message}.`,
    'Choose a folder you can write to, with enough free space.',
  );

export async function exportLogsToFile(
  connection: EngineHandle,
  { selection, since, until, format }: LogExportRequest,
  file: string,
  options: ExportFileOptions = {},
): Promise<ExportResult> {
  // Owner-only: logs often carry what should not be shared.
  const out = createWriteStream(file, { mode: 0o600 });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  let result: ExportResult | undefined;
  try {
    await opened.catch((error: unknown) => {
      throw cannotWrite(file, error);
    });
    const written = exportLogs(
      connection,
      { selection, tail: 'all', ...(since !== undefined && { since }), ...(until !== undefined && { until }) },
      format,
      out,
      options,
    );
    // A write error (disk full) fails the export, not only the next drain.
    const failed = new Promise<never>((_, reject) => out.once('error', (error) => reject(cannotWrite(file, error))));
    failed.catch(() => undefined);
    const outcome = await Promise.race([written, failed]);
    out.end();
    await finished(out).catch((error: unknown) => {
      throw cannotWrite(file, error);
    });
    result = outcome;
    return outcome;
  } finally {
    if (result?.outcome !== 'done') {
      out.destroy();
      await rm(file, { force: true });
    }
  }
}

import { isAbsolute } from 'node:path';
import { BerthError, exportFileName, LOG_DOWNLOAD_PATH } from '../../contract';
import { exportLogsToFile, resolveSelection } from '../../core/logs';
import type { Handlers, StreamHandlers } from '../handler-types';
import { linkSession } from '../links';
import { engineNow, type Services } from '../services';
import type { AppOptions } from './app';

/** Progress is reported at most this often: enough for a counter, never a flood. */
const PROGRESS_EVERY_MS = 200;

/**
 * Web mode: a one-time link the page opens to download a whole-range export, after a check that the
 * selection names containers that exist (NOT_FOUND otherwise, and no link).
 */
export function logExportHandlers({ engine, links }: Services): Pick<Handlers, 'logs.downloadLink'> {
  return {
    'logs.downloadLink': async (request, caller) => {
      const session = linkSession(caller, 'On the desktop, Export saves through the save dialog (logs.export).');
      const connection = engineNow(engine);
      const sources = await resolveSelection(connection, request.selection);
      const label = sources.length === 1 ? sources[0]!.name : 'merged';
      const fileName = exportFileName(label, request.format, Date.now());
      const link = links.issue(session, 'logs.export', { engine: connection, request, fileName });
      return { href: `${LOG_DOWNLOAD_PATH}?ticket=${link.id}`, fileName, expiresAt: link.expiresAt };
    },
  };
}

/**
 * The desktop app: the shell's save dialog picks the file, then the core streams the export into it.
 * Ending the subscription cancels the export, and the partial file is removed.
 */
export function logExportStreamHandlers(
  { engine }: Services,
  { pickSaveFile }: Pick<AppOptions, 'pickSaveFile'>,
): Pick<StreamHandlers, 'logs.export'> {
  return {
    'logs.export': async (request, emit, signal) => {
      if (!pickSaveFile) {
        throw new BerthError(
          'UNSUPPORTED',
          'A browser page cannot open a save dialog on the machine that runs Berth.',
          'In web mode the export downloads through the browser (logs.downloadLink).',
        );
      }
      const connection = engineNow(engine);
      const sources = await resolveSelection(connection, request.selection);
      const label = sources.length === 1 ? sources[0]!.name : 'merged';
      const file = await pickSaveFile(exportFileName(label, request.format, Date.now()));
      if (signal.aborted) return;
      if (file === null) {
        emit({ kind: 'dismissed' });
        return;
      }
      if (!isAbsolute(file) || file.includes('\0')) {
        throw new BerthError('INVALID_INPUT', 'The save dialog gave no usable file path.', 'Choose the file again.');
      }
      emit({ kind: 'started', file });
      let last = 0;
      const result = await exportLogsToFile(connection, request, file, {
        signal,
        onProgress: (lines, bytes) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          emit({ kind: 'progress', lines, bytes });
        },
      });
      if (result.outcome === 'done') emit({ kind: 'finished', file, lines: result.lines, bytes: result.bytes });
    },
  };
}

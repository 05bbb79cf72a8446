import { BerthError } from '../../contract';
import { copyOut, DOWNLOAD_PATH, listFolder, statPath, UPLOAD_PATH } from '../../core/files';
import type { Handlers } from '../handler-types';
import { linkSession } from '../links';
import { engineNow, type Services } from '../services';
import type { AppOptions } from './app';

type FileHandlers = Pick<Handlers, 'files.list' | 'files.downloadLink' | 'files.uploadLink' | 'files.copyOut'>;

const ON_DESKTOP = 'On the desktop, use Copy out, which saves through the folder dialog.';

export function fileHandlers({ engine, links }: Services, options: AppOptions): FileHandlers {
  return {
    'files.list': ({ id, path }) => listFolder(engine, id, path),
    'files.downloadLink': async ({ id, path }, caller) => {
      const session = linkSession(caller, ON_DESKTOP);
      const stat = await statPath(engine, id, path);
      const ticket = links.issue(session, 'files.download', { engine: engineNow(engine), id, path }).id;
      const name = stat.name || 'root';
      return {
        url: `${DOWNLOAD_PATH}${ticket}`,
        fileName: stat.kind === 'file' ? name : `${name}.tar`,
        kind: stat.kind,
      };
    },
    'files.uploadLink': async (request, caller) => {
      const session = linkSession(caller, ON_DESKTOP);
      const stat = await statPath(engine, request.id, request.folder);
      if (stat.kind !== 'folder')
        throw new BerthError('INVALID_INPUT', `"${request.folder}" is not a folder.`, 'Upload into a folder.', {
          folder: ['not a folder'],
        });
      const ticket = links.issue(session, 'files.upload', { engine: engineNow(engine), request }).id;
      return { url: `${UPLOAD_PATH}${ticket}`, maxBytes: request.sizeBytes };
    },
    'files.copyOut': async ({ id, path }) => {
      if (!options.pickFolder)
        throw new BerthError(
          'UNSUPPORTED',
          'A browser page cannot choose a folder on the machine that runs Berth.',
          'Use Download: the browser saves the file, or the folder as a .tar.',
        );
      await statPath(engine, id, path);
      const destination = await options.pickFolder(undefined);
      if (destination === null) return { destination: null, files: 0, bytes: 0, skipped: [] };
      return { destination, ...(await copyOut(engineNow(engine), id, path, destination)) };
    },
  };
}

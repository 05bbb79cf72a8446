import { isAbsolute } from 'node:path';
import { BerthError } from '../../contract';
import { defaultProject } from '../../core/project/default-project';
import { readDockerfile } from '../../core/project/dockerfile-file';
import { vetExternalUrl } from '../external-url';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

export interface AppOptions {
  /** The folder Berth's default project (the notes service) is built from: the repository root. */
  projectDir: string;
  /** Opens a vetted http(s) URL in the system browser; absent in web mode. */
  openExternal?: (url: URL) => Promise<void>;
  /** Shows the native folder dialog (Electron); resolves with the chosen folder or null. Absent in web mode. */
  pickFolder?: (defaultPath: string | undefined) => Promise<string | null>;
  /** Shows the native save dialog (Electron); resolves with the chosen file or null. Absent in web mode. */
  pickSaveFile?: (defaultName: string) => Promise<string | null>;
}

type AppHandlers = Pick<
  Handlers,
  'project.default' | 'project.recent' | 'dockerfile.read' | 'app.openExternal' | 'app.pickFolder'
>;

export function appHandlers({ engine, recent }: Services, options: AppOptions): AppHandlers {
  return {
    'project.default': async () => ({
      ...(await defaultProject(options.projectDir, engine.docker)),
      folderPicker: options.pickFolder !== undefined,
    }),
    'project.recent': () => recent.list(),
    'dockerfile.read': ({ contextDir, dockerfile }) => readDockerfile(contextDir, dockerfile, options.projectDir),
    'app.pickFolder': async ({ defaultPath }) => {
      if (!options.pickFolder) {
        throw new BerthError(
          'UNSUPPORTED',
          'A browser page cannot open a folder dialog on the machine that runs Berth.',
          'Type the folder path, or choose a recent project. The desktop app has a folder picker.',
        );
      }
      const path = await options.pickFolder(defaultPath);
      return { path: path !== null && isAbsolute(path) && !path.includes('\0') ? path : null };
    },
    'app.openExternal': async ({ url }) => {
      if (!options.openExternal) {
        throw new BerthError(
          'UNSUPPORTED',
          'Berth does not open links itself in web mode.',
          'In web mode the browser opens links itself; open the link from the page.',
        );
      }
      const vetted = vetExternalUrl(url);
      if (!vetted) {
        throw new BerthError(
          'INVALID_INPUT',
          'Only plain http:// and https:// links can be opened.',
          'Use a full http(s) URL without a user name or password in it.',
          { url: ['only http(s) URLs without credentials'] },
        );
      }
      await options.openExternal(vetted);
      return { ok: true as const };
    },
  };
}

import { BerthError } from '../../contract';
import { defaultProject } from '../../core/project/default-project';
import { vetExternalUrl } from '../external-url';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

export interface AppOptions {
  /** The folder Berth's default project (the notes service) is built from: the repository root. */
  projectDir: string;
  /** Opens a vetted http(s) URL in the system browser; absent in web mode. */
  openExternal?: (url: URL) => Promise<void>;
}

type AppHandlers = Pick<Handlers, 'project.default' | 'app.openExternal'>;

export function appHandlers({ engine }: Services, options: AppOptions): AppHandlers {
  return {
    'project.default': () => defaultProject(options.projectDir, engine.docker),
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

/**
 * Maps every procedure and stream in the contract to the backend that serves it.
 *
 * The core modules (electron/core/engine, images, containers, logs, build, registry) are being written
 * alongside this file; until one is wired, its procedures answer UNSUPPORTED and name the module, so the
 * UI shows a clear message instead of failing silently.
 */
import { BerthError } from '../contract';
import { vetExternalUrl } from './external-url';
import type { Handlers, StreamHandlers } from './handler-types';

export interface HandlerDependencies {
  /** The folder Berth's default project (the notes service) is built from: the repository root. */
  projectDir: string;
  /** Opens a vetted http(s) URL in the system browser; absent in web mode. */
  openExternal?: (url: URL) => Promise<void>;
}

const notWiredYet = (module: string) => (): never => {
  throw new BerthError(
    'UNSUPPORTED',
    `This part of Berth (${module}) is not connected yet.`,
    'Update Berth; this feature arrives with the next build.',
  );
};

export function createHandlers(deps: HandlerDependencies): Handlers {
  // TODO(lead): wire electron/core/engine.
  const engine = notWiredYet('electron/core/engine');
  // TODO(lead): wire electron/core/images.
  const images = notWiredYet('electron/core/images');
  // TODO(lead): wire electron/core/containers.
  const containers = notWiredYet('electron/core/containers');
  // TODO(lead): wire electron/core/build.
  const build = notWiredYet('electron/core/build');
  // TODO(lead): wire electron/core/registry (CredentialStore over the injected SecretStore, PushRunner).
  const registry = notWiredYet('electron/core/registry');

  return {
    'engine.status': engine,
    'engine.contexts': engine,
    'engine.useContext': engine,

    'project.default': async () => ({
      contextDir: deps.projectDir,
      dockerfile: 'Dockerfile',
      buildArgs: {}, // TODO(lead): NODE_IMAGE
      tags: ['notas-iv:latest'],
    }),

    'images.list': images,
    'images.inspect': images,
    'images.layers': images,
    'images.remove': images,
    'images.prune': images,
    'images.tag': images,

    'containers.list': containers,
    'containers.inspect': containers,
    'containers.start': containers,
    'containers.stop': containers,
    'containers.restart': containers,
    'containers.remove': containers,
    'containers.run': containers,
    'containers.recreate': containers,
    'ports.suggest': containers,

    'build.start': build,
    'build.cancel': build,
    'build.get': build,
    'build.records': build,

    'registry.login': registry,
    'registry.saved': registry,
    'push.start': registry,
    'push.get': registry,

    'app.openExternal': async ({ url }) => {
      if (!deps.openExternal) {
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
      await deps.openExternal(vetted);
      return { ok: true as const };
    },
  };
}

export function createStreamHandlers(): StreamHandlers {
  return {
    engine: notWiredYet('electron/core/engine'), // TODO(lead): engine events
    build: notWiredYet('electron/core/build'), // TODO(lead): build model stream
    logs: notWiredYet('electron/core/logs'), // TODO(lead): readLogs
    push: notWiredYet('electron/core/registry'), // TODO(lead): PushRunner stream
  };
}

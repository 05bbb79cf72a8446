/**
 * Assembles Berth's backend for either transport: the core services, the handlers over them, and the
 * router both transports share. Nothing here imports Electron.
 */
import type { SecretStore } from '../core/registry/credentials';
import { createHandlers, createStreamHandlers } from './handlers';
import { createRouter, type Router } from './router';

export interface BackendOptions {
  /** Where Berth keeps its own files (build records, settings). */
  dataDir: string;
  secretStore: SecretStore;
  /** Opens a vetted URL in the system browser (Electron); web mode leaves it out. */
  openExternal?: (url: URL) => Promise<void>;
  /** The default project's folder; the repository root. Defaults to the working directory. */
  projectDir?: string;
}

export interface Backend {
  router: Router;
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  // TODO(lead): options.dataDir and options.secretStore go to core/build (records) and core/registry.
  const handlers = createHandlers({
    projectDir: options.projectDir ?? process.cwd(),
    openExternal: options.openExternal,
  });
  const router = createRouter(handlers, createStreamHandlers());
  return {
    router,
    async close() {
      // TODO(lead): close the engine connection and stop running pushes/builds here.
    },
  };
}

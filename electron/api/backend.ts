/**
 * Assembles Berth's backend for either transport: the core services, the handlers over them, and the
 * router both transports share. Nothing here imports Electron.
 */
import type { DeploysOptions } from '../core/deploy';
import type { Engine } from '../core/engine';
import type { SecretStore } from '../core/registry';
import { createHandlers, streamHandlers } from './handlers';
import type { Links } from './links';
import { createRouter, type Router } from './router';
import { createServices } from './services';

export interface BackendOptions {
  /** Where Berth keeps its own files (build records). */
  dataDir: string;
  secretStore: SecretStore;
  /** Opens a vetted URL in the system browser (Electron); web mode leaves it out. */
  openExternal?: (url: URL) => Promise<void>;
  /** Shows the native folder dialog (Electron); web mode leaves it out. */
  pickFolder?: (defaultPath: string | undefined) => Promise<string | null>;
  /** Shows the native save dialog (Electron); web mode leaves it out. */
  pickSaveFile?: (defaultName: string) => Promise<string | null>;
  /** The default project's folder; the repository root. Defaults to the working directory. */
  projectDir?: string;
  /** A chosen engine connection (tests); by default resolved like the docker CLI does. */
  engine?: Engine;
  /** Where the docker CLI config and credential helpers are found (tests); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Deploy settings besides the secret store (tests: endpoint env, a stub authority's CA, log tail). */
  deploy?: Omit<DeploysOptions, 'secrets'>;
  /** This Berth instance's id (tests: a crashed one's); by default made from this process. */
  instance?: string | null;
}

/** How long close() waits for a sweep under way. */
const SWEEP_CLOSE_WAIT_MS = 5000;

export interface Backend {
  router: Router;
  /** Web mode's one-time links (log exports, file transfers), for the web server's routes. */
  links: Links;
  /**
   * Resolves once the work Berth does on its own when it connects (the sweep of crashed instances'
   * terminals) is done: tests wait for it, so its engine reads are not taken for theirs.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function createBackend(options: BackendOptions): Backend {
  const services = createServices(options);
  const appOptions = {
    projectDir: options.projectDir ?? process.cwd(),
    ...(options.openExternal && { openExternal: options.openExternal }),
    ...(options.pickFolder && { pickFolder: options.pickFolder }),
    ...(options.pickSaveFile && { pickSaveFile: options.pickSaveFile }),
  };
  const handlers = createHandlers(services, appOptions);
  return {
    router: createRouter(handlers, streamHandlers(services, appOptions)),
    links: services.links,
    settled: () => services.orphanSweep.settled(),
    async close() {
      // A sweep under way finishes first (bounded: an engine gone quiet must not hold the close).
      await Promise.race([
        services.orphanSweep.settled(),
        new Promise<void>((resolve) => setTimeout(resolve, SWEEP_CLOSE_WAIT_MS).unref()),
      ]);
      // Debug shells' containers and images go before the engine connection does.
      await services.terminals.closeAll();
      services.close();
    },
  };
}

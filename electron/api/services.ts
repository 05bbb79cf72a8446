/**
 * The long-lived backend objects both transports share: one engine connection, one event feed, the saved
 * registry logins, and the build and push runners of the current engine (new ones after a context switch).
 */
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { BuildRunner } from '../core/build/runner';
import { Engine, EngineEvents } from '../core/engine';
import { CredentialStore, PushRunner, type SecretStore } from '../core/registry';

export interface ServiceOptions {
  dataDir: string;
  secretStore: SecretStore;
  /** Tests point the backend at a chosen engine; by default it is resolved like the docker CLI does. */
  engine?: Engine;
}

export interface Services {
  engine: Engine;
  events: EngineEvents;
  credentials: CredentialStore;
  builds(): BuildRunner;
  pushes(): PushRunner;
  close(): void;
}

/** Memoises `make` for the engine's current dockerode client. */
function forCurrentClient<T>(engine: Engine, make: (docker: Dockerode) => T): () => T {
  let client: Dockerode | undefined;
  let value: T | undefined;
  return () => {
    if (value === undefined || client !== engine.docker) {
      client = engine.docker;
      value = make(client);
    }
    return value;
  };
}

export function createServices(options: ServiceOptions): Services {
  const engine = options.engine ?? new Engine();
  const events = new EngineEvents(engine);
  const credentials = new CredentialStore(options.secretStore);
  const recordsDir = join(options.dataDir, 'builds');
  return {
    engine,
    events,
    credentials,
    builds: forCurrentClient(engine, (docker) => new BuildRunner(docker, engine.endpoint, { recordsDir })),
    pushes: forCurrentClient(engine, (docker) => new PushRunner(docker, engine.endpoint, credentials)),
    close() {
      events.close();
      engine.close();
    },
  };
}

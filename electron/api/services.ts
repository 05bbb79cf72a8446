/**
 * The long-lived backend objects both transports share: one engine connection, one event feed, the saved
 * registry logins, and the builds and pushes of this session by id.
 */
import { join } from 'node:path';
import type { BuildModel, PipelineModel, Platform, PushModel, WatchModel } from '../contract';
import type { Build } from '../core/build';
import { AppSecrets, RegistryLogins } from '../core/credentials';
import { Deploys, type DeploysOptions, pipelineDeployers } from '../core/deploy';
import { Engine, EngineChoice, EngineEvents, type EngineHandle } from '../core/engine';
import { JobRunner } from '../core/job-runner';
import { type Deployer, ParityPasses, type Pipeline, type WatchSession } from '../core/pipeline';
import { RecentProjects } from '../core/project/recent-projects';
import { CredentialStore, type Push, type SecretStore } from '../core/registry';
import { instanceId, type OrphanSweep, sweepOnConnect, TerminalSessions } from '../core/terminal';
import { createLinks, type Links } from './links';

export interface ServiceOptions {
  dataDir: string;
  secretStore: SecretStore;
  /** Tests point the backend at a chosen engine; by default it is resolved like the docker CLI does. */
  engine?: Engine;
  /** Where the docker CLI config (DOCKER_CONFIG, HOME) and credential helpers (PATH) are found; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Deploy settings besides the secret store: endpoint env (default process.env), test CA, log tail. */
  deploy?: Omit<DeploysOptions, 'secrets'>;
  /** This Berth instance's id (tests give a crashed one's); by default made from this process (terminal/orphans.ts). */
  instance?: string | null;
}

export interface Services {
  /** The sweep of what crashed Berths' terminals left, run on each engine connected (terminal/orphans.ts). */
  orphanSweep: OrphanSweep;
  engine: Engine;
  events: EngineEvents;
  /** Berth's own saved logins (one of the sources `logins` reads). */
  credentials: CredentialStore;
  /** Every login Berth can use: the docker CLI's config file and helpers, and Berth's own. */
  logins: RegistryLogins;
  /** Named secrets for deploys (Heroku API key, Azure tokens), kept like Berth's own logins. */
  secrets: AppSecrets;
  /** Where one record per finished build is written. */
  recordsDir: string;
  /** The projects built lately, for the build form. */
  recent: RecentProjects;
  builds: JobRunner<BuildModel, Build>;
  pushes: JobRunner<PushModel, Push>;
  /** Open terminals: what their debug shells made is removed when the app closes. */
  terminals: TerminalSessions;
  /** This Berth instance's id, on what its terminals make: a later Berth removes it if this one dies. */
  instance: string | null;
  /** Where one record per finished pipeline run is written: the pipeline history. */
  pipelineHistoryDir: string;
  pipelines: JobRunner<PipelineModel, Pipeline>;
  /** The deploy clients by platform (Heroku and Azure through `deploys`); the pipeline's deploy stage calls them. */
  deployers: Map<Platform, Deployer>;
  /** The parity runs that passed in this session: the Deploy panel's deploys wait for them. */
  parityPasses: ParityPasses;
  watches: JobRunner<WatchModel, WatchSession>;
  /** The watch sessions still watching: close() stops them, so no watcher outlives the backend. */
  liveWatches: Set<WatchSession>;
  /** Heroku and Azure: keys, sign-ins, endpoints and the deploys of this session. */
  deploys: Deploys;
  /** Web mode's one-time links (log exports, file downloads and uploads), redeemed by the web server. */
  links: Links;
  close(): void;
}

/**
 * The engine as it is now: a job keeps the client it started with, even if the user switches context
 * while it runs. The engine's labels (a test suite's run label, say) go with it onto what the job creates.
 */
export const engineNow = (engine: Engine): EngineHandle => ({
  docker: engine.docker,
  endpoint: engine.endpoint,
  labels: engine.labels,
});

export function createServices(options: ServiceOptions): Services {
  const engine = options.engine ?? new Engine({ choice: new EngineChoice(options.dataDir) });
  const events = new EngineEvents(engine);
  const credentials = new CredentialStore(options.secretStore);
  const liveWatches = new Set<WatchSession>();
  const secrets = new AppSecrets(options.secretStore);
  const deploys = new Deploys({ secrets, ...options.deploy });
  // What crashed Berths' terminals left on the engine goes once it answers (never a live Berth's).
  const orphanSweep = sweepOnConnect(engine);
  const links = createLinks();
  return {
    engine,
    orphanSweep,
    events,
    credentials,
    logins: new RegistryLogins({
      saved: credentials,
      keeping: options.secretStore.keeping,
      ...(options.env && { env: options.env }),
    }),
    secrets,
    recordsDir: join(options.dataDir, 'builds'),
    recent: new RecentProjects(options.dataDir),
    builds: new JobRunner({ noun: 'build', fix: 'Start the build again, or open it from the build history.' }),
    pushes: new JobRunner({ noun: 'push', fix: 'Start the push again; old pushes are forgotten.' }),
    terminals: new TerminalSessions(),
    instance: options.instance === undefined ? instanceId() : options.instance,
    pipelineHistoryDir: join(options.dataDir, 'pipelines'),
    pipelines: new JobRunner({ noun: 'pipeline', fix: 'Open the run from the pipeline history.' }),
    deployers: pipelineDeployers(deploys),
    parityPasses: new ParityPasses(),
    watches: new JobRunner({ noun: 'watch session', fix: 'Start watch mode again.' }),
    liveWatches,
    deploys,
    links,
    close() {
      for (const watch of liveWatches) watch.stop();
      links.close();
      orphanSweep.stop();
      events.close();
      engine.close();
    },
  };
}

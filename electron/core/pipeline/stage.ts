/**
 * The pipeline's plug-in points. A stage takes the request and what earlier stages produced, and returns
 * what it adds; the pipeline runs stages in order, times them, and keeps their outputs for a resume. Push and
 * deploy are stages like the others, so a new registry client or deploy client plugs in without touching
 * the pipeline.
 */
import type { DeployTarget, PipelineOutputs, PipelineRequest, PipelineStageName, Platform } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import type { CredentialStore, RegistryCredentials } from '../registry';

export interface StageContext {
  engine: EngineHandle;
  /** The request with its credentials (memory only: never recorded). */
  request: PipelineRequest;
  /** What earlier stages produced (or a resumed pipeline kept). */
  outputs: PipelineOutputs;
  signal: AbortSignal;
  /** Sets the stage's one-line detail while it runs. */
  report(detail: string): void;
  /** Where the build stage writes its build record. */
  recordsDir?: string;
  /** Saved logins, for the push stage when the request carries none. */
  credentials?: CredentialStore;
  deployers: ReadonlyMap<Platform, Deployer>;
  /** Tells the pipeline the id of the deploy job the deploy stage started. */
  started?(deployId: string): void;
}

export interface StageResult {
  outputs: Partial<PipelineOutputs>;
  /** The stage's final one-line detail. */
  detail: string;
}

export interface Stage {
  readonly name: PipelineStageName;
  /** Whether the request asks for this stage at all (a pipeline without a target has no tag and push). */
  applies(request: PipelineRequest): boolean;
  /** Resolves with what it adds; throws a BerthError when it fails. */
  run(context: StageContext): Promise<StageResult>;
}

/** What a deploy client gets: the built (and pushed) image, where it goes, and how to reach the push login. */
export interface DeployInput {
  engine: EngineHandle;
  /** Where to deploy: platform, app, and the platform's own settings (Azure's subscription, group, plan). */
  target: DeployTarget;
  /** The local image, by a tag (the push target, else the build's first tag). */
  localImage: string;
  /** The pushed reference and its manifest digest, when the pipeline pushed. */
  pushed: { image: string; digest: string } | null;
  /** The pipeline's push login for a registry (typed for this run, else saved): memory only. */
  loginFor(registry: string): Promise<RegistryCredentials | undefined>;
  signal: AbortSignal;
  report(detail: string): void;
  /** Called once the platform's deploy job exists, with its id (the UI follows its steps and output). */
  started(deployId: string): void;
}

/** A platform's deploy client (Heroku, Azure); the real ones plug in here. */
export interface Deployer {
  readonly platform: Platform;
  /** Whether the platform pulls the image from a registry (Azure) rather than taking a push of its own (Heroku). */
  readonly needsPush: boolean;
  /** Releases the image; resolves with the app's URL, throws a BerthError (DEPLOY_FAILED, AUTH_FAILED, ...). */
  deploy(input: DeployInput): Promise<{ url: string | null }>;
}

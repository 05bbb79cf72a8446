/**
 * The pipeline's plug-in points. A stage takes the request and what earlier stages produced, and returns
 * what it adds; the pipeline runs stages in order, times them, and keeps their outputs for a resume. Push and
 * deploy are stages like the others, so a new registry client or deploy client plugs in without touching
 * the pipeline.
 */
import type { PipelineOutputs, PipelineRequest, PipelineStageName, Platform } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import type { CredentialStore } from '../registry';

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

/** What a deploy client gets: the pushed image and the app to release it to. */
export interface DeployInput {
  engine: EngineHandle;
  /** The pushed reference, e.g. registry.heroku.com/<app>/web. */
  image: string;
  /** The manifest digest the push returned. */
  digest: string;
  app: string;
  signal: AbortSignal;
  report(detail: string): void;
}

/** A platform's deploy client (Heroku, Azure); the real ones plug in here. */
export interface Deployer {
  readonly platform: Platform;
  /** Releases the image; resolves with the app's URL, throws a BerthError (DEPLOY_FAILED, AUTH_FAILED, ...). */
  deploy(input: DeployInput): Promise<{ url: string }>;
}

/**
 * The deploy side of the backend for one session: the Heroku key, the Azure sign-in, the chosen Azure
 * cloud, and the deploys and sign-ins running now, by id. The endpoints are read from the environment on
 * every use, so what the UI shows is what the next request uses.
 */
import type {
  AzureCloud,
  AzureDeployRequest,
  AzureSignInModel,
  DeployModel,
  HerokuDeployRequest,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { JobRunner } from '../job-runner';
import { AzureArm } from './azure-arm';
import { startAzureDeploy } from './azure-deploy';
import { AzureSession, type AzureSignIn, azureCliPresent, type SignInMethod } from './azure-session';
import type { DeployJob } from './deploy-job';
import { type ResolvedEndpoints, requireUsable, resolveEndpoints } from './endpoints';
import { type DeploySecrets, HerokuAccount } from './heroku-account';
import { HerokuApi } from './heroku-api';
import { startHerokuDeploy } from './heroku-deploy';

export interface DeploysOptions {
  /** Where remembered keys go: the backend's SecretStore (safeStorage in the desktop app). */
  secrets: DeploySecrets;
  /** Where BERTH_* endpoint overrides are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** An extra CA for a stub sign-in authority (tests); users set NODE_EXTRA_CA_CERTS. */
  azureTlsCa?: string;
  /** How long the App Service log is followed after a deploy. */
  logTailMs?: number;
  /** How often a pending Heroku release is polled (tests against the stub, which answers at once). */
  releasePollMs?: number;
}

export class Deploys {
  readonly heroku: HerokuAccount;
  readonly azure: AzureSession;
  readonly jobs = new JobRunner<DeployModel, DeployJob>({ noun: 'deploy', fix: 'Start the deploy again.' });
  readonly signIns = new JobRunner<AzureSignInModel, AzureSignIn & { id: string }>({
    noun: 'sign-in',
    fix: 'Sign in again.',
  });
  private cloud: AzureCloud = 'public';
  private cli: Promise<boolean> | null = null;

  constructor(private readonly options: DeploysOptions) {
    this.heroku = new HerokuAccount(options.secrets);
    this.azure = new AzureSession(options.azureTlsCa);
  }

  endpoints(): ResolvedEndpoints {
    return resolveEndpoints(this.cloud, this.options.env ?? process.env);
  }

  private herokuEndpoints() {
    const endpoints = this.endpoints();
    requireUsable(endpoints, 'heroku');
    return endpoints.heroku;
  }

  private azureEndpoints() {
    const endpoints = this.endpoints();
    requireUsable(endpoints, 'azure');
    return endpoints;
  }

  async herokuApi(): Promise<HerokuApi> {
    return new HerokuApi(this.herokuEndpoints().apiUrl, await this.heroku.key());
  }

  herokuSignIn(apiKey: string, remember: boolean): Promise<{ email: string }> {
    return this.heroku.signIn(this.herokuEndpoints().apiUrl, apiKey, remember);
  }

  async herokuDeploy(engine: EngineHandle, request: Omit<HerokuDeployRequest, 'overrideParity'>): Promise<string> {
    const { apiUrl, registry } = this.herokuEndpoints();
    const apiKey = await this.heroku.key();
    return this.jobs.add(
      startHerokuDeploy({
        engine,
        request,
        apiUrl,
        registry,
        apiKey,
        ...(this.options.releasePollMs !== undefined && { releasePollMs: this.options.releasePollMs }),
      }),
    );
  }

  azureSignIn(cloud: AzureCloud, method: SignInMethod): string {
    this.cloud = cloud;
    return this.signIns.add(this.azure.signIn(this.azureEndpoints(), method));
  }

  async azureStatus() {
    this.cli ??= azureCliPresent();
    return { ...this.azure.status(), cloud: this.cloud, cliAvailable: await this.cli };
  }

  arm(): AzureArm {
    return new AzureArm(this.azureEndpoints().azure.armUrl, () => this.azure.token());
  }

  azureDeploy(engine: EngineHandle, request: Omit<AzureDeployRequest, 'overrideParity'>): string {
    const { armUrl } = this.azureEndpoints().azure;
    return this.jobs.add(
      startAzureDeploy({
        engine,
        request,
        armUrl,
        token: () => this.azure.token(),
        ...(this.options.logTailMs !== undefined && { logTailMs: this.options.logTailMs }),
      }),
    );
  }
}

/**
 * The real deploy clients as the pipeline's deploy stage sees them: each starts the platform's deploy job
 * in the session's Deploys (so the Ship view follows its steps and output on the deploy stream, like a
 * deploy started by hand), reports its running step as the stage's detail, and ends when the deploy has
 * succeeded or failed (App Service's log tail goes on in the job after the stage ends). Credentials come
 * from the session: the Heroku key from AppSecrets, the Azure sign-in, and for a private registry the
 * pipeline's push login; none of them enters the pipeline's request or record.
 */
import {
  AzureDeployRequest,
  BerthError,
  type DeployModel,
  DOCKER_HUB,
  HerokuDeployRequest,
  invalidInput,
  type Platform,
  registryHost,
} from '../../contract';
import type { Deployer, DeployInput } from '../pipeline/stage';
import type { DeployJob } from './deploy-job';
import type { Deploys } from './deploys';

/** Follows `job` until its deploy has ended, reporting the running step; a cancelled pipeline cancels it. */
export function untilDeployed(job: DeployJob, input: Pick<DeployInput, 'signal' | 'report'>): Promise<DeployModel> {
  return new Promise((resolve) => {
    const cancel = () => job.cancel();
    const check = (model: DeployModel) => {
      if (model.state === 'running') {
        const at = model.steps.findIndex((s) => s.state === 'running');
        if (at >= 0) input.report(`${model.steps[at]!.name} (step ${at + 1}/${model.steps.length})`);
        return;
      }
      stop();
      input.signal.removeEventListener('abort', cancel);
      resolve(model);
    };
    const stop = job.onChange(check);
    input.signal.addEventListener('abort', cancel, { once: true });
    if (input.signal.aborted) cancel();
    check(job.current());
  });
}

function outcome(model: DeployModel, signal: AbortSignal): { url: string | null } {
  if (model.state === 'succeeded') return { url: model.url };
  if (signal.aborted) throw new BerthError('CANCELLED', 'The deploy was cancelled.');
  throw model.failure
    ? BerthError.fromShape(model.failure)
    : new BerthError('DEPLOY_FAILED', 'The deploy ended without a result.', 'Resume the pipeline from the deploy.');
}

async function follow(deploys: Deploys, deployId: string, input: DeployInput) {
  input.started(deployId);
  return outcome(await untilDeployed(deploys.jobs.job(deployId), input), input.signal);
}

/** Heroku takes its own push (registry.heroku.com/<app>/web), so the pipeline need not push first. */
export function herokuDeployer(deploys: Deploys): Deployer {
  return {
    platform: 'heroku',
    needsPush: false,
    async deploy(input) {
      const parsed = HerokuDeployRequest.safeParse({ source: input.localImage, app: input.target.app });
      if (!parsed.success) throw invalidInput('Heroku deploy', parsed.error.issues);
      return follow(deploys, await deploys.herokuDeploy(input.engine, parsed.data), input);
    },
  };
}

/** What App Service's DOCKER_REGISTRY_SERVER_URL names for a registry host. */
export function registryServerUrl(host: string): string {
  return host === DOCKER_HUB ? 'https://index.docker.io' : `https://${host}`;
}

/** App Service pulls the image the pipeline pushed; a private registry is pulled with the push login. */
export function azureDeployer(deploys: Deploys): Deployer {
  return {
    platform: 'azure',
    needsPush: true,
    async deploy(input) {
      const { target, pushed } = input;
      const azure = target.azure;
      if (!azure || !pushed) {
        throw new BerthError(
          'INVALID_INPUT',
          'An App Service deploy needs its subscription, resource group and plan, and a pushed image.',
          'Fill in the Azure fields and a push target, then run the pipeline again.',
          { 'deploy.azure': ['required for Azure'] },
        );
      }
      if (!deploys.azure.status().signedIn) {
        throw new BerthError(
          'AUTH_FAILED',
          'Berth is not signed in to Azure.',
          'Sign in to Azure, then resume from the deploy.',
        );
      }
      let registry: AzureDeployRequest['registry'];
      if (azure.privateRegistry) {
        const host = registryHost(pushed.image);
        const login = await input.loginFor(host);
        if (!login) {
          throw new BerthError(
            'AUTH_FAILED',
            `App Service needs a login for ${host} to pull ${pushed.image}, and Berth has none.`,
            `Log in to ${host} in the Ship view, then resume from the deploy.`,
          );
        }
        registry = { url: registryServerUrl(host), username: login.username, password: login.password };
      }
      const parsed = AzureDeployRequest.safeParse({
        subscriptionId: azure.subscriptionId,
        resourceGroup: azure.resourceGroup,
        location: azure.location,
        plan: azure.plan,
        site: target.app,
        image: pushed.image,
        localImage: input.localImage,
        ...(azure.port !== undefined && { port: azure.port }),
        ...(registry && { registry }),
      });
      if (!parsed.success) throw invalidInput('App Service deploy', parsed.error.issues);
      return follow(deploys, deploys.azureDeploy(input.engine, parsed.data), input);
    },
  };
}

/** The deploy clients the pipeline's deploy stage calls, by platform. */
export function pipelineDeployers(deploys: Deploys): Map<Platform, Deployer> {
  return new Map([
    ['heroku', herokuDeployer(deploys)],
    ['azure', azureDeployer(deploys)],
  ]);
}

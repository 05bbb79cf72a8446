/** The deploy procedures and streams, wired to core/deploy. */
import { resolve } from 'node:path';
import { deployEnded } from '../../contract';
import { checkHerokuYml, endpointsView } from '../../core/deploy';
import type { Handlers, StreamHandlers } from '../handler-types';
import { engineNow, type Services } from '../services';
import { followModel } from './follow-model';

type DeployHandlers = Pick<
  Handlers,
  | 'deploy.endpoints'
  | 'deploy.cancel'
  | 'heroku.signIn'
  | 'heroku.status'
  | 'heroku.signOut'
  | 'heroku.apps'
  | 'heroku.createApp'
  | 'heroku.checkYml'
  | 'heroku.deploy'
  | 'azure.signIn'
  | 'azure.status'
  | 'azure.signOut'
  | 'azure.subscriptions'
  | 'azure.resources'
  | 'azure.deploy'
>;

const ok = { ok: true } as const;

export function deployHandlers(
  { engine, deploys, parityPasses }: Services,
  options: { projectDir: string },
): DeployHandlers {
  return {
    'deploy.endpoints': async () => endpointsView(deploys.endpoints()),
    'deploy.cancel': async ({ deployId }) => {
      deploys.jobs.cancel(deployId);
      return ok;
    },

    'heroku.signIn': ({ apiKey, remember }) => deploys.herokuSignIn(apiKey, remember),
    'heroku.status': () => deploys.heroku.status(),
    'heroku.signOut': async () => {
      await deploys.heroku.signOut();
      return ok;
    },
    'heroku.apps': async () => (await deploys.herokuApi()).apps(),
    'heroku.createApp': async ({ name }) => (await deploys.herokuApi()).createApp(name),
    'heroku.checkYml': ({ contextDir }) => checkHerokuYml(resolve(options.projectDir, contextDir)),
    'heroku.deploy': async (request) => {
      const handle = engineNow(engine);
      await parityPasses.require(handle, request.source, 'heroku', request.overrideParity);
      return { deployId: await deploys.herokuDeploy(handle, request) };
    },

    'azure.signIn': async ({ cloud, method }) => ({ signInId: deploys.azureSignIn(cloud, method) }),
    'azure.status': () => deploys.azureStatus(),
    'azure.signOut': async () => {
      deploys.azure.signOut();
      return ok;
    },
    'azure.subscriptions': () => deploys.arm().subscriptions(),
    'azure.resources': async ({ subscriptionId }) => {
      const arm = deploys.arm();
      const [groups, plans, sites] = await Promise.all([
        arm.resourceGroups(subscriptionId),
        arm.linuxPlans(subscriptionId),
        arm.sites(subscriptionId),
      ]);
      return { groups, plans, sites };
    },
    'azure.deploy': async (request) => {
      const handle = engineNow(engine);
      await parityPasses.require(handle, request.localImage ?? request.image, 'azure', request.overrideParity);
      return { deployId: deploys.azureDeploy(handle, request) };
    },
  };
}

export function deployStreamHandlers({ deploys }: Services): Pick<StreamHandlers, 'azureSignIn' | 'deploy'> {
  return {
    azureSignIn: ({ signInId }, emit, signal) =>
      followModel(
        (listener) => deploys.signIns.subscribe(signInId, listener),
        (m) => m.state === 'signed-in' || m.state === 'failed',
        emit,
        signal,
      ),
    deploy: ({ deployId }, emit, signal) =>
      followModel((listener) => deploys.jobs.subscribe(deployId, listener), deployEnded, emit, signal),
  };
}

/**
 * A container deploy to Azure App Service over ARM (no Azure CLI):
 *   resource group → Linux plan → the port the image listens on → the web app with linuxFxVersion
 *   `DOCKER|image:tag` → app settings (WEBSITES_PORT, plus DOCKER_REGISTRY_SERVER_* for a private registry,
 *   merged into the existing ones because writing them replaces all) → restart → the URL, then the container
 *   log stream (Kudu's /api/logstream on the app's SCM host) for a while.
 * Whatever is missing is created; whatever exists is reused.
 */
import { type AzureDeployRequest, BerthError, DOCKER_HUB, parseImageReference } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { AzureArm } from './azure-arm';
import { DeployJob, followLines } from './deploy-job';
import { isSafeUrl } from './endpoints';
import { imageListeningPort } from './image-port';

/** How long the container log is followed after the restart. */
export const LOG_TAIL_MS = 3 * 60_000;

export const AZURE_STEPS = [
  'Resource group',
  'Linux plan',
  'Image port',
  'Web app',
  'App settings',
  'Restart',
] as const;

export interface AzureDeploySetup {
  engine: EngineHandle;
  request: Omit<AzureDeployRequest, 'overrideParity'>;
  armUrl: string;
  token: () => Promise<string>;
  logTailMs?: number;
}

/** What linuxFxVersion names: `user/app:tag` on Docker Hub (no docker.io/), `host/app:tag` elsewhere. */
export function linuxFxVersion(image: string): string {
  const ref = parseImageReference(image);
  if (!ref || ref.digest) {
    throw new BerthError('INVALID_INPUT', `"${image}" cannot be given to App Service.`, 'Use [registry/]name:tag.', {
      image: ['use [registry/]name:tag'],
    });
  }
  const name = ref.registry === DOCKER_HUB ? ref.path.replace(/^library\//, '') : `${ref.domain}/${ref.remoteName}`;
  return `DOCKER|${name}:${ref.tag ?? 'latest'}`;
}

export function startAzureDeploy(setup: AzureDeploySetup): DeployJob {
  const { request } = setup;
  const job = new DeployJob(
    'azure',
    `${request.site} ← ${request.image}`,
    [...AZURE_STEPS],
    [...(request.registry ? [request.registry.password] : [])],
  );
  void runAzureDeploy(job, setup).catch((error: unknown) => job.fail(error));
  return job;
}

async function runAzureDeploy(job: DeployJob, setup: AzureDeploySetup): Promise<void> {
  const { engine, request } = setup;
  const { subscriptionId: sub, resourceGroup: group, location, plan, site } = request;
  const fx = linuxFxVersion(request.image);
  let tokenSeen: string | null = null;
  const token = async () => {
    tokenSeen = await setup.token();
    return tokenSeen;
  };
  const arm = new AzureArm(setup.armUrl, token, job.signal);

  await job.run(
    'Resource group',
    async () => {
      if (await arm.resourceGroup(sub, group)) return 'exists';
      await arm.createResourceGroup(sub, group, location);
      return `created in ${location}`;
    },
    (d) => d,
  );

  const planId = await job.run(
    'Linux plan',
    async () => {
      const found = await arm.plan(sub, group, plan);
      if (found && !found.linux) {
        throw new BerthError(
          'DEPLOY_FAILED',
          `The plan "${plan}" is a Windows plan; a container needs a Linux plan.`,
          'Choose a Linux plan, or a new plan name for Berth to create.',
          { plan: ['not a Linux plan'] },
        );
      }
      return found ? found.id : (await arm.createLinuxPlan(sub, group, plan, location)).id;
    },
    () => plan,
  );

  const port = await job.run(
    'Image port',
    async () => {
      if (request.port !== undefined) return { port: request.port, from: 'chosen by hand' };
      const local = request.localImage ?? request.image;
      const info = (await engine.docker
        .getImage(local)
        .inspect()
        .catch(() => null)) as { Config?: { Env?: string[]; ExposedPorts?: Record<string, unknown> } } | null;
      if (!info) {
        throw new BerthError(
          'NOT_FOUND',
          `The image "${local}" is not on this engine, so Berth cannot read which port it listens on.`,
          'Choose the local image you pushed, or give the port by hand.',
          { localImage: ['not on this engine'] },
        );
      }
      return imageListeningPort(info.Config ?? {});
    },
    (p) => `WEBSITES_PORT=${p.port} (${p.from})`,
  );

  await job.run(
    'Web app',
    async () => {
      const found = await arm.site(sub, group, site);
      if (found) await arm.setContainer(sub, group, site, fx);
      else await arm.createContainerSite(sub, group, site, { location, serverFarmId: planId, linuxFxVersion: fx });
      return found !== null;
    },
    (reused) => `${reused ? 'updated' : 'created'}: ${fx}`,
  );

  await job.run(
    'App settings',
    async () => {
      const settings = await arm.appSettings(sub, group, site);
      settings.WEBSITES_PORT = String(port.port);
      if (request.registry) {
        settings.DOCKER_REGISTRY_SERVER_URL = request.registry.url;
        settings.DOCKER_REGISTRY_SERVER_USERNAME = request.registry.username;
        settings.DOCKER_REGISTRY_SERVER_PASSWORD = request.registry.password;
      }
      await arm.replaceAppSettings(sub, group, site, settings);
      return Object.keys(settings).length;
    },
    (n) => `${n} settings kept, WEBSITES_PORT=${port.port}${request.registry ? ', registry credentials' : ''}`,
  );

  await job.run('Restart', () => arm.restart(sub, group, site));

  const info = await arm.site(sub, group, site);
  const host = info?.defaultHostName ?? null;
  const url = host ? `https://${host}` : null;
  const scmHost = info?.scmHostName ?? null;
  // A stub ARM on loopback http serves its SCM host over http too; everywhere else Kudu is https.
  const scheme = new URL(setup.armUrl).protocol;
  const logUrl = scmHost ? `${scheme}//${scmHost}/api/logstream` : null;
  if (!logUrl || !isSafeUrl(logUrl)) {
    job.succeed(url);
    return;
  }
  job.succeed(url, true);
  await followLines(
    logUrl,
    { Authorization: `Bearer ${tokenSeen ?? (await token())}` },
    (lines) => job.print(lines.filter((l) => l.trim() !== '')),
    job.signal,
    setup.logTailMs ?? LOG_TAIL_MS,
  );
  job.endTail();
}

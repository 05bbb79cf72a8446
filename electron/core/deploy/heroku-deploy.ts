/**
 * A container deploy to Heroku, as its documentation describes it (no Heroku CLI):
 *   app → container stack when needed → image is linux/amd64 → push registry.heroku.com/<app>/web (user `_`,
 *   password the API key) → the pushed manifest's config digest → formation PATCH with the docker-releases
 *   Accept header → poll the new release, streaming its output → the app URL.
 */
import { BerthError, type HerokuDeployRequest } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { startPush } from '../registry/push';
import { DeployJob, followLines } from './deploy-job';
import { isSafeUrl } from './endpoints';
import { HerokuApi, type HerokuRelease } from './heroku-api';
import { pushedConfigDigest } from './pushed-manifest';

/** How often the release is polled while it is pending. */
export const RELEASE_POLL_MS = 1000;
/** How long a release (including its release phase) may stay pending before Berth stops waiting. */
export const RELEASE_DEADLINE_MS = 15 * 60_000;

export const HEROKU_STEPS = [
  'Check the app',
  'Set the container stack',
  'Check the image',
  'Push the image',
  'Read the image id',
  'Release',
  'Wait for the release',
] as const;

export interface HerokuDeploySetup {
  engine: EngineHandle;
  request: Omit<HerokuDeployRequest, 'overrideParity'>;
  apiUrl: string;
  registry: string;
  apiKey: string;
  /** How often a pending release is polled (RELEASE_POLL_MS by default). */
  releasePollMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export function startHerokuDeploy(setup: HerokuDeploySetup): DeployJob {
  const { request, registry, apiKey } = setup;
  const target = `${registry}/${request.app}/web`;
  const job = new DeployJob('heroku', target, [...HEROKU_STEPS], [apiKey]);
  void runHerokuDeploy(job, setup).catch((error: unknown) => job.fail(error));
  return job;
}

async function runHerokuDeploy(job: DeployJob, setup: HerokuDeploySetup): Promise<void> {
  const { engine, request, apiUrl, registry, apiKey } = setup;
  const { app, source } = request;
  const heroku = new HerokuApi(apiUrl, apiKey, job.signal);
  const target = `${registry}/${app}/web:latest`;

  let found = await job.run(
    'Check the app',
    () => heroku.app(app),
    (a) => `stack ${a.stack}`,
  );
  if (found.stack === 'container' || found.buildStack === 'container') {
    job.step('Set the container stack', 'skipped', 'already on the container stack');
  } else {
    found = await job.run(
      'Set the container stack',
      () => heroku.setContainerStack(app),
      (a) => `build stack ${a.buildStack}`,
    );
  }

  await job.run(
    'Check the image',
    async () => {
      const info = (await engine.docker
        .getImage(source)
        .inspect()
        .catch((error: unknown) => {
          throw toBerthError(error, engine.endpoint, `image "${source}"`);
        })) as { Os?: string; Architecture?: string };
      if (info.Os !== 'linux' || info.Architecture !== 'amd64') {
        throw new BerthError(
          'DEPLOY_FAILED',
          `"${source}" is ${info.Os}/${info.Architecture}; Heroku runs only linux/amd64 images.`,
          'Build for linux/amd64 (docker build --platform linux/amd64), then deploy again.',
        );
      }
      return `${info.Os}/${info.Architecture}`;
    },
    (platform) => platform,
  );

  const pushed = await job.run(
    'Push the image',
    async () => {
      const push = startPush({
        engine,
        // Heroku names the repository after the app, not the user `_`: the namespace check does not apply.
        request: { source, target, allowOtherNamespace: true },
        credentials: { registry, username: '_', password: apiKey },
      });
      const model = await push.done;
      if (model.state !== 'succeeded' || model.digest === null) {
        throw model.failure
          ? BerthError.fromShape(model.failure)
          : new BerthError('PUSH_FAILED', 'The push ended without a digest.', 'Push again.');
      }
      return model.digest;
    },
    (digest) => `${target} ${digest}`,
  );

  const imageId = await job.run(
    'Read the image id',
    () =>
      pushedConfigDigest({
        registry,
        repository: `${app}/web`,
        digest: pushed,
        username: '_',
        password: apiKey,
      }),
    (id) => id,
  );

  const before = await job.run(
    'Release',
    async () => {
      const previous = await heroku.latestRelease(app);
      await heroku.releaseImage(app, imageId);
      return previous?.version ?? 0;
    },
    () => `formation web → ${imageId.slice(0, 19)}`,
  );

  await job.run(
    'Wait for the release',
    async () => {
      const release = await waitForRelease(job, heroku, app, before, setup.releasePollMs ?? RELEASE_POLL_MS);
      if (release.status !== 'succeeded') {
        throw new BerthError(
          'DEPLOY_FAILED',
          `Heroku release v${release.version} failed${release.description ? `: ${release.description}` : ''}.`,
          'Read the release output above (the release phase or the image start failed), fix it, and deploy again.',
        );
      }
      return release;
    },
    (r) => `v${r.version} ${r.status}`,
  );
  job.succeed(found.webUrl);
}

/** Polls until the release after version `before` has ended, streaming its output once it has a URL. */
async function waitForRelease(
  job: DeployJob,
  heroku: HerokuApi,
  app: string,
  before: number,
  pollMs: number,
): Promise<HerokuRelease> {
  const deadline = Date.now() + RELEASE_DEADLINE_MS;
  let streaming: Promise<void> | null = null;
  let release: HerokuRelease | null = null;
  for (;;) {
    if (job.signal.aborted) throw new BerthError('CANCELLED', 'The deploy was cancelled.');
    release = release ? await heroku.release(app, release.id) : await heroku.latestRelease(app);
    if (release && release.version <= before) release = null;
    if (release?.outputStreamUrl && !streaming && isSafeUrl(release.outputStreamUrl)) {
      streaming = followLines(
        release.outputStreamUrl,
        {},
        (lines) => job.print(lines),
        job.signal,
        Math.max(0, deadline - Date.now()),
      );
    }
    if (release && release.status !== 'pending') {
      await streaming;
      return release;
    }
    if (Date.now() > deadline) {
      throw new BerthError(
        'DEPLOY_FAILED',
        `The Heroku release was still pending after ${RELEASE_DEADLINE_MS / 60_000} minutes.`,
        'Look at the app with `heroku releases`; deploy again once it has ended.',
      );
    }
    await sleep(pollMs, job.signal);
  }
}

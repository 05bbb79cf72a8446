/** The five stages of the ship pipeline: build, parity run, tag, push, deploy. */
import { BerthError, normalizeRegistry, type ParityResult, type Platform, parseImageReference } from '../../contract';
import { startBuild } from '../build';
import { toBerthError } from '../errors';
import { startPush } from '../registry';
import { cacheFigures } from './cache-figures';
import { appNameOf, runParity } from './parity-run';
import type { Stage, StageContext } from './stage';

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** The platforms a request runs parity for: those asked for, plus the deploy's own (a deploy is never unchecked). */
export function parityPlatforms(request: StageContext['request']): Platform[] {
  const wanted = new Set(request.parity);
  if (request.deploy) wanted.add(request.deploy.platform);
  return [...wanted];
}

/** The app name the platform variables carry: the deploy's app, else the name of the build's first tag. */
function appNameFor(request: StageContext['request']): string | undefined {
  if (request.deploy) return request.deploy.app;
  const tag = request.build.tags[0];
  return tag ? appNameOf(tag) : undefined;
}

function needImage(context: StageContext): string {
  const { imageId } = context.outputs;
  if (!imageId)
    throw new BerthError(
      'INTERNAL',
      'No image to work with: the build stage left none.',
      'Run the pipeline from the build.',
    );
  return imageId;
}

export const buildStage: Stage = {
  name: 'build',
  applies: () => true,
  async run({ engine, request, signal, report, recordsDir }) {
    const build = startBuild(engine, request.build, { signal, ...(recordsDir && { recordsDir }) });
    report('building');
    const stop = build.onChange((m) => {
      const done = m.steps.filter((s) => s.state === 'done' || s.state === 'cached').length;
      report(`step ${done}/${m.steps.length}`);
    });
    const model = await build.done.finally(stop);
    if (model.state !== 'succeeded' || !model.imageId) {
      if (model.state === 'cancelled') throw new BerthError('CANCELLED', 'The build was cancelled.');
      throw new BerthError(
        model.failure?.code ?? 'BUILD_FAILED',
        model.failure?.message ?? 'The build ended without an image.',
        model.failure?.fix ?? 'Open the build to see the failing step, fix it, then resume from the build.',
      );
    }
    const { cachedSteps, totalSteps } = cacheFigures(model);
    return {
      outputs: { buildId: model.buildId, imageId: model.imageId },
      detail: `image ${short(model.imageId)} (${cachedSteps}/${totalSteps} steps cached)`,
    };
  },
};

export const parityStage: Stage = {
  name: 'parity',
  applies: (request) => parityPlatforms(request).length > 0,
  async run(context) {
    const image = needImage(context);
    const results: ParityResult[] = [];
    for (const platform of parityPlatforms(context.request)) {
      context.report(`running as ${platform}`);
      const appName = appNameFor(context.request);
      const request = { image, platform, ...(appName && { appName }) };
      results.push(await runParity(context.engine, request, { signal: context.signal }));
    }
    const failed = results.filter((r) => !r.passed);
    const outputs = { parity: results };
    if (failed.length > 0) throw new ParityFailed(failed, outputs);
    return { outputs, detail: `passed as ${results.map((r) => r.platform).join(' and ')}` };
  },
};

/** A parity stage that failed still hands on its results, so the UI shows what is wrong and a deploy can be overridden. */
export class ParityFailed extends BerthError {
  constructor(
    readonly failed: ParityResult[],
    readonly outputs: { parity: ParityResult[] },
  ) {
    const first = failed[0]!;
    super('PARITY_FAILED', `Run as ${first.platform}: ${first.problem}`, first.fix ?? undefined);
  }
}

export const tagStage: Stage = {
  name: 'tag',
  applies: (request) => request.target !== undefined,
  async run(context) {
    const image = needImage(context);
    const target = context.request.target!;
    const reference = parseImageReference(target);
    if (!reference || reference.digest) {
      throw new BerthError('INVALID_INPUT', `"${target}" is not a tag to push.`, 'Use [host[:port]/]name:tag.', {
        target: ['use [host[:port]/]name:tag'],
      });
    }
    await context.engine.docker
      .getImage(image)
      .tag({ repo: reference.repository, tag: reference.tag ?? 'latest' })
      .catch((error: unknown) => {
        throw toBerthError(error, context.engine.endpoint, `image ${short(image)}`);
      });
    return { outputs: { tagged: target }, detail: `tagged ${target}` };
  },
};

export const pushStage: Stage = {
  name: 'push',
  applies: (request) => request.target !== undefined,
  async run({ engine, request, outputs, credentials, report }) {
    const target = outputs.tagged ?? request.target!;
    const push = startPush({
      engine,
      request: { source: target, target },
      ...(request.credentials && { credentials: request.credentials }),
      ...(credentials && { store: credentials }),
    });
    const stop = push.onChange((m) => {
      const done = m.layers.filter((l) => l.status === 'pushed' || l.status === 'exists').length;
      report(`${m.state}: ${done}/${m.layers.length} layers`);
    });
    const model = await push.done.finally(stop);
    if (model.state !== 'succeeded' || !model.digest) {
      const failure = model.failure ?? { code: 'PUSH_FAILED' as const, message: 'The push ended without a digest.' };
      throw BerthError.fromShape(failure);
    }
    return { outputs: { pushId: model.pushId, digest: model.digest }, detail: `${target} ${model.digest}` };
  },
};

export const deployStage: Stage = {
  name: 'deploy',
  applies: (request) => request.deploy !== undefined,
  async run({ engine, request, outputs, signal, report, deployers, credentials, started }) {
    const deploy = request.deploy!;
    const parity = outputs.parity.find((r) => r.platform === deploy.platform);
    if (!parity?.passed && !deploy.overrideParity) {
      throw new BerthError(
        'PARITY_FAILED',
        parity
          ? `The deploy to ${deploy.platform} waits for its parity run, which failed: ${parity.problem}`
          : `The deploy to ${deploy.platform} waits for its parity run, which has not run.`,
        'Fix the app and resume from the build, or deploy anyway by overriding the parity check on purpose.',
      );
    }
    const deployer = deployers.get(deploy.platform);
    if (!deployer) {
      throw new BerthError(
        'UNSUPPORTED',
        `This Berth has no ${deploy.platform} deploy client.`,
        "Push the image, then deploy it with the platform's own tools.",
      );
    }
    const pushed = outputs.tagged && outputs.digest ? { image: outputs.tagged, digest: outputs.digest } : null;
    if (deployer.needsPush && !pushed) {
      throw new BerthError('INVALID_INPUT', 'A deploy needs a pushed image.', 'Give the pipeline a push target.', {
        target: ['a deploy needs a push target'],
      });
    }
    const localImage = outputs.tagged ?? request.build.tags[0];
    if (!localImage) {
      throw new BerthError(
        'INVALID_INPUT',
        'A deploy needs the image by a tag, and the build had none.',
        'Give the build an image tag, or the pipeline a push target.',
        { 'build.tags': ['a deploy needs a tag'] },
      );
    }
    const given = request.credentials;
    const { url } = await deployer.deploy({
      engine,
      target: deploy,
      localImage,
      pushed,
      loginFor: async (registry) =>
        given && normalizeRegistry(given.registry) === normalizeRegistry(registry)
          ? given
          : credentials?.load(registry),
      signal,
      report,
      started: started ?? (() => {}),
    });
    return { outputs: { deployUrl: url }, detail: url ?? `deployed to ${deploy.app}` };
  },
};

export const STAGES: readonly Stage[] = [buildStage, parityStage, tagStage, pushStage, deployStage];

/**
 * The one ship pipeline, build → parity run → tag → push → deploy, through the validating router as the UI
 * drives it, on the real engine, with Berth pointed at the deploy stubs by the same BERTH_* settings a user
 * would set: Heroku's Platform API stub with a REAL docker-registry standing in for registry.heroku.com,
 * and stubs of Entra ID and ARM for App Service. The push target is another real registry with htpasswd.
 * - Heroku: a failed release fails the deploy stage; the resume starts at the deploy, keeping the build,
 *   parity run, tag and push, and the release names the config digest the engine pushed;
 * - Azure: App Service gets the pushed image and, for a private registry, the pipeline's push login;
 * - then everything Berth said or wrote (console, answers, stream events, the data folder with its
 *   encrypted secret store, new /tmp files) is searched for the API key, the Azure token and the password.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ArmStub, AuthorityStub, testCertificate } from '../../test/deploy-stubs/azure-stub';
import { type HerokuStub, startHerokuStandIn } from '../../test/deploy-stubs/heroku-stub';
import { docker, EngineLitter, testLabels, uniqueName } from '../../test/engine-harness';
import { registryManifestDigest, startTestRegistry, type TestRegistry } from '../../test/registry-harness';
import { captureConsole, encryptedSecretStore, findLeaks } from '../../test/secrets-sweep';
import type { AzureSignInModel, DeployModel, PipelineModel, PipelineSummary } from '../contract';
import { AZURE_CLOUDS } from '../core/deploy';
import { Engine } from '../core/engine';
import { type Backend, createBackend } from './backend';
import { followStream } from './test/follow-stream';

/** Generous: a small node image build, two parity runs and two pushes of a few MiB take well under a minute. */
const PIPELINE_DEADLINE_MS = 240_000;
/**
 * How often the deploy polls a pending Heroku release. The stub keeps each release pending for two looks
 * whatever the interval, so the default 1 s only made every deploy wait about 3 s.
 */
const RELEASE_POLL_MS = 100;
const SUBSCRIPTION = randomUUID();

const started = Date.now();
const litter = new EngineLitter();
const said: string[] = [];
let apiKey: string;
let heroku: HerokuStub;
let herokuRegistry: TestRegistry;
let standIn: Awaited<ReturnType<typeof startHerokuStandIn>>;
let authority: AuthorityStub;
let arm: ArmStub;
let registry: TestRegistry;
let backend: Backend;
let dataDir = '';
let appDir = '';
const app = `berth-${randomBytes(4).toString('hex')}`;
const tag = litter.image(`${uniqueName('ship-deploy')}:1.0`);

beforeAll(async () => {
  captureConsole(said);
  standIn = await startHerokuStandIn(app);
  ({ apiKey, heroku, registry: herokuRegistry } = standIn);
  const tls = await testCertificate();
  authority = await new AuthorityStub({ tls, scope: AZURE_CLOUDS.public.armScope }).start();
  arm = await new ArmStub({ token: authority.token, subscriptionId: SUBSCRIPTION }).start();
  registry = await startTestRegistry({ username: 'berth', password: `pw-${randomBytes(12).toString('hex')}` });
  appDir = mkdtempSync(join(tmpdir(), 'berth-ship-deploy-app-'));
  writeFileSync(
    join(appDir, 'server.js'),
    "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT || 8080));\n",
  );
  writeFileSync(
    join(appDir, 'Dockerfile'),
    'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY server.js /srv/server.js\nCMD ["node", "/srv/server.js"]\n',
  );
  dataDir = mkdtempSync(join(tmpdir(), 'berth-ship-deploy-data-'));
  backend = createBackend({
    dataDir,
    // The desktop app's store: secrets encrypted (here by a stand-in for safeStorage) in the data folder.
    secretStore: encryptedSecretStore(dataDir),
    engine: new Engine({ labels: testLabels() }),
    projectDir: appDir,
    deploy: {
      env: {
        BERTH_HEROKU_API_URL: heroku.server.url,
        BERTH_HEROKU_REGISTRY: herokuRegistry.address,
        BERTH_AZURE_AUTHORITY_HOST: authority.server.url,
        BERTH_AZURE_ARM_URL: arm.server.url,
      },
      azureTlsCa: tls.ca,
      logTailMs: 2_000,
      releasePollMs: RELEASE_POLL_MS,
    },
  });
}, PIPELINE_DEADLINE_MS);

afterAll(async () => {
  vi.restoreAllMocks();
  await backend?.close();
  await litter.cleanup();
  await Promise.all([standIn?.stop(), authority?.stop(), arm?.stop(), registry?.stop()]);
  for (const dir of [dataDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = async <T>(name: string, input: object): Promise<T> => {
  const out = (await backend.router.call(name, input)) as T;
  said.push(JSON.stringify(out));
  return out;
};
const follow = async <T>(stream: string, params: object): Promise<T[]> => {
  const events = await followStream<T>(backend.router, stream, params, PIPELINE_DEADLINE_MS);
  said.push(...events.map((e) => JSON.stringify(e)));
  return events;
};
const runPipeline = async (name: 'pipeline.start' | 'pipeline.resume', input: object) => {
  const { pipelineId } = await call<{ pipelineId: string }>(name, input);
  const final = (await follow<PipelineModel>('pipeline', { pipelineId })).at(-1)!;
  const deploy = final.outputs.deployId
    ? (await follow<DeployModel>('deploy', { deployId: final.outputs.deployId })).at(-1)!
    : null;
  return { final, deploy };
};
const login = () => ({ registry: registry.address, username: 'berth', password: registry.password });

it(
  'Heroku: a failed release fails the deploy stage; the resume starts at the deploy and releases the pushed config digest',
  async () => {
    expect(await call('heroku.signIn', { apiKey, remember: true })).toEqual({ email: 'dev@example.com' });
    const pushTo = litter.image(`${registry.address}/berth/${uniqueName('shipped')}:1.0`);
    const request = {
      build: { contextDir: appDir, buildArgs: { NODE_IMAGE: inject('nodeImage') }, tags: [tag] },
      parity: ['heroku'],
      target: pushTo,
      credentials: login(),
      deploy: { platform: 'heroku', app },
    };

    heroku.releaseOutcome = 'failed';
    const first = await runPipeline('pipeline.start', request).finally(() => {
      heroku.releaseOutcome = 'succeeded';
    });
    expect(first.final.state).toBe('failed');
    expect(first.final.stages.map((s) => [s.name, s.state])).toEqual([
      ['build', 'succeeded'],
      ['parity', 'succeeded'],
      ['tag', 'succeeded'],
      ['push', 'succeeded'],
      ['deploy', 'failed'],
    ]);
    expect(first.final.stages[4]?.failure).toMatchObject({
      code: 'DEPLOY_FAILED',
      message: expect.stringMatching(/release v\d+ failed/),
    });
    // The deploy job the UI follows: its steps, the release output, and no URL.
    expect(first.deploy?.state).toBe('failed');
    expect(first.deploy?.output).toContain('Error: release command exited with status 1');
    expect(first.deploy?.url).toBeNull();

    const second = await runPipeline('pipeline.resume', { pipelineId: first.final.pipelineId, credentials: login() });
    expect(second.final.state).toBe('succeeded');
    expect(second.final.resumedFrom).toBe(first.final.pipelineId);
    expect(second.final.stages.map((s) => s.state)).toEqual(['kept', 'kept', 'kept', 'kept', 'succeeded']);
    expect(second.final.outputs.imageId).toBe(first.final.outputs.imageId);
    expect(second.final.outputs.deployUrl).toBe(`https://${app}-0123456789ab.herokuapp.com/`);
    expect(second.final.stages[4]?.detail).toBe(second.final.outputs.deployUrl);
    expect(second.deploy).toMatchObject({ state: 'succeeded', target: `${herokuRegistry.address}/${app}/web` });
    expect(second.deploy?.output).toContain('Release command finished');

    // The push target holds the built image (docker CLI and the registry as oracles) ...
    const [path, version] = pushTo.slice(registry.address.length + 1).split(':') as [string, string];
    expect(second.final.outputs.digest).toBe(await registryManifestDigest(registry, path, version));
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', pushTo)).toBe(first.final.outputs.imageId);
    // ... and the last release names the config digest of what reached the Heroku registry: the built image.
    const formations = heroku.server.to('PATCH', `/apps/${app}/formation`);
    const last = formations.at(-1)?.json as { updates: { docker_image: string }[] } | undefined;
    const released = last?.updates[0]?.docker_image;
    expect(released).toBe(first.final.outputs.imageId);
    expect(heroku.apps.get(app)?.buildStack).toBe('container');
    expect(heroku.server.violations).toEqual([]);

    // Both runs are in the history, the failed one with the stage it stopped at.
    const history = await call<PipelineSummary[]>('pipeline.history', {});
    const mine = history.filter((h) => [first.final.pipelineId, second.final.pipelineId].includes(h.pipelineId));
    expect(mine.map((h) => [h.state, h.failedStage])).toEqual([
      ['succeeded', null],
      ['failed', 'deploy'],
    ]);
  },
  PIPELINE_DEADLINE_MS,
);

it(
  'Azure: parity run as Azure, push, then App Service pulls the pushed image with the push login',
  async () => {
    const { signInId } = await call<{ signInId: string }>('azure.signIn', { cloud: 'public', method: 'device-code' });
    const signIn = await follow<AzureSignInModel>('azureSignIn', { signInId });
    expect(signIn.at(-1)?.state).toBe('signed-in');

    const pushTo = litter.image(`${registry.address}/berth/${uniqueName('shipped-az')}:1.0`);
    const { final, deploy } = await runPipeline('pipeline.start', {
      build: { contextDir: appDir, buildArgs: { NODE_IMAGE: inject('nodeImage') }, tags: [tag] },
      parity: ['azure'],
      target: pushTo,
      credentials: login(),
      deploy: {
        platform: 'azure',
        app,
        azure: { subscriptionId: SUBSCRIPTION, resourceGroup: 'berth-rg', plan: 'berth-linux', privateRegistry: true },
      },
    });
    expect(final.stages.map((s) => [s.name, s.state])).toEqual([
      ['build', 'succeeded'],
      ['parity', 'succeeded'],
      ['tag', 'succeeded'],
      ['push', 'succeeded'],
      ['deploy', 'succeeded'],
    ]);
    expect(final.outputs.parity[0]).toMatchObject({ platform: 'azure', passed: true, port: 80 });
    expect(final.outputs.deployUrl).toBe(`https://${app}.azurewebsites.net`);
    expect(deploy?.state).toBe('succeeded');
    const site = arm.sites.get(app);
    expect(site?.linuxFxVersion).toBe(`DOCKER|${pushTo}`);
    // The image sets neither ENV PORT nor EXPOSE: App Service's own port 80, which the Azure parity run passed on.
    expect(site?.settings).toEqual({
      WEBSITES_PORT: '80',
      DOCKER_REGISTRY_SERVER_URL: `https://${registry.address}`,
      DOCKER_REGISTRY_SERVER_USERNAME: 'berth',
      DOCKER_REGISTRY_SERVER_PASSWORD: registry.password,
    });
    // The request the run keeps (and the history records) carries none of that login.
    expect(JSON.stringify(final)).not.toContain(registry.password);
    expect(arm.server.violations).toEqual([]);
    expect(authority.server.violations).toEqual([]);
  },
  PIPELINE_DEADLINE_MS,
);

it('after the whole ship with deploys, no secret is in logs, answers, events, the data folder or new /tmp files', async () => {
  const secrets = [apiKey, authority.token, registry.password, Buffer.from(`_:${apiKey}`).toString('base64')];
  const { leaks, scanned } = await findLeaks(secrets, said, [dataDir, tmpdir()], started);
  expect(leaks).toEqual([]);
  // The search read the pipeline history and the encrypted secret store, where the Heroku key is remembered.
  expect((await readdir(join(dataDir, 'pipelines'))).length).toBeGreaterThanOrEqual(3);
  expect(scanned).toBeGreaterThan(3);
  // The secrets were really in play: the stubs saw them, so the search was looking for the right text.
  expect(heroku.server.requests.some((r) => r.headers.authorization === `Bearer ${apiKey}`)).toBe(true);
  expect(arm.server.requests.some((r) => r.headers.authorization === `Bearer ${authority.token}`)).toBe(true);
});

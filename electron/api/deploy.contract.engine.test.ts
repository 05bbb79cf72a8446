/**
 * The whole ship, through the validating router as the UI drives it, against stubs of Heroku's Platform
 * API and of Azure (sign-in authority, ARM, Kudu) written from their documentation, and a REAL registry
 * (docker-registry with htpasswd: user `_`, password the API key) standing in for registry.heroku.com:
 * the image really is pushed by the engine, and the release names that push's config digest, which the
 * Heroku stub checks against the registry. Then a failed release, an App Service deploy whose
 * WEBSITES_PORT comes from the real image's config, and a search for the secrets in everything Berth wrote.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArmStub, AuthorityStub, testCertificate } from '../../test/deploy-stubs/azure-stub';
import { type HerokuStub, startHerokuStandIn } from '../../test/deploy-stubs/heroku-stub';
import { docker, EngineLitter, uniqueName } from '../../test/engine-harness';
import {
  buildPushableImage,
  PUSH_TEST_LABEL,
  removeLabelledImages,
  type TestRegistry,
} from '../../test/registry-harness';
import { captureConsole } from '../../test/secrets-sweep';
import type { AzureSignInModel, DeployModel } from '../contract';
import { AZURE_CLOUDS } from '../core/deploy';
import { MemorySecretStore } from '../core/registry';
import { type Backend, createBackend } from './backend';
import { followStream } from './test/follow-stream';

/** Generous: a sub-MiB push to a local registry and a handful of stub calls take seconds. */
const DEPLOY_DEADLINE_MS = 90_000;
const SUBSCRIPTION = randomUUID();

const started = Date.now();
const litter = new EngineLitter();
const logged: string[] = [];
/** Every deploy and sign-in model the streams carried, for the secrets search. */
const models: unknown[] = [];
let apiKey: string;
let registry: TestRegistry;
let heroku: HerokuStub;
let standIn: Awaited<ReturnType<typeof startHerokuStandIn>>;
let authority: AuthorityStub;
let arm: ArmStub;
let backend: Backend;
let dataDir: string;
let source: string;
let portImage: string;
const app = `berth-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  captureConsole(logged);
  standIn = await startHerokuStandIn(app);
  ({ apiKey, registry, heroku } = standIn);
  const tls = await testCertificate();
  authority = await new AuthorityStub({ tls, scope: AZURE_CLOUDS.public.armScope }).start();
  arm = await new ArmStub({ token: authority.token, subscriptionId: SUBSCRIPTION }).start();
  source = await buildPushableImage(litter.image(`${uniqueName('heroku-src')}:1.0`));
  // An image that says where it listens the tutorial's way: ENV PORT and EXPOSE.
  portImage = litter.image(`${uniqueName('azure-src')}:1.0`);
  const context = mkdtempSync(join(tmpdir(), 'berth-deploy-ctx-'));
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM scratch\nENV PORT=5000\nEXPOSE $PORT\nCOPY Dockerfile /Dockerfile\n',
    );
    await docker('build', '-q', '--label', PUSH_TEST_LABEL, '-t', portImage, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'berth-deploy-data-'));
  backend = createBackend({
    dataDir,
    secretStore: new MemorySecretStore(),
    deploy: {
      env: {
        BERTH_HEROKU_API_URL: heroku.server.url,
        BERTH_HEROKU_REGISTRY: registry.address,
        BERTH_AZURE_AUTHORITY_HOST: authority.server.url,
        BERTH_AZURE_ARM_URL: arm.server.url,
      },
      azureTlsCa: tls.ca,
      logTailMs: 5_000,
    },
  });
}, DEPLOY_DEADLINE_MS);

afterAll(async () => {
  vi.restoreAllMocks();
  await backend?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await litter.cleanup();
  await removeLabelledImages();
  await Promise.all([standIn?.stop(), authority?.stop(), arm?.stop()]);
});

const deploy = async (name: 'heroku.deploy' | 'azure.deploy', input: object): Promise<DeployModel[]> => {
  const { deployId } = (await backend.router.call(name, input)) as { deployId: string };
  const events = await followStream<DeployModel>(backend.router, 'deploy', { deployId }, DEPLOY_DEADLINE_MS);
  models.push(...events);
  return events;
};

const manifest = async (repository: string): Promise<{ digest: string; config: string }> => {
  const res = await fetch(`http://${registry.address}/v2/${repository}/manifests/latest`, {
    headers: {
      authorization: `Basic ${Buffer.from(`_:${apiKey}`).toString('base64')}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  const body = (await res.json()) as { config: { digest: string } };
  return { digest: res.headers.get('docker-content-digest') ?? '', config: body.config.digest };
};

it(
  'Heroku: sets the container stack, pushes to the registry, releases the config digest, streams the release, shows the URL',
  async () => {
    expect(await backend.router.call('deploy.endpoints', {})).toMatchObject({
      heroku: { apiUrl: heroku.server.url, registry: registry.address },
      problems: [],
    });
    expect(await backend.router.call('heroku.signIn', { apiKey, remember: false })).toEqual({
      email: 'dev@example.com',
    });
    // The image is FROM scratch and serves nothing, so it cannot pass "Run as Heroku": without the override
    // on purpose the deploy is refused before anything reaches Heroku.
    const refused = await backend.router.call('heroku.deploy', { source, app }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'PARITY_FAILED', message: expect.stringContaining('Run as Heroku') });
    expect(heroku.server.to('PATCH', `/apps/${app}`)).toEqual([]);
    const events = await deploy('heroku.deploy', { source, app, overrideParity: true });
    const final = events.at(-1);
    expect(final?.failure).toBeNull();
    expect(final?.state).toBe('succeeded');
    expect(final?.url).toBe(`https://${app}-0123456789ab.herokuapp.com/`);
    expect(final?.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done']);
    expect(heroku.apps.get(app)?.buildStack).toBe('container');

    // The image really is in the registry, and the release names its CONFIG digest, not the manifest's.
    const pushed = await manifest(`${app}/web`);
    const formation = heroku.server.to('PATCH', `/apps/${app}/formation`)[0]?.json as {
      updates: { docker_image: string }[];
    };
    expect(formation.updates).toEqual([{ type: 'web', docker_image: pushed.config }]);
    expect(pushed.config).not.toBe(pushed.digest);
    expect(pushed.config).toBe(JSON.parse(await docker('image', 'inspect', '--format', '{{json .Id}}', source)));
    expect(final?.output).toContain('Release command finished');
    expect(heroku.server.violations).toEqual([]);
  },
  DEPLOY_DEADLINE_MS,
);

it(
  'Heroku: a failed release fails the deploy with its output and a fix',
  async () => {
    heroku.releaseOutcome = 'failed';
    try {
      const final = (await deploy('heroku.deploy', { source, app, overrideParity: true })).at(-1);
      expect(final?.state).toBe('failed');
      expect(final?.failure).toMatchObject({
        code: 'DEPLOY_FAILED',
        message: expect.stringMatching(/release v2 failed/),
      });
      expect(final?.failure?.fix).toMatch(/release output/);
      expect(final?.output).toContain('Error: release command exited with status 1');
      expect(final?.steps.at(-1)?.state).toBe('failed');
      expect(final?.url).toBeNull();
      expect(heroku.server.violations).toEqual([]);
    } finally {
      heroku.releaseOutcome = 'succeeded';
    }
  },
  DEPLOY_DEADLINE_MS,
);

it(
  'Azure: device code sign-in, then WEBSITES_PORT from the real image (ENV PORT), restart, URL and the log',
  async () => {
    const { signInId } = (await backend.router.call('azure.signIn', { cloud: 'public', method: 'device-code' })) as {
      signInId: string;
    };
    const signIn = await followStream<AzureSignInModel>(
      backend.router,
      'azureSignIn',
      { signInId },
      DEPLOY_DEADLINE_MS,
    );
    models.push(...signIn);
    expect(signIn.some((m) => m.userCode === authority.userCode)).toBe(true);
    expect(signIn.at(-1)?.state).toBe('signed-in');

    const final = (
      await deploy('azure.deploy', {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'berth-rg',
        location: 'westeurope',
        plan: 'berth-linux',
        site: app,
        image: `berthuser/${app}:1.0`,
        localImage: portImage,
        overrideParity: true,
      })
    ).at(-1);
    expect(final?.failure).toBeNull();
    expect(final?.state).toBe('succeeded');
    expect(final?.steps.find((s) => s.name === 'Image port')?.detail).toBe(
      "WEBSITES_PORT=5000 (the image's ENV PORT=5000)",
    );
    expect(arm.sites.get(app)?.settings).toEqual({ WEBSITES_PORT: '5000' });
    expect(final?.url).toBe(`https://${app}.azurewebsites.net`);
    expect(final?.output.some((l) => l.includes('-e PORT=5000'))).toBe(true);
    expect(arm.server.violations).toEqual([]);
    expect(authority.server.violations).toEqual([]);
  },
  DEPLOY_DEADLINE_MS,
);

it('no secret (API key, Azure token) appears in logs, models, the data folder or new /tmp files', async () => {
  const secrets = [apiKey, authority.token];
  const haystacks: [string, string][] = [
    ...logged.map((line, i): [string, string] => [`console line ${i}`, line]),
    ...models.map((model, i): [string, string] => [`stream event ${i}`, JSON.stringify(model)]),
  ];
  const walk = (dir: string, since: number, depth = 0): void => {
    if (depth > 6) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      try {
        const info = statSync(path);
        if (info.isDirectory()) walk(path, since, depth + 1);
        else if (info.isFile() && info.mtimeMs >= since && info.size < 8 << 20)
          haystacks.push([path, readFileSync(path, 'latin1')]);
      } catch {
        // gone or unreadable: not ours
      }
    }
  };
  walk(dataDir, 0);
  walk(tmpdir(), started);
  expect(haystacks.length).toBeGreaterThan(0);
  for (const [where, text] of haystacks) {
    for (const secret of secrets) expect(text.includes(secret), `a secret in ${where}`).toBe(false);
  }
  // The secrets were really in play: the stubs saw them, so the search above was looking for the right text.
  expect(heroku.server.requests.some((r) => r.headers.authorization === `Bearer ${apiKey}`)).toBe(true);
  expect(arm.server.requests.some((r) => r.headers.authorization === `Bearer ${authority.token}`)).toBe(true);
});

/**
 * Contract tests for Heroku's Platform API calls, against a stub written from Heroku's reference
 * (test/deploy-stubs/heroku-stub.ts) that rejects any request the reference does not describe. The whole
 * deploy, with a real push to a real registry, is in electron/api/deploy.contract.engine.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { HerokuStub } from '../../../test/deploy-stubs/heroku-stub';
import type { DeployModel } from '../../contract';
import { AppSecrets } from '../credentials';
import type { EngineHandle } from '../engine/engine-handle';
import { MemorySecretStore } from '../registry/credentials';
import { Deploys } from './deploys';
import { HEROKU_KEY_SECRET } from './heroku-account';
import { HEROKU_ACCEPT } from './heroku-api';

const DEPLOY_DEADLINE_MS = 20_000;
const NO_ENGINE = new Proxy({} as EngineHandle, {
  get: () => {
    throw new Error('the engine is not part of this test');
  },
});

let stub: HerokuStub;
const apiKey = `HRKU-${randomBytes(16).toString('hex')}`;

beforeEach(async () => {
  stub = await new HerokuStub({
    apiKey,
    apps: [{ name: 'notas-iv', stack: 'container' }],
    taken: ['taken-app'],
  }).start();
});
afterEach(async () => {
  expect(stub.server.violations).toEqual([]);
  await stub.stop();
});

const deploysFor = (secrets = new AppSecrets(new MemorySecretStore())) =>
  new Deploys({ secrets, env: { BERTH_HEROKU_API_URL: stub.server.url, BERTH_HEROKU_REGISTRY: '127.0.0.1:5999' } });

it('signs in with a key Heroku accepts; remembers it in the secret store only when asked', async () => {
  const secrets = new AppSecrets(new MemorySecretStore());
  const deploys = deploysFor(secrets);
  expect(await deploys.herokuSignIn(apiKey, false)).toEqual({ email: 'dev@example.com' });
  expect(await secrets.get(HEROKU_KEY_SECRET)).toBeUndefined();
  expect(await deploys.heroku.status()).toEqual({ signedIn: true, email: 'dev@example.com', remembered: false });
  await deploys.herokuSignIn(apiKey, true);
  expect(await secrets.get(HEROKU_KEY_SECRET)).toBe(apiKey);
  // A new session with the same store is signed in with the remembered key.
  expect((await (await deploysFor(secrets).herokuApi()).apps()).map((a) => a.name)).toEqual(['notas-iv']);
  await deploys.heroku.signOut();
  expect(await secrets.get(HEROKU_KEY_SECRET)).toBeUndefined();
});

it('401: a wrong key is AUTH_FAILED in Heroku words, with a fix, and is not kept', async () => {
  const deploys = deploysFor();
  const error = await deploys.herokuSignIn('wrong-key', true).catch((e: unknown) => e);
  expect(error).toMatchObject({
    code: 'AUTH_FAILED',
    message: 'Heroku refused the API key: Invalid credentials provided. (unauthorized)',
    fix: expect.stringContaining('heroku auth:token'),
  });
  expect(await deploys.heroku.status()).toMatchObject({ signedIn: false });
});

it('creates an app on the container stack; 422 when the name is taken, in Heroku words', async () => {
  const deploys = deploysFor();
  await deploys.herokuSignIn(apiKey, false);
  const api = await deploys.herokuApi();
  expect(await api.createApp('berth-new-app')).toMatchObject({ name: 'berth-new-app', stack: 'container' });
  expect(stub.server.to('POST', '/apps')[0]?.json).toEqual({ name: 'berth-new-app', stack: 'container' });
  const error = await api.createApp('taken-app').catch((e: unknown) => e);
  expect(error).toMatchObject({
    code: 'DEPLOY_FAILED',
    message: 'Heroku refused to create app "taken-app": Name is already taken (invalid_params)',
  });
});

it(
  '404: a deploy to an app that does not exist fails at its first step, in Heroku words',
  async () => {
    const deploys = deploysFor();
    await deploys.herokuSignIn(apiKey, false);
    const id = await deploys.herokuDeploy(NO_ENGINE, { source: 'notas-iv:latest', app: 'no-such-app' });
    const final: DeployModel = await deploys.jobs.done(id);
    expect(final.state).toBe('failed');
    expect(final.failure).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("Couldn't find that app."),
    });
    expect(final.steps[0]).toMatchObject({ name: 'Check the app', state: 'failed' });
    expect(final.steps.slice(1).every((s) => s.state === 'waiting')).toBe(true);
  },
  DEPLOY_DEADLINE_MS,
);

it(
  'the app list shows the stack change: build stack once the deploy set it, stack once a release is out',
  async () => {
    stub.addApp('old-stack', 'heroku-24');
    const deploys = deploysFor();
    await deploys.herokuSignIn(apiKey, false);
    const api = await deploys.herokuApi();
    const listed = async () => (await api.apps()).find((a) => a.name === 'old-stack');
    expect(await listed()).toMatchObject({ stack: 'heroku-24', buildStack: 'heroku-24' });
    // No engine here: the deploy sets the stack, then stops at the image check.
    const id = await deploys.herokuDeploy(NO_ENGINE, { source: 'notas-iv:latest', app: 'old-stack' });
    const final: DeployModel = await deploys.jobs.done(id);
    expect(final.steps.slice(0, 3).map((s) => [s.name, s.state])).toEqual([
      ['Check the app', 'done'],
      ['Set the container stack', 'done'],
      ['Check the image', 'failed'],
    ]);
    expect(stub.server.to('PATCH', '/apps/old-stack').map((r) => r.json)).toEqual([{ build_stack: 'container' }]);
    expect(await listed()).toMatchObject({ stack: 'heroku-24', buildStack: 'container' });
    // A release (the formation update a deploy ends with) that succeeds puts the app on the container stack.
    await api.releaseImage('old-stack', `sha256:${'a'.repeat(64)}`);
    const release = await api.latestRelease('old-stack');
    for (let look = 0; look < 3; look++) await api.release('old-stack', release!.id);
    expect(await listed()).toMatchObject({ stack: 'container', buildStack: 'container' });
  },
  DEPLOY_DEADLINE_MS,
);

it('a deploy without a key is AUTH_FAILED and sends nothing', async () => {
  const error = await deploysFor()
    .herokuDeploy(NO_ENGINE, { source: 'notas-iv:latest', app: 'notas-iv' })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'AUTH_FAILED' });
  expect(stub.server.requests).toEqual([]);
});

it('the stub itself rejects what the reference does not describe (so the tests above can fail)', async () => {
  const call = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${stub.server.url}${path}`, { ...init, headers });
  const auth = { Authorization: `Bearer ${apiKey}` };
  // No version in Accept; the docker-releases Accept missing on the formation update; an unknown endpoint;
  // a body key the API does not take.
  expect((await call('/account', { ...auth, Accept: 'application/json' })).status).toBe(400);
  const formation = {
    method: 'PATCH',
    body: JSON.stringify({ updates: [{ type: 'web', docker_image: `sha256:${'a'.repeat(64)}` }] }),
  };
  expect(
    (
      await call(
        '/apps/notas-iv/formation',
        { ...auth, Accept: HEROKU_ACCEPT, 'Content-Type': 'application/json' },
        formation,
      )
    ).status,
  ).toBe(400);
  expect((await call('/apps/notas-iv/deploy', { ...auth, Accept: HEROKU_ACCEPT })).status).toBe(400);
  const patch = { method: 'PATCH', body: JSON.stringify({ stack: 'container' }) };
  expect(
    (await call('/apps/notas-iv', { ...auth, Accept: HEROKU_ACCEPT, 'Content-Type': 'application/json' }, patch))
      .status,
  ).toBe(400);
  expect(stub.server.violations).toHaveLength(4);
  stub.server.violations.length = 0;
});

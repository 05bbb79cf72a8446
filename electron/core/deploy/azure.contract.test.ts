/**
 * Contract tests for the Azure deploy: Berth's real sign-in (@azure/identity's DeviceCodeCredential) and
 * ARM client against stubs written from Microsoft's documentation (test/deploy-stubs/azure-stub.ts). The
 * stubs reject any request whose method, path, api-version, headers or body the docs do not describe, and
 * every test ends by asserting they saw none. Endpoints reach Berth through the same BERTH_* variables a
 * user would set. No engine: the image port is given by hand here (the engine test reads it from a real
 * image).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArmStub, AuthorityStub, testCertificate } from '../../../test/deploy-stubs/azure-stub';
import type { AzureSignInModel, DeployModel } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { MemorySecretStore } from '../registry/credentials';
import { Deploys } from './deploys';
import { AZURE_CLOUDS } from './endpoints';

/** Generous: the device code flow polls once a second; a stub deploy takes a few requests. */
const FLOW_DEADLINE_MS = 30_000;
const SUBSCRIPTION = randomUUID();
/** The engine is not used when the port is given by hand; any use would throw. */
const NO_ENGINE = new Proxy({} as EngineHandle, {
  get: () => {
    throw new Error('the engine is not part of this test');
  },
});

let tls: Awaited<ReturnType<typeof testCertificate>>;
let authority: AuthorityStub;
let arm: ArmStub;

beforeAll(async () => {
  tls = await testCertificate();
}, FLOW_DEADLINE_MS);

beforeEach(async () => {
  authority = await new AuthorityStub({ tls, scope: AZURE_CLOUDS.public.armScope }).start();
  arm = await new ArmStub({ token: authority.token, subscriptionId: SUBSCRIPTION }).start();
});

afterEach(async () => {
  await authority.stop();
  await arm.stop();
});

function deploysFor(env: Record<string, string> = {}): Deploys {
  return new Deploys({
    secrets: new MemorySecretStore(),
    env: { BERTH_AZURE_AUTHORITY_HOST: authority.server.url, BERTH_AZURE_ARM_URL: arm.server.url, ...env },
    azureTlsCa: tls.ca,
    logTailMs: 5_000,
  });
}

async function signIn(deploys: Deploys): Promise<AzureSignInModel[]> {
  const seen: AzureSignInModel[] = [];
  const id = deploys.azureSignIn('public', 'device-code');
  deploys.signIns.subscribe(id, (m) => seen.push(m));
  await deploys.signIns.done(id);
  return seen;
}

async function finished(deploys: Deploys, deployId: string): Promise<DeployModel> {
  return await Promise.race([
    deploys.jobs.done(deployId),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deploy did not end')), FLOW_DEADLINE_MS)),
  ]);
}

const request = {
  subscriptionId: SUBSCRIPTION,
  resourceGroup: 'berth-rg',
  location: 'westeurope',
  plan: 'berth-linux',
  site: 'notas-iv',
  image: 'berthuser/notas-iv:1.0',
  port: 80,
};

describe('Azure sign-in (device code) against a stub authority', () => {
  it(
    'shows the code and URL from the authority, polls through authorization_pending, then is signed in',
    async () => {
      const deploys = deploysFor();
      const seen = await signIn(deploys);
      const waiting = seen.find((m) => m.state === 'waiting-for-user');
      expect(waiting?.userCode).toBe(authority.userCode);
      expect(waiting?.verificationUri).toBe('https://microsoft.com/devicelogin');
      expect(seen.at(-1)?.state).toBe('signed-in');
      expect(authority.server.to('POST', '/organizations/oauth2/v2.0/token').length).toBeGreaterThanOrEqual(2);
      expect(deploys.azure.status()).toEqual({ signedIn: true, method: 'device-code' });
      expect(await deploys.arm().subscriptions()).toEqual([
        { id: SUBSCRIPTION, name: 'Berth test subscription', location: null },
      ]);
      expect(authority.server.violations).toEqual([]);
      expect(arm.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it(
    'a code that expires fails with the authority words and a fix, and Berth stays signed out',
    async () => {
      await authority.stop();
      authority = await new AuthorityStub({
        tls,
        scope: AZURE_CLOUDS.public.armScope,
        outcome: 'expired_token',
      }).start();
      const deploys = deploysFor();
      const final = (await signIn(deploys)).at(-1);
      expect(final?.state).toBe('failed');
      expect(final?.failure?.code).toBe('AUTH_FAILED');
      expect(final?.failure?.message).toMatch(/expired/i);
      expect(final?.failure?.fix).toBeTruthy();
      expect(deploys.azure.status().signedIn).toBe(false);
      expect(authority.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it('refuses a plain-http authority with a reason, before MSAL does', async () => {
    const deploys = deploysFor({ BERTH_AZURE_AUTHORITY_HOST: `http://${authority.server.host}` });
    const final = (await signIn(deploys)).at(-1);
    expect(final?.failure?.code).toBe('INVALID_INPUT');
    expect(final?.failure?.message).toMatch(/not https/);
    expect(authority.server.requests).toEqual([]);
  });
});

describe('Azure CLI sign-in, through a real `az` executable written for the test', () => {
  let dir: string;
  const path = process.env.PATH;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-test-az-'));
    // What `az account get-access-token` prints (Azure CLI 2.54+), for the one command and resource expected.
    writeFileSync(
      join(dir, 'az'),
      [
        '#!/bin/sh',
        'if [ "$1" = version ]; then echo \'{"azure-cli": "2.99.0"}\'; exit 0; fi',
        'if [ "$*" != "account get-access-token --output json --resource https://management.azure.com" ]; then',
        '  echo "ERROR: unexpected arguments: $*" >&2; exit 2',
        'fi',
        `echo '{"accessToken": "${authority.token}", "expires_on": ${Math.floor(Date.now() / 1000) + 3600}, "tokenType": "Bearer"}'`,
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'az'), 0o755);
    process.env.PATH = `${dir}:${path}`;
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is offered when az is on PATH, and its token reaches ARM', async () => {
    const deploys = deploysFor();
    expect(await deploys.azureStatus()).toMatchObject({ cliAvailable: true, signedIn: false });
    const id = deploys.azureSignIn('public', 'azure-cli');
    const final = await deploys.signIns.done(id);
    expect(final.state).toBe('signed-in');
    expect(final.userCode).toBeNull();
    expect((await deploys.arm().subscriptions()).map((s) => s.id)).toEqual([SUBSCRIPTION]);
    expect(authority.server.requests).toEqual([]);
    expect(arm.server.violations).toEqual([]);
  });
});

describe('App Service deploy against a stub ARM', () => {
  it(
    'creates group, Linux plan (long-running) and app, sets the container, WEBSITES_PORT and registry settings, restarts, and tails the log',
    async () => {
      const deploys = deploysFor();
      await signIn(deploys);
      const registry = { url: 'https://registry.example.com', username: 'puller', password: `pull-${randomUUID()}` };
      const id = deploys.azureDeploy(NO_ENGINE, {
        ...request,
        image: 'registry.example.com/team/notas-iv:1.0',
        registry,
      });
      const final = await finished(deploys, id);

      expect(final.failure).toBeNull();
      expect(final.state).toBe('succeeded');
      expect(final.url).toBe('https://notas-iv.azurewebsites.net');
      expect(final.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
      const site = arm.sites.get('notas-iv');
      expect(site?.linuxFxVersion).toBe('DOCKER|registry.example.com/team/notas-iv:1.0');
      expect(site?.settings).toEqual({
        WEBSITES_PORT: '80',
        DOCKER_REGISTRY_SERVER_URL: registry.url,
        DOCKER_REGISTRY_SERVER_USERNAME: 'puller',
        DOCKER_REGISTRY_SERVER_PASSWORD: registry.password,
      });
      expect(site?.restarts).toBe(1);
      expect(arm.plans.get('berth-linux')?.reserved).toBe(true);
      // The plan PUT answered 201 + Azure-AsyncOperation: Berth polled it until Succeeded.
      expect(arm.server.requests.filter((r) => r.path.includes('/operationResults/')).length).toBe(2);
      expect(final.output.some((line) => line.includes('docker run -d -p 7530:80'))).toBe(true);
      // The registry password went to Azure only: never into the model.
      expect(JSON.stringify(final)).not.toContain(registry.password);
      expect(arm.server.violations).toEqual([]);
      expect(arm.scm.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it(
    'an existing app keeps its other settings (writing settings replaces all) and gets PATCHed, not recreated',
    async () => {
      const deploys = deploysFor();
      await signIn(deploys);
      const first = await finished(deploys, deploys.azureDeploy(NO_ENGINE, request));
      expect(first.state).toBe('succeeded');
      const site = arm.sites.get('notas-iv');
      if (!site) throw new Error('no site');
      site.settings.DATABASE_URL = 'postgres://db';
      const second = await finished(
        deploys,
        deploys.azureDeploy(NO_ENGINE, { ...request, image: 'berthuser/notas-iv:2.0', port: 5000 }),
      );
      expect(second.state).toBe('succeeded');
      expect(site.linuxFxVersion).toBe('DOCKER|berthuser/notas-iv:2.0');
      expect(site.settings).toEqual({ DATABASE_URL: 'postgres://db', WEBSITES_PORT: '5000' });
      expect(
        arm.server.to(
          'PUT',
          `/subscriptions/${SUBSCRIPTION}/resourceGroups/berth-rg/providers/Microsoft.Web/sites/notas-iv`,
        ),
      ).toHaveLength(1);
      expect(
        arm.server.to(
          'PATCH',
          `/subscriptions/${SUBSCRIPTION}/resourceGroups/berth-rg/providers/Microsoft.Web/sites/notas-iv/config/web`,
        ),
      ).toHaveLength(1);
      expect(arm.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it(
    '401: a token ARM refuses fails as AUTH_FAILED with ARM words',
    async () => {
      await arm.stop();
      arm = await new ArmStub({ token: 'another-token', subscriptionId: SUBSCRIPTION }).start();
      const deploys = deploysFor();
      await signIn(deploys);
      const error = await deploys
        .arm()
        .subscriptions()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'AUTH_FAILED',
        message: expect.stringContaining('The access token is invalid.'),
      });
      const final = await finished(deploys, deploys.azureDeploy(NO_ENGINE, request));
      expect(final.state).toBe('failed');
      expect(final.failure?.code).toBe('AUTH_FAILED');
      expect(final.steps[0]?.state).toBe('failed');
      expect(arm.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it(
    '404: an unknown subscription is NOT_FOUND in ARM words',
    async () => {
      const deploys = deploysFor();
      await signIn(deploys);
      const other = randomUUID();
      const error = await deploys
        .arm()
        .resourceGroups(other)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining(`The subscription '${other}' could not be found.`),
      });
      expect(arm.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it(
    '409: a site name someone else holds fails at the web app step with ARM words',
    async () => {
      await arm.stop();
      arm = await new ArmStub({
        token: authority.token,
        subscriptionId: SUBSCRIPTION,
        takenSites: ['notas-iv'],
      }).start();
      const deploys = deploysFor();
      await signIn(deploys);
      const final = await finished(deploys, deploys.azureDeploy(NO_ENGINE, request));
      expect(final.state).toBe('failed');
      expect(final.failure).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('Website with given name notas-iv already exists.'),
      });
      expect(final.steps.find((s) => s.name === 'Web app')?.state).toBe('failed');
      expect(final.steps.find((s) => s.name === 'Restart')?.state).toBe('waiting');
      expect(arm.server.violations).toEqual([]);
    },
    FLOW_DEADLINE_MS,
  );

  it('deploying before signing in is AUTH_FAILED and sends nothing', async () => {
    const deploys = deploysFor();
    const final = await finished(deploys, deploys.azureDeploy(NO_ENGINE, request));
    expect(final.failure?.code).toBe('AUTH_FAILED');
    expect(arm.server.requests).toEqual([]);
  });
});

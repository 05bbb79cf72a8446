/**
 * Issue 12, credentials and pushing, through the API against a real docker-registry with htpasswd:
 * the logins a user already has (the real docker CLI's `docker login`, into a temp DOCKER_CONFIG, to the
 * file and through a credential helper) are reused without asking again; a wrong password fails with the
 * registry's words; a namespace mismatch is caught before anything reaches the registry; several tags
 * push their shared layers once; the digest is the one the registry serves.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestHelpers } from '../../test/credential-helper-harness';
import { uniqueName } from '../../test/engine-harness';
import { buildPushableImage, registryManifestDigest, type TestRegistry } from '../../test/registry-harness';
import { ShipFixture } from '../../test/ship-fixture';
import { type LoginList, type NamespaceCheck, PushModel, parseImageReference } from '../contract';
import { MemorySecretStore } from '../core/registry';
import type { Backend } from './backend';
import { followStream } from './test/follow-stream';

/** Generous: a push of under 1 MiB to a registry on this machine ends in well under a second. */
const PUSH_DEADLINE_MS = 60_000;

const fixture = new ShipFixture();
const { litter } = fixture;
let registry: TestRegistry;
let helpers: TestHelpers;
let source: string;

beforeAll(async () => {
  await fixture.start(uniqueName('pw'), { store: 'berthtest' });
  ({ registry, helpers } = fixture);
  source = await buildPushableImage(litter.image(`${uniqueName('creds-src')}:1.0`));
});

afterAll(() => fixture.stop());

const tempDir = (prefix: string) => fixture.tempDir(prefix);

/** A backend whose docker CLI config is `configDir` (and whose PATH has the test helpers). */
async function backendWith(configDir: string): Promise<Backend> {
  return fixture.backend(configDir, {
    dataDir: await tempDir('berth-creds-data-'),
    secretStore: new MemorySecretStore(),
  });
}

async function push(backend: Backend, request: object): Promise<PushModel[]> {
  const { pushId } = (await backend.router.call('push.start', request)) as { pushId: string };
  const events = await followStream<PushModel>(backend.router, 'push', { pushId }, PUSH_DEADLINE_MS);
  return events.map((e) => PushModel.parse(e));
}

const target = (name: string, tag = '1.0') => litter.image(`${registry.address}/${uniqueName(name)}:${tag}`);
const digestOf = (ref: string) => {
  const parsed = parseImageReference(ref);
  if (!parsed) throw new Error(`not a reference: ${ref}`);
  return registryManifestDigest(registry, parsed.path, parsed.tag ?? 'latest');
};
async function catalog(): Promise<string[]> {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  const res = await fetch(`http://${registry.address}/v2/_catalog`, { headers: { authorization: `Basic ${auth}` } });
  return ((await res.json()) as { repositories: string[] }).repositories;
}

const dockerLogin = (configDir: string) => fixture.dockerLogin(configDir);

describe('a login made with the docker CLI is reused without asking again', () => {
  it('from config.json auths (the file)', async () => {
    const configDir = await tempDir('berth-dockercfg-');
    await dockerLogin(configDir);
    const config = JSON.parse(await readFile(join(configDir, 'config.json'), 'utf8'));
    expect(Object.keys(config.auths)).toContain(registry.address);

    const backend = await backendWith(configDir);
    const list = (await backend.router.call('registry.logins', {})) as LoginList;
    expect(list.logins).toEqual([
      {
        registry: registry.address,
        username: registry.username,
        source: 'config-file',
        helper: null,
        identityToken: false,
        inUse: true,
      },
    ]);
    const ref = target('cli-file');
    const events = await push(backend, { source, target: ref });
    const final = events.at(-1);
    expect(final?.failure).toBeNull();
    expect(final).toMatchObject({ state: 'succeeded', login: { username: registry.username, source: 'config-file' } });
    expect(final?.digest).toBe(await digestOf(ref));
  });

  it('through the credential helper config.json names (credsStore)', async () => {
    const configDir = await tempDir('berth-dockercfg-');
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ credsStore: 'berthtest' }));
    await writeFile(helpers.storeFile, '{}');
    await dockerLogin(configDir);
    // The CLI stored the login through the test's helper, not in the file.
    expect(await helpers.stored()).toEqual({
      [registry.address]: { Username: registry.username, Secret: registry.password },
    });
    expect(await readFile(join(configDir, 'config.json'), 'utf8')).not.toContain(registry.password);

    const backend = await backendWith(configDir);
    const list = (await backend.router.call('registry.logins', {})) as LoginList;
    expect(list.credsStore).toBe('berthtest');
    expect(list.logins).toEqual([expect.objectContaining({ source: 'helper', helper: 'berthtest', inUse: true })]);
    const ref = target('cli-helper');
    const final = (await push(backend, { source, target: ref })).at(-1);
    expect(final).toMatchObject({ state: 'succeeded', login: { source: 'helper' } });
    expect(final?.digest).toBe(await digestOf(ref));

    // Logging out through Berth erases it from the helper, as `docker logout` would.
    await backend.router.call('registry.logout', { registry: registry.address });
    expect(await helpers.stored()).toEqual({});
  });
});

describe('pushing with a login', () => {
  it('a wrong password fails with the registry message; the right one returns the digest the registry serves', async () => {
    const backend = await backendWith(await tempDir('berth-dockercfg-'));
    const wrong = { registry: registry.address, username: registry.username, password: 'not-the-password' };
    await expect(backend.router.call('registry.login', { ...wrong, remember: true })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/401 Unauthorized/),
    });
    const right = { ...wrong, password: registry.password };
    expect(await backend.router.call('registry.login', { ...right, remember: true })).toEqual({
      message: 'Login Succeeded',
      keeping: 'memory',
      helper: null,
    });
    const ref = target('right-pw');
    const final = (await push(backend, { source, target: ref })).at(-1);
    expect(final).toMatchObject({ state: 'succeeded', login: { source: 'berth' }, page: { url: null } });
    expect(final?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(final?.digest).toBe(await digestOf(ref));
  });

  it('a namespace that is not the user is caught before the push: the registry catalog stays without it', async () => {
    const backend = await backendWith(await tempDir('berth-dockercfg-'));
    const credentials = { registry: registry.address, username: registry.username, password: registry.password };
    await backend.router.call('registry.login', { ...credentials, remember: true });
    const name = uniqueName('someone-else');
    const ref = litter.image(`${registry.address}/${name}/app:1.0`);
    const check = (await backend.router.call('registry.namespace', { target: ref })) as NamespaceCheck;
    expect(check).toMatchObject({
      verdict: 'not-yours',
      namespace: name,
      username: registry.username,
      retag: `${registry.address}/${registry.username}/app:1.0`,
    });

    const events = await push(backend, { source, target: ref });
    const final = events.at(-1);
    expect(final?.state).toBe('failed');
    expect(final?.failure).toMatchObject({ code: 'INVALID_INPUT', fields: { target: [expect.any(String)] } });
    expect(final?.failure?.message).toContain(`The namespace "${name}" is not your user name "${registry.username}"`);
    expect(final?.failure?.fix).toContain(check.retag);
    expect(events.map((e) => e.state)).not.toContain('pushing');
    expect((await catalog()).some((repo) => repo.startsWith(`${name}/`))).toBe(false);

    // Pushing anyway (an organisation the user may write to, which a plain docker-registry allows) works.
    const anyway = (await push(backend, { source, target: ref, allowOtherNamespace: true })).at(-1);
    expect(anyway?.state).toBe('succeeded');
    expect(await catalog()).toContain(`${name}/app`);
  });

  it('several tags at once: the layers go up with the first tag, the next finds them already there', async () => {
    const backend = await backendWith(await tempDir('berth-dockercfg-'));
    const credentials = { registry: registry.address, username: registry.username, password: registry.password };
    const ref = target('multi', '1.2.0');
    const latest = ref.replace(/:1\.2\.0$/, ':latest');
    litter.image(latest);
    // Layers of its own: the registry already holds (and would mount) those of the image the other tests pushed.
    const fresh = await buildPushableImage(litter.image(`${uniqueName('multi-src')}:1.0`));
    const events = await push(backend, { source: fresh, target: ref, credentials, alsoTags: ['latest'] });
    const final = events.at(-1);
    expect(final?.failure).toBeNull();
    expect(final?.state).toBe('succeeded');
    const [first, second] = final?.tags ?? [];
    expect(first).toMatchObject({ target: ref, state: 'succeeded', pushed: 2, existing: 0 });
    expect(second).toMatchObject({ target: latest, state: 'succeeded', pushed: 0, existing: 2 });
    // While the second tag went up, its layers showed as "already exists".
    expect(events.some((e) => e.tags?.[1]?.state === 'pushing' && e.layers.every((l) => l.status === 'exists'))).toBe(
      true,
    );
    expect(first?.digest).toBe(await digestOf(ref));
    expect(second?.digest).toBe(await digestOf(latest));
    expect(final?.digest).toBe(first?.digest);
  });
});

import Dockerode from 'dockerode';
import { EngineLitter, freePort, uniqueName } from '../../../test/engine-harness';
import {
  buildPushableImage,
  registryManifestDigest,
  removeLabelledImages,
  startTestRegistry,
  type TestRegistry,
} from '../../../test/registry-harness';
import { BerthError, PushModel, parseImageReference } from '../../contract';
import { RegistryLogins } from '../credentials';
import { JobRunner } from '../job-runner';
import { CredentialStore, MemorySecretStore, type RegistryCredentials } from './credentials';
import { checkCredentials, login } from './login';
import { type Push, startPush } from './push';

const ENDPOINT = 'unix:///var/run/docker.sock';
const engine = { docker: new Dockerode(), endpoint: ENDPOINT };
const litter = new EngineLitter();
let registry: TestRegistry;
/** Logins pass, uploads are refused with 405 (storage.maintenance.readonly). */
let readOnly: TestRegistry;
let good: RegistryCredentials;
/** A local two-layer image of random bytes, not yet named for the registry. */
let source: string;

beforeAll(async () => {
  registry = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
  readOnly = await startTestRegistry({ username: 'berth', password: uniqueName('pw'), readOnly: true });
  good = { registry: registry.address, username: registry.username, password: registry.password };
  source = await buildPushableImage(litter.image(`${uniqueName('push-src')}:1.0`));
});

afterAll(async () => {
  await litter.cleanup();
  await removeLabelledImages();
  await registry?.stop();
  await readOnly?.stop();
});

const targetFor = (what: string) => litter.image(`${registry.address}/${uniqueName(what)}:1.0`);

/** Runs a push to the end, checking every model it emits against the contract. */
async function push(request: { source: string; target: string }, credentials?: RegistryCredentials) {
  const run = startPush({ engine, request, ...(credentials && { credentials }) });
  const models: PushModel[] = [run.current()];
  run.onChange((model) => models.push(PushModel.parse(model)));
  const final = await run.done;
  return { final, models, states: [...new Set(models.map((m) => m.state))] };
}

const manifestDigest = (repository: string, tag: string) => registryManifestDigest(registry, repository, tag);
/** `host:port/repo:tag` → [repo, tag]. */
/** The repository path and tag a registry files `target` under. */
const repositoryAndTag = (target: string): [string, string] => {
  const ref = parseImageReference(target);
  if (!ref) throw new Error(`not an image reference: ${target}`);
  return [ref.path, ref.tag ?? 'latest'];
};

describe('checkCredentials against a real registry', () => {
  it('accepts the right password', async () => {
    expect(await checkCredentials(engine, good)).toEqual({ message: 'Login Succeeded' });
  });

  it('rejects a wrong password as AUTH_FAILED with the registry message', async () => {
    const error = await checkCredentials(engine, { ...good, password: 'wrong' }).catch((e: BerthError) => e);
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect((error as BerthError).message).toContain(registry.address);
    expect((error as BerthError).message).toMatch(/401 Unauthorized/);
    expect((error as BerthError).fix).toMatch(/password/);
  });

  it('names the registry when nothing answers there', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const error = await checkCredentials(engine, { ...good, registry: nowhere }).catch((e: BerthError) => e);
    expect(error).toMatchObject({ code: 'PUSH_FAILED' });
    expect((error as BerthError).message).toContain(nowhere);
    expect((error as BerthError).message).toMatch(/connection refused/);
  });

  it('login remembers the credentials only when asked', async () => {
    const store = new CredentialStore(new MemorySecretStore());
    // An empty DOCKER_CONFIG: no helper is set, so a remembered login goes to Berth's own store.
    const logins = new RegistryLogins({ saved: store, keeping: 'memory', env: { DOCKER_CONFIG: '/nonexistent' } });
    expect(await login(engine, logins, { ...good, remember: false })).toEqual({ message: 'Login Succeeded' });
    expect(await store.saved()).toEqual([]);
    expect(await login(engine, logins, { ...good, remember: true })).toEqual({
      message: 'Login Succeeded',
      keeping: 'memory',
      helper: null,
    });
    expect(await store.saved()).toEqual([{ registry: registry.address, username: registry.username }]);
    await expect(login(engine, logins, { ...good, password: 'bad', remember: true })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });
});

describe('push against a real registry', () => {
  it('with the right password tags, pushes and returns the digest that is in the registry', async () => {
    const target = targetFor('push-ok');
    const { final, states } = await push({ source, target }, good);
    expect(final.failure).toBeNull();
    expect(states).toEqual(['checking', 'tagging', 'pushing', 'succeeded']);
    expect(final.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(final.size).toBeGreaterThan(0);
    expect(final.layers).toHaveLength(2);
    expect(final.layers.every((l) => l.status === 'pushed' && l.current === l.total)).toBe(true);

    const [repository, tag] = repositoryAndTag(target);
    expect(await manifestDigest(repository, tag)).toBe(final.digest);

    const again = await push({ source: target, target }, good);
    expect(again.states).toEqual(['checking', 'pushing', 'succeeded']);
    expect(again.final.digest).toBe(final.digest);
    expect(again.final.layers.map((l) => l.status)).toEqual(['exists', 'exists']);
  });

  it('with a wrong password is stopped by the login check as AUTH_FAILED, before any upload', async () => {
    const target = targetFor('push-wrong');
    const { final, models, states } = await push({ source, target }, { ...good, password: 'wrong-password' });
    expect(states).toEqual(['checking', 'failed']);
    expect(final.state).toBe('failed');
    expect(final.failure?.code).toBe('AUTH_FAILED');
    expect(final.failure?.message).toMatch(/401 Unauthorized/);
    expect(models.some((m) => m.state === 'succeeded' || m.digest !== null)).toBe(false);
    const [repository, tag] = repositoryAndTag(target);
    expect(await manifestDigest(repository, tag)).toBeNull();
  });

  it('without credentials the error line in the 200 stream fails the push as AUTH_FAILED', async () => {
    const target = targetFor('push-anon');
    const { final, states } = await push({ source, target });
    expect(states).toContain('pushing');
    expect(final.state).toBe('failed');
    expect(final.failure).toMatchObject({ code: 'AUTH_FAILED' });
    expect(final.failure?.message).toContain('no basic auth credentials');
    expect(final.digest).toBeNull();
  });

  it('to a read-only registry: the login check passes, then the 200 stream refuses the upload; no digest', async () => {
    const credentials = { registry: readOnly.address, username: readOnly.username, password: readOnly.password };
    expect(await checkCredentials(engine, credentials)).toEqual({ message: 'Login Succeeded' });
    const target = litter.image(`${readOnly.address}/${uniqueName('push-ro')}:1.0`);
    const { final, models, states } = await push({ source, target }, credentials);
    expect(states).toEqual(['checking', 'tagging', 'pushing', 'failed']);
    expect(final.failure).toMatchObject({ code: 'PUSH_FAILED' });
    expect(final.failure?.message).toContain(readOnly.address);
    expect(final.failure?.message).toMatch(/error parsing HTTP 405 response body.*Method not allowed/);
    expect(final.failure?.fix).toMatch(/read-only/);
    expect(models.every((m) => m.digest === null && m.size === null)).toBe(true);
    expect(final.layers.length).toBeGreaterThan(0);
    expect(final.layers.every((l) => l.status === 'failed')).toBe(true);
    const [repository, tag] = repositoryAndTag(target);
    expect(await registryManifestDigest(readOnly, repository, tag)).toBeNull();
  });

  it('with a password revoked after the login check: the 200 stream says unauthorized; no digest', async () => {
    // Its own registry, since the password changes for good.
    const revoking = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
    try {
      const credentials = { registry: revoking.address, username: revoking.username, password: revoking.password };
      const target = litter.image(`${revoking.address}/${uniqueName('push-revoked')}:1.0`);
      const run = startPush({ engine, request: { source, target }, credentials });
      const models: PushModel[] = [];
      let newPassword: string | undefined;
      run.onChange((model) => {
        models.push(PushModel.parse(model));
        // 'pushing' is set after the login check passed and before the engine is asked to push.
        if (model.state === 'pushing' && newPassword === undefined) newPassword = revoking.revokePassword();
      });
      const final = await run.done;
      expect(newPassword).toBeDefined();
      // The first change a late listener sees is still 'checking': the model names the login it uses.
      expect([...new Set(models.map((m) => m.state))]).toEqual(['checking', 'tagging', 'pushing', 'failed']);
      expect(models[0]?.login).toEqual({ username: revoking.username, source: 'typed' });
      expect(final.failure).toMatchObject({ code: 'AUTH_FAILED' });
      expect(final.failure?.message).toContain(revoking.address);
      expect(final.failure?.message).toContain('unauthorized: authentication required');
      expect(final.failure?.fix).toMatch(/revoked/);
      expect(models.every((m) => m.digest === null)).toBe(true);
      // The oracle: the old password is now refused at login, and the registry holds no manifest.
      await expect(checkCredentials(engine, credentials)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      const [repository, tag] = repositoryAndTag(target);
      expect(await registryManifestDigest(revoking, repository, tag, newPassword)).toBeNull();
    } finally {
      await revoking.stop();
    }
  });

  it('an image that does not exist is NOT_FOUND with a clear message', async () => {
    const missing = `${uniqueName('missing')}:1.0`;
    const { final } = await push({ source: missing, target: targetFor('push-missing') }, good);
    expect(final.failure).toMatchObject({
      code: 'NOT_FOUND',
      message: `There is no local image "${missing}" to push.`,
    });
    expect(final.failure?.fix).toMatch(/Build the image/);

    const sameName = `${registry.address}/${uniqueName('missing')}:1.0`;
    const direct = await push({ source: sameName, target: sameName }, good);
    expect(direct.final.failure).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('pushes kept by id in a JobRunner', () => {
  it('pushes with saved credentials and replays the model to late subscribers', async () => {
    const store = new CredentialStore(new MemorySecretStore());
    await store.save(good);
    const runner = new JobRunner<PushModel, Push>({ noun: 'push', fix: 'Push again.' });
    const target = targetFor('push-runner');
    const pushId = runner.add(startPush({ engine, request: { source, target }, store }));

    const final = await runner.done(pushId);
    expect(final).toMatchObject({ pushId, target, state: 'succeeded', failure: null });
    expect(runner.get(pushId)).toEqual(final);
    const seen: PushModel[] = [];
    const stop = runner.subscribe(pushId, (m) => seen.push(m));
    stop();
    expect(seen).toEqual([final]);
  });

  it('rejects unknown ids and invalid requests', () => {
    const runner = new JobRunner<PushModel, Push>({ noun: 'push', fix: 'Push again.' });
    expect(() => runner.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => startPush({ engine, request: { source: 'Bad Name', target: 'x' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        fields: expect.objectContaining({ source: expect.any(Array) }),
      }),
    );
  });
});

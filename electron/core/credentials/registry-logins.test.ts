import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installTestHelpers, type TestHelpers } from '../../../test/credential-helper-harness';
import { BerthError } from '../../contract';
import { CredentialStore, MemorySecretStore } from '../registry/credentials';
import { RegistryLogins } from './registry-logins';

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** Long enough for node to start on a busy machine, short enough for the hanging helper. */
const SHORT_DEADLINE_MS = 3_000;
/** Room for two helper deadlines and node start-ups on a busy machine. */
const HANGING_TEST_TIMEOUT_MS = 30_000;

let helpers: TestHelpers;
let configDir: string;

beforeAll(async () => {
  helpers = await installTestHelpers({ store: 'berthtest', fail: 'berthfail', hang: 'berthhang' });
});
afterAll(() => helpers.remove());
beforeEach(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'berth-dockerconfig-'));
  await writeFile(helpers.storeFile, '{}');
});
afterEach(() => rm(configDir, { recursive: true, force: true }));

const writeConfig = (config: object) => writeFile(join(configDir, 'config.json'), JSON.stringify(config));
const logins = (store = new CredentialStore(new MemorySecretStore())) =>
  new RegistryLogins({
    saved: store,
    keeping: 'memory',
    env: helpers.env({ DOCKER_CONFIG: configDir }),
    helperDeadlineMs: SHORT_DEADLINE_MS,
  });

describe('RegistryLogins', () => {
  it('finds a login in config.json auths, from the file', async () => {
    await writeConfig({ auths: { '127.0.0.1:5999': { auth: b64('ana:file-pw') } } });
    expect(await logins().load('127.0.0.1:5999')).toEqual({
      registry: '127.0.0.1:5999',
      username: 'ana',
      password: 'file-pw',
      source: 'config-file',
      helper: null,
    });
  });

  it('asks credHelpers before credsStore, and never uses the file for a registry with a helper', async () => {
    await writeConfig({
      auths: { '127.0.0.1:5999': { auth: b64('ana:file-pw') } },
      credsStore: 'berthfail',
      credHelpers: { '127.0.0.1:5999': 'berthtest' },
    });
    await writeFile(helpers.storeFile, JSON.stringify({ '127.0.0.1:5999': { Username: 'bob', Secret: 'helper-pw' } }));
    expect(await logins().load('127.0.0.1:5999')).toMatchObject({
      username: 'bob',
      password: 'helper-pw',
      source: 'helper',
      helper: 'berthtest',
    });
    await writeFile(helpers.storeFile, '{}');
    expect(await logins().load('127.0.0.1:5999')).toBeUndefined();
  });

  it('finds a helper login stored under a scheme, as `docker login https://host` stores it', async () => {
    await writeConfig({ credsStore: 'berthtest' });
    await writeFile(helpers.storeFile, JSON.stringify({ 'https://127.0.0.1:5999': { Username: 'bob', Secret: 's' } }));
    expect(await logins().load('127.0.0.1:5999')).toMatchObject({ username: 'bob', source: 'helper' });
  });

  it("prefers Berth's own login, and lists every login with its source and the one in use", async () => {
    await writeConfig({
      auths: { '127.0.0.1:5999': { auth: b64('ana:file-pw') }, 'registry.example.com': { auth: b64('eve:x') } },
      credHelpers: { 'quay.io': 'berthtest' },
    });
    await writeFile(helpers.storeFile, JSON.stringify({ 'quay.io': { Username: 'qa', Secret: 'q' } }));
    const store = new CredentialStore(new MemorySecretStore());
    await store.save({ registry: '127.0.0.1:5999', username: 'berth-user', password: 'berth-pw' });
    const book = logins(store);
    expect(await book.load('127.0.0.1:5999')).toMatchObject({ username: 'berth-user', source: 'berth' });
    const list = await book.list();
    expect(list.logins).toEqual([
      {
        registry: '127.0.0.1:5999',
        username: 'berth-user',
        source: 'berth',
        helper: null,
        identityToken: false,
        inUse: true,
      },
      {
        registry: '127.0.0.1:5999',
        username: 'ana',
        source: 'config-file',
        helper: null,
        identityToken: false,
        inUse: false,
      },
      { registry: 'quay.io', username: 'qa', source: 'helper', helper: 'berthtest', identityToken: false, inUse: true },
      {
        registry: 'registry.example.com',
        username: 'eve',
        source: 'config-file',
        helper: null,
        identityToken: false,
        inUse: true,
      },
    ]);
    expect(list).toMatchObject({ keeping: 'memory', configPath: join(configDir, 'config.json'), problems: [] });
    expect(JSON.stringify(list)).not.toMatch(/file-pw|berth-pw|"q"|"x"/);
  });

  it('remembers through the helper when one is set (and not in Berth), else in Berth', async () => {
    await writeConfig({ credsStore: 'berthtest' });
    const store = new CredentialStore(new MemorySecretStore());
    const book = logins(store);
    expect(await book.save({ registry: '127.0.0.1:5999', username: 'ana', password: 'pw1' })).toEqual({
      keeping: 'helper',
      helper: 'berthtest',
    });
    expect(await helpers.stored()).toEqual({ '127.0.0.1:5999': { Username: 'ana', Secret: 'pw1' } });
    expect(await store.saved()).toEqual([]);
    await book.remove('127.0.0.1:5999');
    expect(await helpers.stored()).toEqual({});

    await writeConfig({});
    expect(await book.save({ registry: '127.0.0.1:5999', username: 'ana', password: 'pw2' })).toEqual({
      keeping: 'memory',
      helper: null,
    });
    expect(await store.saved()).toEqual([{ registry: '127.0.0.1:5999', username: 'ana' }]);
  });

  it("will not remove a config-file login: that is the CLI's file", async () => {
    await writeConfig({ auths: { '127.0.0.1:5999': { auth: b64('ana:file-pw') } } });
    await expect(logins().remove('127.0.0.1:5999')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      fix: expect.stringContaining('docker logout 127.0.0.1:5999'),
    });
  });

  it(
    'a failing or hanging helper fails the lookup with HELPER_FAILED, and is a listed problem',
    async () => {
      await writeConfig({ credHelpers: { '127.0.0.1:5999': 'berthfail', '127.0.0.1:5998': 'berthhang' } });
      const book = logins();
      await expect(book.load('127.0.0.1:5999')).rejects.toMatchObject({ code: 'HELPER_FAILED' });
      await expect(book.load('127.0.0.1:5998')).rejects.toMatchObject({
        code: 'HELPER_FAILED',
        message: expect.stringContaining('did not answer'),
      });
      const list = await book.list();
      expect(list.logins).toEqual([]);
      expect(list.problems.map((p) => p.code)).toEqual(['HELPER_FAILED', 'HELPER_FAILED']);
    },
    HANGING_TEST_TIMEOUT_MS,
  );

  it('a damaged config.json is a listed problem, and Berth logins still work', async () => {
    await writeFile(join(configDir, 'config.json'), 'not json');
    const store = new CredentialStore(new MemorySecretStore());
    await store.save({ registry: '127.0.0.1:5999', username: 'ana', password: 'pw' });
    const list = await logins(store).list();
    expect(list.logins).toHaveLength(1);
    expect(list.problems).toEqual([expect.objectContaining({ code: 'INVALID_INPUT' })]);
  });

  it("a Berth store that cannot be read (no keyring) is a listed problem, and the CLI's logins still work", async () => {
    await writeConfig({ auths: { '127.0.0.1:5999': { auth: b64('ana:file-pw') } } });
    const locked = new MemorySecretStore();
    locked.get = () => Promise.reject(new BerthError('UNSUPPORTED', 'no keyring', 'Install one.'));
    const book = logins(new CredentialStore(locked));
    expect(await book.load('127.0.0.1:5999')).toMatchObject({ username: 'ana', source: 'config-file' });
    const list = await book.list();
    expect(list.logins.map((l) => l.source)).toEqual(['config-file']);
    expect(list.problems).toEqual([{ code: 'UNSUPPORTED', message: 'no keyring', fix: 'Install one.' }]);
  });
});

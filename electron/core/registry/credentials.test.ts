import { authConfigFor, CredentialStore, MemorySecretStore } from './credentials';

describe('CredentialStore', () => {
  it('saves and loads one login per registry', async () => {
    const store = new CredentialStore(new MemorySecretStore());
    await store.save({ registry: '127.0.0.1:5000', username: 'ana', password: 's3cret' });
    await store.save({ registry: 'docker.io', username: 'bob', password: 'token' });

    expect(await store.load('127.0.0.1:5000')).toEqual({
      registry: '127.0.0.1:5000',
      username: 'ana',
      password: 's3cret',
    });
    expect(await store.load('registry.example.com')).toBeUndefined();
  });

  it('finds Docker Hub logins under any of its names', async () => {
    const store = new CredentialStore(new MemorySecretStore());
    await store.save({ registry: 'https://index.docker.io/v1/', username: 'bob', password: 'token' });
    expect(await store.load('docker.io')).toEqual({ registry: 'docker.io', username: 'bob', password: 'token' });
    expect(await store.saved()).toEqual([{ registry: 'docker.io', username: 'bob' }]);
  });

  it('lists registries and user names, never passwords', async () => {
    const store = new CredentialStore(new MemorySecretStore());
    await store.save({ registry: 'registry.heroku.com', username: '_', password: 'api-key' });
    await store.save({ registry: '127.0.0.1:5000', username: 'ana', password: 'first' });
    await store.save({ registry: '127.0.0.1:5000', username: 'ana2', password: 'second' });

    const saved = await store.saved();
    expect(saved).toEqual([
      { registry: '127.0.0.1:5000', username: 'ana2' },
      { registry: 'registry.heroku.com', username: '_' },
    ]);
    expect(JSON.stringify(saved)).not.toMatch(/api-key|first|second/);
    expect((await store.load('127.0.0.1:5000'))?.password).toBe('second');
  });

  it('forgets a removed login', async () => {
    const secrets = new MemorySecretStore();
    const store = new CredentialStore(secrets);
    await store.save({ registry: '127.0.0.1:5000', username: 'ana', password: 's3cret' });
    await store.remove('127.0.0.1:5000');
    expect(await store.load('127.0.0.1:5000')).toBeUndefined();
    expect(await store.saved()).toEqual([]);
    expect(await secrets.get('registry-login:127.0.0.1:5000')).toBeUndefined();
  });

  it('treats a damaged entry as no entry', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('registry-login:127.0.0.1:5000', '{not json');
    await secrets.set('registry-logins', '"not a list"');
    const store = new CredentialStore(secrets);
    expect(await store.load('127.0.0.1:5000')).toBeUndefined();
    expect(await store.saved()).toEqual([]);
  });
});

describe('authConfigFor', () => {
  it('is {} without credentials, so X-Registry-Auth is still sent', () => {
    expect(authConfigFor(undefined)).toEqual({});
  });

  it('uses the Docker Hub server address for docker.io', () => {
    expect(authConfigFor({ registry: 'docker.io', username: 'bob', password: 'token' })).toEqual({
      username: 'bob',
      password: 'token',
      serveraddress: 'https://index.docker.io/v1/',
    });
  });
});

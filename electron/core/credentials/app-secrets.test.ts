import { CredentialStore, MemorySecretStore } from '../registry/credentials';
import { AppSecrets } from './app-secrets';

describe('AppSecrets', () => {
  it('keeps named secrets in the SecretStore and says how they are kept', async () => {
    const store = new MemorySecretStore();
    const secrets = new AppSecrets(store);
    expect(secrets.keeping).toBe('memory');
    await secrets.set('heroku.api-key', 'key-1');
    await secrets.set('azure.token-cache', '{"a":1}');
    expect(await secrets.get('heroku.api-key')).toBe('key-1');
    await secrets.delete('heroku.api-key');
    expect(await secrets.get('heroku.api-key')).toBeUndefined();
    expect(await secrets.get('azure.token-cache')).toBe('{"a":1}');
  });

  it('cannot reach registry logins, and refuses odd names and empty values without quoting them', async () => {
    const store = new MemorySecretStore();
    await new CredentialStore(store).save({ registry: '127.0.0.1:5000', username: 'ana', password: 'pw' });
    const secrets = new AppSecrets(store);
    for (const name of ['registry-login:127.0.0.1:5000', 'registry-logins', 'heroku', 'Heroku.Key', '']) {
      await expect(secrets.get(name)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    const error = await secrets.set('heroku.api-key', '').catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

/** The safeStorage-backed SecretStore: encrypted at rest, and refusing to store secrets in plain text. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../contract';
import { createSafeStorageSecretStore, type SafeStorageLike } from './secret-store';

/** A reversible stand-in for the OS keychain encryption. */
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (value) => Buffer.from(`enc:${[...value].reverse().join('')}`),
    decryptString: (blob) => [...blob.toString().slice(4)].reverse().join(''),
    ...overrides,
  };
}

const storeFile = () => join(mkdtempSync(join(tmpdir(), 'berth-secrets-')), 'userData', 'secrets.json');

async function refusal(promise: Promise<unknown>): Promise<BerthError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
}

describe('the safeStorage secret store', () => {
  it('stores, reads and deletes secrets, encrypted in its file', async () => {
    const filePath = storeFile();
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    await store.set('registry-login:docker.io', 'hunter2');
    expect(await store.get('registry-login:docker.io')).toBe('hunter2');
    expect(readFileSync(filePath, 'utf8')).not.toContain('hunter2');
    await store.delete('registry-login:docker.io');
    expect(await store.get('registry-login:docker.io')).toBeUndefined();
  });

  it('refuses when encryption is not available', async () => {
    const store = createSafeStorageSecretStore({
      safeStorage: fakeSafeStorage({ isEncryptionAvailable: () => false }),
      filePath: storeFile(),
      platform: 'darwin',
    });
    const error = await refusal(store.set('k', 'v'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.fix).toMatch(/gnome-keyring or KWallet/);
    expect((await refusal(store.get('k'))).code).toBe('UNSUPPORTED');
  });

  it('refuses the plain-text basic_text backend on Linux', async () => {
    const filePath = storeFile();
    const store = createSafeStorageSecretStore({
      safeStorage: fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }),
      filePath,
      platform: 'linux',
    });
    const error = await refusal(store.set('k', 'hunter2'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/plain text/);
    expect(error.fix).toMatch(/install and unlock a keyring such as gnome-keyring or KWallet/i);
    expect(() => readFileSync(filePath)).toThrow();
  });

  it('does not treat a key named __proto__ specially', async () => {
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage(), filePath: storeFile() });
    await store.set('__proto__', 'v');
    expect(await store.get('__proto__')).toBe('v');
    expect(await store.get('toString')).toBeUndefined();
  });
});

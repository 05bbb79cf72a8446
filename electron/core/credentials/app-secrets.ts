/**
 * Secrets Berth keeps for itself that are not registry logins: the Heroku API key, Azure tokens.
 *
 *   const secrets = new AppSecrets(services.secretStore);
 *   await secrets.set('heroku.api-key', key);          // encrypted by the OS keychain, or memory (web mode)
 *   const key = await secrets.get('heroku.api-key');   // undefined when none is kept
 *   await secrets.delete('heroku.api-key');
 *   secrets.keeping                                     // 'keychain' | 'memory': tell the user which
 *
 * Names are short dotted words (`heroku.api-key`, `azure.token-cache`); anything else is refused, so a
 * name can never collide with a registry login's key. The value is opaque text (JSON for a token cache).
 * Values never appear in errors. A registry login (Heroku's registry with user `_`) goes through
 * RegistryLogins instead, so the user's credential helper is used when one is configured.
 */
import { BerthError } from '../../contract';
import type { SecretStore } from '../registry/credentials';

const SECRET_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+){1,3}$/;
const MAX_SECRET_NAME = 64;
/** A token cache is a few KiB; more than this is a mistake. */
const MAX_SECRET_BYTES = 256 << 10;
const KEY_PREFIX = 'app-secret:';

export class AppSecrets {
  constructor(private readonly store: SecretStore) {}

  get keeping(): 'keychain' | 'memory' {
    return this.store.keeping;
  }

  async get(name: string): Promise<string | undefined> {
    return this.store.get(key(name));
  }

  async set(name: string, value: string): Promise<void> {
    if (!value || Buffer.byteLength(value) > MAX_SECRET_BYTES) {
      throw new BerthError(
        'INVALID_INPUT',
        `The secret "${name}" must be between 1 byte and ${MAX_SECRET_BYTES} bytes long.`,
        'Give the key or token exactly as the service issued it.',
      );
    }
    await this.store.set(key(name), value);
  }

  async delete(name: string): Promise<void> {
    await this.store.delete(key(name));
  }
}

function key(name: string): string {
  if (name.length > MAX_SECRET_NAME || !SECRET_NAME.test(name)) {
    throw new BerthError(
      'INVALID_INPUT',
      `"${name.slice(0, MAX_SECRET_NAME)}" is not a secret name.`,
      'Use a short dotted name such as "heroku.api-key" or "azure.token-cache".',
    );
  }
  return `${KEY_PREFIX}${name}`;
}

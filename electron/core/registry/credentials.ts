/**
 * Saved registry logins. Passwords live only in a SecretStore (in memory here; the Electron shell
 * supplies one backed by safeStorage); `saved()` lists registries and user names, never passwords.
 */
import type { z } from 'zod';
import {
  normalizeRegistry,
  type RegistryCredentials as RegistryCredentialsSchema,
  serverAddress,
} from '../../contract';

export type RegistryCredentials = z.infer<typeof RegistryCredentialsSchema>;

export interface SavedLogin {
  registry: string;
  username: string;
}

/** Somewhere to keep secrets by key. Implementations must not log or expose the values. */
export interface SecretStore {
  /** `keychain`: encrypted by the OS (safeStorage); `memory`: forgotten when the process ends. */
  readonly keeping: 'keychain' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A SecretStore that forgets everything when the process ends: web mode and tests. */
export class MemorySecretStore implements SecretStore {
  readonly keeping = 'memory' as const;
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

const INDEX_KEY = 'registry-logins';
const loginKey = (registry: string): string => `registry-login:${registry}`;

/** The X-Registry-Auth object the engine expects; `{}` without credentials (never omitted). */
export function authConfigFor(credentials: (RegistryCredentials & { identityToken?: string }) | undefined): {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress?: string;
} {
  if (!credentials) return {};
  if (credentials.identityToken) {
    return { identitytoken: credentials.identityToken, serveraddress: serverAddress(credentials.registry) };
  }
  return {
    username: credentials.username,
    password: credentials.password,
    serveraddress: serverAddress(credentials.registry),
  };
}

/** One login per registry (`docker.io`, `127.0.0.1:5000`, ...), on top of a SecretStore. */
export class CredentialStore {
  constructor(private readonly secrets: SecretStore) {}

  async save(credentials: RegistryCredentials): Promise<void> {
    const registry = normalizeRegistry(credentials.registry);
    const { username, password } = credentials;
    await this.secrets.set(loginKey(registry), JSON.stringify({ registry, username, password }));
    const others = (await this.saved()).filter((login) => login.registry !== registry);
    await this.writeIndex([...others, { registry, username }]);
  }

  /** The saved login for a registry, in any spelling (`https://index.docker.io/v1/` finds `docker.io`). */
  async load(registry: string): Promise<RegistryCredentials | undefined> {
    const raw = await this.secrets.get(loginKey(normalizeRegistry(registry)));
    if (raw === undefined) return undefined;
    try {
      const value = JSON.parse(raw) as Partial<RegistryCredentials>;
      if (typeof value.registry === 'string' && typeof value.username === 'string' && value.password) {
        return { registry: value.registry, username: value.username, password: value.password };
      }
    } catch {
      // a damaged entry counts as no entry; saving again repairs it
    }
    return undefined;
  }

  async remove(registry: string): Promise<void> {
    const name = normalizeRegistry(registry);
    await this.secrets.delete(loginKey(name));
    await this.writeIndex((await this.saved()).filter((login) => login.registry !== name));
  }

  /** Registries with a saved login, sorted, with user names only. */
  async saved(): Promise<SavedLogin[]> {
    const raw = await this.secrets.get(INDEX_KEY);
    if (raw === undefined) return [];
    try {
      const list = JSON.parse(raw) as unknown;
      if (!Array.isArray(list)) return [];
      return list
        .filter((l): l is SavedLogin => typeof l?.registry === 'string' && typeof l?.username === 'string')
        .map(({ registry, username }) => ({ registry, username }));
    } catch {
      return [];
    }
  }

  private async writeIndex(logins: SavedLogin[]): Promise<void> {
    const sorted = [...logins].sort((a, b) => a.registry.localeCompare(b.registry));
    await this.secrets.set(INDEX_KEY, JSON.stringify(sorted));
  }
}

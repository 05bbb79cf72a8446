/**
 * Saved secrets (registry passwords) encrypted with the OS keychain through Electron's safeStorage,
 * kept as base64 blobs in one JSON file under userData. Refuses to store anything when encryption is
 * unavailable, or on Linux when safeStorage would fall back to plain text ("basic_text").
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { BerthError } from '../contract';
import type { SecretStore } from '../core/registry/credentials';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** e.g. join(app.getPath('userData'), 'secrets.json') */
  filePath: string;
  platform?: NodeJS.Platform;
}

const KEYRING_FIX = 'Install and unlock a keyring such as gnome-keyring or KWallet, then restart Berth.';

function refuseUnlessEncrypted(safeStorage: SafeStorageLike, platform: NodeJS.Platform): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new BerthError(
      'UNSUPPORTED',
      'Berth cannot save secrets: the system keychain is not available.',
      KEYRING_FIX,
    );
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    throw new BerthError(
      'UNSUPPORTED',
      'Berth will not save secrets: no keyring is running, so they would be stored as plain text.',
      KEYRING_FIX,
    );
  }
}

export function createSafeStorageSecretStore(options: SafeStorageSecretStoreOptions): SecretStore {
  const { safeStorage, filePath } = options;
  const platform = options.platform ?? process.platform;

  async function load(): Promise<Map<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(filePath, 'utf8'));
      const entries = parsed && typeof parsed === 'object' ? Object.entries(parsed) : [];
      return new Map(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new BerthError(
        'INTERNAL',
        'Berth’s saved secrets file cannot be read.',
        `Delete ${filePath} and log in again.`,
      );
    }
  }

  async function save(blobs: Map<string, string>): Promise<void> {
    await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
    const temporary = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(Object.fromEntries(blobs)), { mode: 0o600 });
    await rename(temporary, filePath);
  }

  return {
    keeping: 'keychain',
    async get(key) {
      refuseUnlessEncrypted(safeStorage, platform);
      const blob = (await load()).get(key);
      return blob === undefined ? undefined : safeStorage.decryptString(Buffer.from(blob, 'base64'));
    },
    async set(key, value) {
      refuseUnlessEncrypted(safeStorage, platform);
      const blobs = await load();
      blobs.set(key, safeStorage.encryptString(value).toString('base64'));
      await save(blobs);
    },
    async delete(key) {
      const blobs = await load();
      if (blobs.delete(key)) await save(blobs);
    },
  };
}

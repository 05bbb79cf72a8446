/**
 * Test support for the secrets sweeps: a stand-in for Electron's safeStorage that really encrypts, and a walk
 * over the files changed since a moment (the data folder, /tmp) to search for secrets.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../electron/core/registry';
import { createSafeStorageSecretStore, type SafeStorageLike } from '../electron/shell/secret-store';

/** Stands in for Electron's safeStorage with real encryption (AES-256-GCM, key in memory only). */
export function encryptingSafeStorage(): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString(text: string) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(blob: Buffer) {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The desktop app's secret store, encrypted by the stand-in above, in `<dataDir>/secrets.json`. */
export function encryptedSecretStore(dataDir: string): SecretStore {
  return createSafeStorageSecretStore({
    safeStorage: encryptingSafeStorage(),
    filePath: join(dataDir, 'secrets.json'),
    platform: 'linux',
  });
}

/** Files larger than this are image layers and caches, not something Berth wrote a secret into. */
const MAX_SCANNED_BYTES = 16 << 20;
const MAX_SCAN_DEPTH = 8;

/** Every regular file under `dir` changed since `since`, with its text, skipping what cannot be read. */
export async function* changedFiles(dir: string, since: number, depth = 0): AsyncGenerator<[string, Buffer]> {
  if (depth > MAX_SCAN_DEPTH) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* changedFiles(path, since, depth + 1);
    } else if (entry.isFile()) {
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtimeMs < since || info.size > MAX_SCANNED_BYTES) continue;
      const bytes = await readFile(path).catch(() => undefined);
      if (bytes) yield [path, bytes];
    }
  }
}

/**
 * Where any of `secrets` appears: in what Berth said (`said`: console lines, answers, errors, stream events),
 * or in a file under `roots` changed since `since`. `scanned` counts the files read, so a test can show the
 * search really looked.
 */
export async function findLeaks(
  secrets: string[],
  said: string[],
  roots: string[],
  since: number,
): Promise<{ leaks: string[]; scanned: number }> {
  const leaks: string[] = [];
  const text = said.join('\n');
  for (const secret of secrets) if (text.includes(secret)) leaks.push('logs, answers, errors or events');
  let scanned = 0;
  for (const root of roots) {
    for await (const [path, bytes] of changedFiles(root, since)) {
      scanned += 1;
      for (const secret of secrets) if (bytes.includes(secret)) leaks.push(path);
    }
  }
  return { leaks, scanned };
}

/** Copies every console line into `said` (and still prints it); vi.restoreAllMocks() undoes it. */
export function captureConsole(said: string[]): void {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      said.push(args.map(String).join(' '));
      original(...args);
    });
  }
}

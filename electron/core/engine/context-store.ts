/**
 * The docker CLI's context store, read-only: ~/.docker/config.json (`currentContext`) and
 * <configdir>/contexts/meta/<sha256(name)>/meta.json, with TLS files under contexts/tls/<sha256(name)>/docker/.
 * Switching context is in-process only (config.json is never touched); new contexts are written by
 * context-writer.ts in this same format.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A context as stored by `docker context create`. */
export interface StoredContext {
  name: string;
  description?: string;
  /** Endpoints.docker.Host, e.g. tcp://10.0.0.2:2376 */
  host: string;
  skipTlsVerify: boolean;
  /** contexts/tls/<sha256>/docker when it exists */
  tlsDir?: string;
  /** Berth's own Metadata.BerthIdentityFile: the private key for an ssh:// context */
  identityFile?: string;
}

type Env = Record<string, string | undefined>;

/** The docker config folder: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: Env = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

export const contextKey = (name: string): string => createHash('sha256').update(name).digest('hex');

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `currentContext` from config.json, or undefined. */
export function configuredContext(configDir: string): string | undefined {
  const config = readJson(join(configDir, 'config.json')) as { currentContext?: unknown } | undefined;
  return typeof config?.currentContext === 'string' && config.currentContext ? config.currentContext : undefined;
}

interface MetaFile {
  Name?: unknown;
  Metadata?: { Description?: unknown; BerthIdentityFile?: unknown };
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
}

function toStoredContext(configDir: string, meta: MetaFile): StoredContext | undefined {
  const name = meta.Name;
  const host = meta.Endpoints?.docker?.Host;
  if (typeof name !== 'string' || typeof host !== 'string') return undefined;
  const tlsDir = join(configDir, 'contexts', 'tls', contextKey(name), 'docker');
  const description = meta.Metadata?.Description;
  const identityFile = meta.Metadata?.BerthIdentityFile;
  return {
    name,
    host,
    skipTlsVerify: meta.Endpoints?.docker?.SkipTLSVerify === true,
    ...(typeof description === 'string' && description && { description }),
    ...(existsSync(tlsDir) && { tlsDir }),
    ...(typeof identityFile === 'string' && identityFile.startsWith('/') && { identityFile }),
  };
}

/** One stored context by name, or undefined when there is no such context. */
export function readContext(configDir: string, name: string): StoredContext | undefined {
  const meta = readJson(join(configDir, 'contexts', 'meta', contextKey(name), 'meta.json'));
  return meta ? toStoredContext(configDir, meta as MetaFile) : undefined;
}

/** Every stored context (not including "default"), sorted by name. */
export function storedContexts(configDir: string): StoredContext[] {
  const metaDir = join(configDir, 'contexts', 'meta');
  let keys: string[];
  try {
    keys = readdirSync(metaDir);
  } catch {
    return [];
  }
  return keys
    .map((key) => readJson(join(metaDir, key, 'meta.json')) as MetaFile | undefined)
    .map((meta) => (meta ? toStoredContext(configDir, meta) : undefined))
    .filter((c): c is StoredContext => c !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The docker CLI's config.json, read the way the CLI reads it: `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json`. Only the login parts matter here:
 * - `auths`: registry → `{ auth: base64("user:password") }` or `{ username, identitytoken }`; an empty
 *   object is what the CLI leaves when the secret went to a helper;
 * - `credsStore`: the helper for every registry (`desktop`, `pass`, `osxkeychain`, ...);
 * - `credHelpers`: registry → helper, overriding `credsStore` for that registry.
 * Berth reads this file and never writes it (writing it would put secrets on disk in plain text).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BerthError, normalizeRegistry } from '../../contract';

/** A config.json larger than this is not a docker CLI config. */
const MAX_CONFIG_BYTES = 1 << 20;
/** What a helper's name may be: it becomes part of a program name, so no path separators. */
export const HELPER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;

export interface FileLogin {
  registry: string;
  username: string;
  /** Empty when the login is an identity token. */
  password: string;
  identityToken?: string;
}

export interface DockerConfig {
  path: string;
  /** Logins kept in the file itself, by normalised registry. */
  auths: Map<string, FileLogin>;
  credsStore: string | null;
  /** Normalised registry → helper name. */
  credHelpers: Map<string, string>;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const dir = env.DOCKER_CONFIG?.trim() ? env.DOCKER_CONFIG : join(home, '.docker');
  return join(dir, 'config.json');
}

const configProblem = (path: string, why: string): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    `The docker CLI config ${path} cannot be read: ${why}.`,
    `Fix or remove ${path} (or point DOCKER_CONFIG at another folder); Berth only reads it, and ignores it until then.`,
  );

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** One `auths` entry as a login, or undefined when it holds none (e.g. `{}` left beside a helper). */
function fileLogin(registry: string, entry: Record<string, unknown>): FileLogin | undefined {
  const identityToken = typeof entry.identitytoken === 'string' ? entry.identitytoken : '';
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (identityToken) return { registry, username, password: '', identityToken };
  if (username && password) return { registry, username, password };
  return undefined;
}

/** Parses config.json text; `path` only names the file in errors. */
export function parseDockerConfig(text: string, path: string): DockerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw configProblem(path, 'it is not JSON');
  }
  const top = record(raw);
  const auths = new Map<string, FileLogin>();
  for (const [key, value] of Object.entries(record(top.auths))) {
    const registry = normalizeRegistry(key);
    const login = registry ? fileLogin(registry, record(value)) : undefined;
    if (login) auths.set(registry, login);
  }
  const credHelpers = new Map<string, string>();
  for (const [key, value] of Object.entries(record(top.credHelpers))) {
    if (typeof value === 'string' && HELPER_NAME.test(value)) credHelpers.set(normalizeRegistry(key), value);
  }
  const store = typeof top.credsStore === 'string' && HELPER_NAME.test(top.credsStore) ? top.credsStore : null;
  return { path, auths, credsStore: store, credHelpers };
}

/** Reads the config; a missing file is an empty config, a damaged one an INVALID_INPUT error. */
export async function readDockerConfig(path: string): Promise<DockerConfig> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) throw configProblem(path, `it is larger than ${MAX_CONFIG_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof BerthError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return { path, auths: new Map(), credsStore: null, credHelpers: new Map() };
    throw configProblem(path, code ?? 'unreadable');
  }
  return parseDockerConfig(text, path);
}

/** The helper that holds logins for `registry`: its `credHelpers` entry, else `credsStore`, else none. */
export function helperFor(config: DockerConfig, registry: string): string | null {
  return config.credHelpers.get(normalizeRegistry(registry)) ?? config.credsStore;
}

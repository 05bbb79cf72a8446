/** Checking registry credentials through the engine (POST /auth), and remembering them. */
import { BerthError, isRegistryHost, normalizeRegistry, type SecretKeeping } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { loginAddressFor } from '../engine/podman';
import type { RegistryCredentials } from './credentials';
import { authConfigFor } from './credentials';
import { loginFailure } from './failures';

/** Asks the engine to log in to the registry; resolves with its message ("Login Succeeded"). */
export async function checkCredentials(
  engine: EngineHandle,
  credentials: RegistryCredentials,
): Promise<{ message: string }> {
  const { docker, endpoint } = engine;
  requireRegistryHost(credentials.registry);
  const registry = normalizeRegistry(credentials.registry);
  try {
    const auth = authConfigFor(credentials);
    if (auth.serveraddress) auth.serveraddress = await loginAddressFor(engine, auth.serveraddress);
    const answer = (await docker.checkAuth(auth)) as { Status?: string } | undefined;
    return { message: answer?.Status || 'Login Succeeded' };
  } catch (error) {
    throw loginFailure(error, registry, credentials.username, endpoint);
  }
}

/**
 * INVALID_INPUT unless `registry` names a registry host. Anything else (a file:// URL, blanks) used to
 * normalise to an empty name, and the engine then logged in to Docker Hub instead: never fall back silently.
 */
export function requireRegistryHost(registry: string): void {
  if (isRegistryHost(registry) && normalizeRegistry(registry) !== '') return;
  throw new BerthError(
    'INVALID_INPUT',
    `${JSON.stringify(registry.slice(0, 200))} is not a registry host, so Berth did not log in anywhere.`,
    'Give the registry as host[:port] (e.g. 127.0.0.1:5000 or registry.example.com), or docker.io for Docker Hub.',
    { registry: ['not a registry host'] },
  );
}

/** Where a checked login is remembered: RegistryLogins says where it went (helper, keychain or memory). */
export interface LoginSaver {
  save(credentials: RegistryCredentials): Promise<{ keeping: SecretKeeping; helper: string | null }>;
}

/** The 'registry.login' procedure: check, then save when asked to remember, saying where it was kept. */
export async function login(
  engine: EngineHandle,
  store: LoginSaver,
  input: RegistryCredentials & { remember?: boolean },
): Promise<{ message: string; keeping?: SecretKeeping; helper?: string | null }> {
  const { remember = false, ...credentials } = input;
  const result = await checkCredentials(engine, credentials);
  if (!remember) return result;
  const kept = await store.save(credentials).catch((error: unknown) => {
    const cause = error instanceof BerthError ? error : undefined;
    throw new BerthError(
      cause?.code ?? 'INTERNAL',
      `The login to ${normalizeRegistry(credentials.registry)} succeeded, but it could not be remembered: ${cause?.message ?? String(error)}`,
      cause?.fix ?? 'Log in again without "Remember", or fix where Berth keeps secrets.',
    );
  });
  return { ...result, ...kept };
}

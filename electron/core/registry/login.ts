/** Checking registry credentials through the engine (POST /auth), and remembering them. */
import { normalizeRegistry } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import type { CredentialStore, RegistryCredentials } from './credentials';
import { authConfigFor } from './credentials';
import { loginFailure } from './failures';

/** Asks the engine to log in to the registry; resolves with its message ("Login Succeeded"). */
export async function checkCredentials(
  { docker, endpoint }: EngineHandle,
  credentials: RegistryCredentials,
): Promise<{ message: string }> {
  const registry = normalizeRegistry(credentials.registry);
  try {
    const answer = (await docker.checkAuth(authConfigFor(credentials))) as { Status?: string } | undefined;
    return { message: answer?.Status || 'Login Succeeded' };
  } catch (error) {
    throw loginFailure(error, registry, credentials.username, endpoint);
  }
}

/** The 'registry.login' procedure: check, then save when asked to remember. */
export async function login(
  engine: EngineHandle,
  store: CredentialStore,
  input: RegistryCredentials & { remember?: boolean },
): Promise<{ message: string }> {
  const { remember = false, ...credentials } = input;
  const result = await checkCredentials(engine, credentials);
  if (remember) await store.save(credentials);
  return result;
}

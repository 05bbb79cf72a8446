/** Checking registry credentials through the engine (POST /auth), and remembering them. */
import type Dockerode from 'dockerode';
import { normalizeRegistry } from '../../contract';
import type { CredentialStore, RegistryCredentials } from './credentials';
import { authConfigFor } from './credentials';
import { loginFailure } from './failures';

const DEFAULT_ENDPOINT = 'the local Docker engine';

/** Asks the engine to log in to the registry; resolves with its message ("Login Succeeded"). */
export async function checkCredentials(
  docker: Dockerode,
  credentials: RegistryCredentials,
  endpoint = DEFAULT_ENDPOINT,
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
  docker: Dockerode,
  store: CredentialStore,
  input: RegistryCredentials & { remember?: boolean },
  endpoint = DEFAULT_ENDPOINT,
): Promise<{ message: string }> {
  const { remember = false, ...credentials } = input;
  const result = await checkCredentials(docker, credentials, endpoint);
  if (remember) await store.save(credentials);
  return result;
}

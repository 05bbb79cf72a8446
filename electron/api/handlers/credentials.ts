import { checkNamespace, registryHost } from '../../contract';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type CredentialHandlers = Pick<Handlers, 'registry.logins' | 'registry.logout' | 'registry.namespace'>;

export function credentialHandlers({ logins }: Services): CredentialHandlers {
  return {
    'registry.logins': () => logins.list(),
    'registry.logout': async ({ registry }) => {
      await logins.remove(registry);
      return { ok: true };
    },
    'registry.namespace': async ({ target }) => {
      // Only the user name leaves this handler; the secret that came with the login is dropped here.
      const login = await logins.load(registryHost(target));
      return checkNamespace(target, login?.username || null);
    },
  };
}

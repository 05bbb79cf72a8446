import { login, startPush } from '../../core/registry';
import type { Handlers } from '../handler-types';
import { engineNow, type Services } from '../services';

type RegistryHandlers = Pick<Handlers, 'registry.login' | 'registry.saved' | 'push.start'>;

export function registryHandlers({ engine, credentials, logins, pushes }: Services): RegistryHandlers {
  return {
    'registry.login': (input) => login(engine, logins, input),
    'registry.saved': () => credentials.saved(),
    'push.start': async (request) => ({
      pushId: pushes.add(startPush({ engine: engineNow(engine), request, store: logins })),
    }),
  };
}

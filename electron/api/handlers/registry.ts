import { login } from '../../core/registry';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type RegistryHandlers = Pick<Handlers, 'registry.login' | 'registry.saved' | 'push.start' | 'push.get'>;

export function registryHandlers({ engine, credentials, pushes }: Services): RegistryHandlers {
  return {
    'registry.login': (input) => login(engine.docker, credentials, input, engine.endpoint),
    'registry.saved': () => credentials.saved(),
    'push.start': async (request) => ({ pushId: pushes().start(request) }),
    'push.get': async ({ pushId }) => pushes().get(pushId),
  };
}

import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type BuildHandlers = Pick<Handlers, 'build.start' | 'build.cancel' | 'build.get' | 'build.records'>;

export function buildHandlers({ builds }: Services): BuildHandlers {
  return {
    'build.start': async (request) => ({ buildId: await builds().start(request) }),
    'build.cancel': async ({ buildId }) => {
      builds().cancel(buildId);
      return { ok: true as const };
    },
    'build.get': async ({ buildId }) => builds().get(buildId),
    'build.records': () => builds().records(),
  };
}

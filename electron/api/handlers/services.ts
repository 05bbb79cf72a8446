import {
  deployService,
  listServices,
  removeService,
  scaleService,
  swarmStatus,
} from '../../core/deploy/swarm-services';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type ServiceHandlers = Pick<
  Handlers,
  'services.status' | 'services.list' | 'services.deploy' | 'services.scale' | 'services.remove'
>;

/** Swarm services: the Services view, deploy, scale, remove (core/deploy/swarm-services.ts; service logs are a stream, service-logs.ts). */
export function serviceHandlers({ engine }: Services): ServiceHandlers {
  return {
    'services.status': () => swarmStatus(engine),
    'services.list': () => listServices(engine),
    'services.deploy': (request) => deployService(engine, request),
    'services.scale': ({ ref, replicas }) => scaleService(engine, ref, replicas),
    'services.remove': async ({ ref }) => {
      await removeService(engine, ref);
      return { ok: true };
    },
  };
}

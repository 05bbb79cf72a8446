import type { LogLine } from '../../contract';
import {
  deployService,
  listServices,
  readServiceLogs,
  removeService,
  scaleService,
  swarmStatus,
} from '../../core/deploy/swarm-services';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type ServiceHandlers = Pick<
  Handlers,
  'services.status' | 'services.list' | 'services.deploy' | 'services.scale' | 'services.remove' | 'services.logs'
>;

/** Swarm services: the Services view, deploy, scale and service logs (core/deploy/swarm-services.ts). */
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
    'services.logs': async ({ ref, tail }) => {
      const lines: LogLine[] = [];
      await readServiceLogs(engine, ref, { deliver: (e) => e.kind === 'lines' && lines.push(...e.lines) }, { tail });
      return { lines };
    },
  };
}

import {
  listContainers,
  recreateContainer,
  removeContainer,
  restartContainer,
  runContainer,
  startContainer,
  stopContainer,
  suggestFreePort,
} from '../../core/containers';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type ContainerHandlers = Pick<
  Handlers,
  | 'containers.list'
  | 'containers.start'
  | 'containers.stop'
  | 'containers.restart'
  | 'containers.remove'
  | 'containers.run'
  | 'containers.recreate'
  | 'ports.suggest'
>;

export function containerHandlers({ engine }: Services): ContainerHandlers {
  return {
    'containers.list': () => listContainers(engine),
    'containers.start': ({ id }) => startContainer(engine, id),
    'containers.stop': ({ id }) => stopContainer(engine, id),
    'containers.restart': ({ id }) => restartContainer(engine, id),
    'containers.remove': ({ id, force }) => removeContainer(engine, id, { force }),
    'containers.run': (spec) => runContainer(engine, spec),
    'containers.recreate': ({ id }) => recreateContainer(engine, id),
    'ports.suggest': async ({ preferred, hostIp }) => ({ port: await suggestFreePort(engine, preferred, hostIp) }),
  };
}

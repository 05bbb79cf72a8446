import type Dockerode from 'dockerode';
import type { ContainerSummary, RunSpec } from '../../contract';
import { BerthError } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { engineMessage, toBerthError } from '../errors';
import { createOptions } from './container-config';
import { containerSummary } from './container-list';
import { nameTaken, portTaken, requireImage, requireNameFree, requirePortsFree } from './run-checks';
import { checkRunSpec } from './run-spec-check';

/**
 * Creates and starts a container from run settings. Everything that can be checked is checked before
 * anything is created (settings, image present, name free, host ports free); if starting fails anyway
 * (a port taken in the meantime, a bad command), the new container is removed, so nothing is left behind.
 */
export async function runContainer(connection: EngineHandle, input: unknown): Promise<ContainerSummary> {
  const spec = checkRunSpec(input);
  await requireImage(connection, spec.image);
  if (spec.name) await requireNameFree(connection, spec.name);
  await requirePortsFree(connection, spec);

  let container: Dockerode.Container;
  try {
    container = await connection.docker.createContainer(createOptions(spec, connection.labels));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 409 && spec.name) throw nameTaken(spec.name);
    throw toBerthError(error, connection.endpoint, `image "${spec.image}"`);
  }
  try {
    await container.start();
  } catch (error) {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    throw await startFailure(connection, spec, error);
  }
  return containerSummary(connection, container.id);
}

async function startFailure(connection: EngineHandle, spec: RunSpec, error: unknown): Promise<BerthError> {
  const detail = engineMessage(error);
  if (/port is already allocated|address already in use/i.test(detail)) {
    const i = Math.max(
      0,
      spec.ports.findIndex((p) => detail.includes(`:${p.hostPort}`)),
    );
    const port = spec.ports[i];
    if (port)
      return portTaken(connection, port, `ports[${i}].hostPort`, `taken (it was claimed while starting: ${detail})`);
  }
  const base = toBerthError(error, connection.endpoint, 'container');
  if (base.code === 'ENGINE_UNREACHABLE') return base;
  const notFound = /executable file not found|no such file or directory/i.test(detail);
  return new BerthError(
    base.code === 'NOT_FOUND' ? 'INVALID_INPUT' : base.code,
    `The container could not start, so it was removed: ${detail}`,
    notFound
      ? 'Check the command: the program it names does not exist in the image.'
      : 'Check the command, volumes and ports, then run it again.',
  );
}

import { BerthError } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';

type Ok = { ok: true };
const OK: Ok = { ok: true };

/** Starts a container; starting a running one is not an error. */
export async function startContainer({ docker, endpoint }: EngineHandle, id: string): Promise<Ok> {
  try {
    await docker.getContainer(id).start();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 304) throw toBerthError(error, endpoint, `container "${id}"`);
  }
  return OK;
}

/** Stops a container (SIGTERM, then SIGKILL after `timeoutSeconds`); stopping a stopped one is not an error. */
export async function stopContainer({ docker, endpoint }: EngineHandle, id: string, timeoutSeconds = 10): Promise<Ok> {
  try {
    await docker.getContainer(id).stop({ t: timeoutSeconds });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 304) throw toBerthError(error, endpoint, `container "${id}"`);
  }
  return OK;
}

export async function restartContainer(
  { docker, endpoint }: EngineHandle,
  id: string,
  timeoutSeconds = 10,
): Promise<Ok> {
  try {
    await docker.getContainer(id).restart({ t: timeoutSeconds });
  } catch (error) {
    throw toBerthError(error, endpoint, `container "${id}"`);
  }
  return OK;
}

/** Removes a container and its anonymous volumes; `force` also removes a running one. */
export async function removeContainer(
  { docker, endpoint }: EngineHandle,
  id: string,
  options: { force?: boolean } = {},
): Promise<Ok> {
  try {
    await docker.getContainer(id).remove({ force: options.force ?? false, v: true });
  } catch (error) {
    const berth = toBerthError(error, endpoint, `container "${id}"`);
    if (berth.code !== 'CONFLICT') throw berth;
    throw new BerthError(
      'CONFLICT',
      `Container "${id}" was not removed: ${berth.message}`,
      'Stop it first, or remove it with force.',
    );
  }
  return OK;
}

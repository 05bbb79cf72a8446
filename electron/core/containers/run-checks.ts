import type { RunSpec } from '../../contract';
import { BerthError } from '../../contract';
import { type EngineHandle, engineIsLocal } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { hostIpUnavailable, probeHostPort, publishedHolder, publishedPorts, suggestFreePort } from './host-ports';

/** NOT_FOUND unless the image is on this engine: Berth never pulls implicitly. */
export async function requireImage({ docker, endpoint }: EngineHandle, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw toBerthError(error, endpoint, `image "${image}"`);
    throw new BerthError(
      'NOT_FOUND',
      `Image "${image}" is not on this engine, so no container can be made from it.`,
      `Build it or pull it first (e.g. docker pull ${image}), then run again.`,
      { image: ['image not found on this engine'] },
    );
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** CONFLICT when a container already has this name. */
export async function requireNameFree({ docker, endpoint }: EngineHandle, name: string): Promise<void> {
  let taken: boolean;
  try {
    const same = await docker.listContainers({ all: true, filters: { name: [`^/${escapeRegExp(name)}$`] } });
    taken = same.length > 0;
  } catch (error) {
    throw toBerthError(error, endpoint, 'containers');
  }
  if (taken) throw nameTaken(name);
}

export function nameTaken(name: string): BerthError {
  return new BerthError(
    'CONFLICT',
    `A container named "${name}" already exists.`,
    'Choose another name, or remove (or recreate) the existing container.',
    { name: ['name already in use'] },
  );
}

/**
 * PORT_TAKEN when a host port is published by a running container or, for a local engine, cannot be bound
 * on its host IP right now. The fix names a free port to use instead. Runs before anything is created.
 */
export async function requirePortsFree(connection: EngineHandle, spec: RunSpec): Promise<void> {
  const published = await publishedPorts(connection);
  const local = engineIsLocal(connection.endpoint);
  const seen = new Set<string>();
  for (const [i, port] of spec.ports.entries()) {
    const field = `ports[${i}].hostPort`;
    const key = `${port.hostIp}:${port.hostPort}/${port.protocol}`;
    if (seen.has(key)) {
      throw new BerthError(
        'INVALID_INPUT',
        `Host port ${port.hostPort} on ${port.hostIp} is listed twice.`,
        `Give ${field} another port.`,
        {
          [field]: ['listed twice'],
        },
      );
    }
    seen.add(key);
    const holder = publishedHolder(published, port.hostIp, port.hostPort, port.protocol);
    let by = holder ? `published by container "${holder.container}"` : null;
    if (!by && local) {
      const probe = await probeHostPort(port.hostIp, port.hostPort, port.protocol);
      if (probe === 'unavailable-address') throw hostIpUnavailable(port.hostIp);
      if (probe === 'taken') by = 'in use by another program on this machine';
    }
    if (by) throw await portTaken(connection, port, field, by);
  }
}

export async function portTaken(
  connection: EngineHandle,
  port: RunSpec['ports'][number],
  field: string,
  by: string,
): Promise<BerthError> {
  const free = await suggestFreePort(connection, port.hostPort + 1, port.hostIp, port.protocol).catch(() => null);
  return new BerthError(
    'PORT_TAKEN',
    `Host port ${port.hostPort} on ${port.hostIp} is already ${by}.`,
    free
      ? `Use host port ${free} instead (free now), or stop what holds port ${port.hostPort}.`
      : `Stop what holds port ${port.hostPort}, or choose another host port.`,
    { [field]: [`port ${port.hostPort} is taken`] },
  );
}

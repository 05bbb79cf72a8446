import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { BerthError, isIp, type PortBinding } from '../../contract';
import { type EngineHandle, engineIsLocal } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { portsFromList } from './container-view';

type Protocol = 'tcp' | 'udp';

/** A host port published by a running container. */
export interface PublishedPort extends PortBinding {
  container: string;
}

/** Every host port that running containers publish. */
export async function publishedPorts({ docker, endpoint }: EngineHandle): Promise<PublishedPort[]> {
  try {
    const entries = await docker.listContainers({ all: false });
    return entries.flatMap((entry) =>
      portsFromList(entry.Ports ?? []).map((p) => ({
        ...p,
        container: (entry.Names[0] ?? entry.Id).replace(/^\//, ''),
      })),
    );
  } catch (error) {
    throw toBerthError(error, endpoint, 'containers');
  }
}

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

/** Two host IPs clash when they are the same or either one means "all addresses". */
function addressesOverlap(a: string, b: string): boolean {
  return a === b || ANY_ADDRESS.has(a) || ANY_ADDRESS.has(b);
}

export function publishedHolder(
  published: PublishedPort[],
  hostIp: string,
  hostPort: number,
  protocol: Protocol,
): PublishedPort | undefined {
  return published.find(
    (p) => p.hostPort === hostPort && p.protocol === protocol && addressesOverlap(p.hostIp, hostIp),
  );
}

/**
 * Whether `hostIp:port` can be bound on this machine right now, found by binding it for a moment.
 * 'unavailable-address' when the host IP is not an address of this machine.
 */
export function probeHostPort(
  hostIp: string,
  port: number,
  protocol: Protocol = 'tcp',
): Promise<'free' | 'taken' | 'unavailable-address'> {
  return new Promise((resolve) => {
    const verdict = (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRNOTAVAIL' ? 'unavailable-address' : 'taken');
    if (protocol === 'udp') {
      const socket = createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', (error) => {
        socket.close();
        verdict(error);
      });
      socket.bind(port, hostIp, () => socket.close(() => resolve('free')));
      return;
    }
    const server = createServer();
    server.once('error', verdict);
    server.listen({ port, host: hostIp, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** A port the OS picks as free on `hostIp`. */
function ephemeralPort(hostIp: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: hostIp }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A host port free both on this machine and among containers' published ports: `preferred` when it is free,
 * else the nearest free one above it (up to 100 further), else one the OS picks.
 */
export async function suggestFreePort(
  connection: EngineHandle,
  preferred?: number,
  hostIp = '127.0.0.1',
  protocol: Protocol = 'tcp',
): Promise<number> {
  requireIp(hostIp);
  const published = await publishedPorts(connection);
  const local = engineIsLocal(connection.endpoint);
  if (local && (await probeHostPort(hostIp, 0, protocol)) === 'unavailable-address') throw hostIpUnavailable(hostIp);
  const isFree = async (port: number) =>
    !publishedHolder(published, hostIp, port, protocol) &&
    (!local || (await probeHostPort(hostIp, port, protocol)) === 'free');
  if (preferred !== undefined) {
    for (let port = preferred; port <= Math.min(65535, preferred + 100); port++) {
      if (port >= 1 && (await isFree(port))) return port;
    }
  }
  const probeIp = local ? hostIp : '127.0.0.1';
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await ephemeralPort(probeIp);
    if (await isFree(port)) return port;
  }
  throw new BerthError(
    'PORT_TAKEN',
    `No free host port found on ${hostIp}.`,
    'Stop containers or programs you no longer need.',
  );
}

/**
 * INVALID_INPUT unless `hostIp` is an IP address written out: a host name would be looked up in DNS when
 * the port is probed, and "" would mean every address.
 */
export function requireIp(hostIp: string): void {
  if (isIp(hostIp)) return;
  throw new BerthError(
    'INVALID_INPUT',
    `${JSON.stringify(hostIp.slice(0, 100))} is not an IP address, so no port can be published on it.`,
    'Use 127.0.0.1 (this machine only) or 0.0.0.0 (all addresses).',
    { hostIp: ['not an IP address'] },
  );
}

export function hostIpUnavailable(hostIp: string): BerthError {
  return new BerthError(
    'INVALID_INPUT',
    `Host IP ${hostIp} is not an address of this machine, so no port can be published on it.`,
    'Use 127.0.0.1 (this machine only) or 0.0.0.0 (all addresses).',
  );
}

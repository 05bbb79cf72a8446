/**
 * Turns an EngineEndpoint into a dockerode client: unix socket, named pipe, tcp (plain or TLS, with
 * ca.pem/cert.pem/key.pem) or ssh. Every connection option is given explicitly, so dockerode's own
 * reading of process.env.DOCKER_HOST never overrides the endpoint Berth resolved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { BerthError } from '../../contract';
import type { EngineEndpoint } from './endpoint';
import { guardEngineRequests } from './request-guard';

type Env = Record<string, string | undefined>;

function badHost(host: string, why: string): BerthError {
  return new BerthError(
    'INVALID_INPUT',
    `The engine address "${host}" is not usable: ${why}.`,
    'Use unix:///var/run/docker.sock, tcp://host:2375, tcp://host:2376 with TLS, or ssh://user@host.',
  );
}

function readTlsFile(dir: string, file: string): Buffer | undefined {
  const path = join(dir, file);
  if (!dir || !existsSync(path)) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new BerthError(
      'INVALID_INPUT',
      `Cannot read ${path}: ${(error as Error).message}`,
      'Check DOCKER_CERT_PATH or the context TLS files.',
    );
  }
}

/** The dockerode options for an endpoint; TLS files are read here. */
export function dockerOptions(endpoint: EngineEndpoint, env: Env = process.env): Dockerode.DockerOptions {
  const none: Dockerode.DockerOptions = {
    host: undefined,
    port: undefined,
    socketPath: undefined,
    username: undefined,
    protocol: 'http',
    ca: undefined,
    cert: undefined,
    key: undefined,
  };
  const raw = endpoint.host.includes('://') ? endpoint.host : `tcp://${endpoint.host}`;
  const scheme = raw.slice(0, raw.indexOf('://'));
  if (scheme === 'unix' || scheme === 'npipe') {
    const path = raw.slice(scheme.length + 3);
    if (!path) throw badHost(endpoint.host, 'the socket path is missing');
    return { ...none, socketPath: path };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badHost(endpoint.host, 'it is not a valid URL');
  }
  if (!url.hostname) throw badHost(endpoint.host, 'the host name is missing');
  if (scheme === 'ssh') {
    return {
      ...none,
      protocol: 'ssh',
      host: url.hostname,
      port: url.port || 22,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      sshOptions: { ...(env.SSH_AUTH_SOCK && { agent: env.SSH_AUTH_SOCK }) },
    };
  }
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw badHost(endpoint.host, `the scheme "${scheme}" is not supported`);
  }
  const tls = endpoint.tls ?? (scheme === 'https' ? { certDir: '', verify: true } : undefined);
  if (!tls) {
    return { ...none, protocol: 'http', host: url.hostname, port: url.port || 2375 };
  }
  const ca = readTlsFile(tls.certDir, 'ca.pem');
  const cert = readTlsFile(tls.certDir, 'cert.pem');
  const key = readTlsFile(tls.certDir, 'key.pem');
  return {
    ...none,
    protocol: 'https',
    host: url.hostname,
    port: url.port || 2376,
    ca,
    cert,
    key,
    // dockerode has no option to skip verification; an agent carries it (and the same material).
    agent: new Agent({ ca, cert, key, rejectUnauthorized: tls.verify }),
  } as Dockerode.DockerOptions;
}

/** A dockerode client for the endpoint; it refuses unclean request paths and never follows a redirect. */
export function dockerClient(endpoint: EngineEndpoint, env: Env = process.env): Dockerode {
  return guardEngineRequests(new Dockerode(dockerOptions(endpoint, env)));
}

/**
 * Turns an EngineEndpoint into a dockerode client: unix socket, named pipe, tcp (plain or TLS, with
 * ca.pem/cert.pem/key.pem) or ssh. Every connection option is given explicitly, so dockerode's own
 * reading of process.env.DOCKER_HOST never overrides the endpoint Berth resolved.
 */
import { existsSync } from 'node:fs';
import { Agent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { BerthError } from '../../contract';
import { readPemFile } from './context-writer';
import type { EngineEndpoint } from './endpoint';
import { hostKeyAlgorithms, hostKeyVerifier, knownHostsFiles } from './known-hosts';
import { guardEngineRequests } from './request-guard';
import { SshEngineAgent, ssh2Opener } from './ssh-agent';

type Env = Record<string, string | undefined>;

function badHost(host: string, why: string): BerthError {
  return new BerthError(
    'INVALID_INPUT',
    `The engine address "${host}" is not usable: ${why}.`,
    'Use unix:///var/run/docker.sock, tcp://host:2375, tcp://host:2376 with TLS, or ssh://user@host.',
  );
}

/** The TLS material in `dir`; each file present is checked (readable, PEM), and the CA is required to verify. */
function tlsMaterial(dir: string, verify: boolean): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const file = (name: string) => join(dir, name);
  const present = (name: string) => Boolean(dir) && existsSync(file(name));
  if (verify && !present('ca.pem')) {
    throw new BerthError(
      'INVALID_INPUT',
      `The CA certificate ${dir ? file('ca.pem') : 'ca.pem'} is missing, so the engine cannot be verified.`,
      'Put the CA that signed the engine certificate there (DOCKER_CERT_PATH, or the context TLS folder).',
      { ca: ['missing'] },
    );
  }
  if (present('cert.pem') !== present('key.pem')) {
    const missing = present('cert.pem') ? 'key.pem' : 'cert.pem';
    throw new BerthError(
      'INVALID_INPUT',
      `${file(missing)} is missing: a client certificate needs both cert.pem and key.pem.`,
      `Put the matching ${missing} in ${dir}.`,
      { [missing.replace('.pem', '')]: ['missing'] },
    );
  }
  return {
    ...(present('ca.pem') && { ca: readPemFile('ca', file('ca.pem'), 'certificate') }),
    ...(present('cert.pem') && { cert: readPemFile('cert', file('cert.pem'), 'certificate') }),
    ...(present('key.pem') && { key: readPemFile('key', file('key.pem'), 'private key') }),
  };
}

/** How to log in over SSH: the context's key, else the agent, else the first default key in ~/.ssh. */
function sshAuth(endpoint: EngineEndpoint, env: Env): { agent?: string; privateKey?: Buffer } {
  if (endpoint.identityFile) return { privateKey: readPemFile('identityFile', endpoint.identityFile, 'private key') };
  if (env.SSH_AUTH_SOCK) return { agent: env.SSH_AUTH_SOCK };
  const home = env.HOME || homedir();
  const fallback = DEFAULT_SSH_KEYS.map((k) => join(home, '.ssh', k)).find((p) => existsSync(p));
  return fallback ? { privateKey: readPemFile('identityFile', fallback, 'private key') } : {};
}

const DEFAULT_SSH_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** How long the SSH handshake may take before the host counts as unreachable. */
const SSH_READY_TIMEOUT_MS = 10_000;
/** ssh2 keepalives on the shared SSH connection: a connection silent for 3 of them counts as dropped. */
const SSH_KEEPALIVE_MS = 5_000;
const SSH_KEEPALIVE_COUNT = 3;

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
    const port = Number(url.port || 22);
    const algorithms = hostKeyAlgorithms(url.hostname, port, knownHostsFiles(env));
    return {
      ...none,
      protocol: 'ssh',
      host: url.hostname,
      port,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      sshOptions: {
        ...sshAuth(endpoint, env),
        readyTimeout: SSH_READY_TIMEOUT_MS,
        // ssh2 trusts any host key unless told otherwise: check it against known_hosts, as ssh does.
        hostVerifier: hostKeyVerifier(endpoint, url.hostname, port, knownHostsFiles(env)),
        ...(algorithms && { algorithms: { serverHostKey: algorithms as ServerHostKeyAlgorithm[] } }),
      },
    };
  }
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw badHost(endpoint.host, `the scheme "${scheme}" is not supported`);
  }
  const tls = endpoint.tls ?? (scheme === 'https' ? { certDir: '', verify: true } : undefined);
  if (!tls) {
    return { ...none, protocol: 'http', host: url.hostname, port: url.port || 2375 };
  }
  const { ca, cert, key } = tlsMaterial(tls.certDir, tls.verify);
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

/**
 * The options of an ssh:// endpoint as plain http through Berth's own agent: one shared SSH connection, a
 * `docker system dial-stdio` channel per HTTP connection (ssh-agent.ts), instead of docker-modem's ssh
 * transport and its SSH connection per request.
 */
function sharedSshOptions(options: Dockerode.DockerOptions): Dockerode.DockerOptions {
  const config: ConnectConfig = {
    ...(options.sshOptions as ConnectConfig),
    host: options.host,
    port: Number(options.port),
    ...(options.username && { username: options.username }),
    keepaliveInterval: SSH_KEEPALIVE_MS,
    keepaliveCountMax: SSH_KEEPALIVE_COUNT,
  };
  const { sshOptions: _, ...rest } = options;
  return { ...rest, protocol: 'http', agent: new SshEngineAgent(ssh2Opener(config)) } as Dockerode.DockerOptions;
}

/** A dockerode client for the endpoint; it refuses unclean request paths and never follows a redirect. */
export function dockerClient(endpoint: EngineEndpoint, env: Env = process.env): Dockerode {
  const options = dockerOptions(endpoint, env);
  return guardEngineRequests(new Dockerode(options.protocol === 'ssh' ? sharedSshOptions(options) : options));
}

/** The shared SSH transport of a client made by dockerClient, if it is an ssh:// one. */
export function sshAgentOf(docker: Dockerode): SshEngineAgent | undefined {
  const agent = (docker.modem as { agent?: unknown }).agent;
  return agent instanceof SshEngineAgent ? agent : undefined;
}

/** Lets go of what a client holds open: the SSH connections of an ssh:// engine (and their sessions at sshd). */
export function closeDockerClient(docker: Dockerode): void {
  sshAgentOf(docker)?.destroy();
}

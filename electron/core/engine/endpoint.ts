/**
 * Which engine to talk to, resolved the way the docker CLI does:
 * a context chosen in Berth, then DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), then DOCKER_CONTEXT,
 * then `currentContext` in config.json, then the default unix socket.
 * Pure: the environment and the config folder are parameters.
 */
import { BerthError, type EngineContext } from '../../contract';
import { configuredContext, readContext, storedContexts } from './context-store';

export const DEFAULT_HOST = 'unix:///var/run/docker.sock';
export const DEFAULT_CONTEXT = 'default';

type Env = Record<string, string | undefined>;

/** Where the engine is and how to secure the connection; no files read yet. */
export interface EngineEndpoint {
  /** the docker context name; "default" when none */
  context: string;
  /** unix:///path, tcp://host:port, ssh://user@host, npipe:////./pipe/x */
  host: string;
  /** what decided it, for messages */
  source: 'chosen' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config.json' | 'default';
  /** set when the connection uses TLS: the folder holding ca.pem, cert.pem, key.pem */
  tls?: { certDir: string; verify: boolean };
  /** for ssh://: the private key file the context names (else the SSH agent, else ~/.ssh/id_*) */
  identityFile?: string;
}

/** The "default" context: DOCKER_HOST with its TLS variables, or the local socket. */
export function defaultEndpoint(env: Env, configDir: string): EngineEndpoint {
  const fromEnv = env.DOCKER_HOST?.trim();
  const host = fromEnv || DEFAULT_HOST;
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  const useTls = verify || Boolean(env.DOCKER_TLS);
  const isTcp = /^(tcp|https?):\/\//.test(host) || !host.includes('://');
  return {
    context: DEFAULT_CONTEXT,
    host,
    source: fromEnv ? 'DOCKER_HOST' : 'default',
    ...(useTls && isTcp && { tls: { certDir: env.DOCKER_CERT_PATH || configDir, verify } }),
  };
}

function missingContext(name: string, source: string): BerthError {
  return new BerthError(
    'NOT_FOUND',
    `The docker context "${name}" (from ${source}) does not exist.`,
    'Pick another context, create it with `docker context create`, or unset DOCKER_CONTEXT.',
  );
}

/** The endpoint of a named context; throws NOT_FOUND when it does not exist. */
export function contextEndpoint(
  env: Env,
  configDir: string,
  name: string,
  source: EngineEndpoint['source'],
): EngineEndpoint {
  if (name === DEFAULT_CONTEXT) return { ...defaultEndpoint(env, configDir), context: DEFAULT_CONTEXT };
  const stored = readContext(configDir, name);
  if (!stored) throw missingContext(name, source);
  const isTcp = /^(tcp|https?):\/\//.test(stored.host);
  return {
    context: name,
    host: stored.host,
    source,
    ...(isTcp &&
      (stored.tlsDir || stored.skipTlsVerify) && {
        tls: { certDir: stored.tlsDir ?? '', verify: !stored.skipTlsVerify },
      }),
    ...(stored.identityFile && stored.host.startsWith('ssh://') && { identityFile: stored.identityFile }),
  };
}

/** The endpoint the docker CLI would use with this environment, or `chosen` when Berth picked a context. */
export function resolveEndpoint(env: Env, configDir: string, chosen?: string): EngineEndpoint {
  if (chosen) return contextEndpoint(env, configDir, chosen, 'chosen');
  if (env.DOCKER_HOST?.trim()) return defaultEndpoint(env, configDir);
  if (env.DOCKER_CONTEXT) return contextEndpoint(env, configDir, env.DOCKER_CONTEXT, 'DOCKER_CONTEXT');
  const current = configuredContext(configDir);
  if (current) return contextEndpoint(env, configDir, current, 'config.json');
  return defaultEndpoint(env, configDir);
}

/** "default" plus every stored context, marking `current`. */
export function listContexts(env: Env, configDir: string, current: string): EngineContext[] {
  const fallback = defaultEndpoint(env, configDir);
  const defaults: EngineContext = {
    name: DEFAULT_CONTEXT,
    endpoint: fallback.host,
    description: fallback.source === 'DOCKER_HOST' ? 'The engine named by DOCKER_HOST' : 'The local engine',
    current: current === DEFAULT_CONTEXT,
  };
  const stored = storedContexts(configDir).map(
    (c): EngineContext => ({
      name: c.name,
      endpoint: c.host,
      ...(c.description !== undefined && { description: c.description }),
      current: c.name === current,
    }),
  );
  return [defaults, ...stored];
}

/**
 * Where an image reference lives: the registry host, the repository and the tag, the way the docker
 * CLI reads them (distribution/reference): a first path part is a host only when it has a `.` or a `:`
 * or is `localhost`; everything else is on Docker Hub.
 */

export const DOCKER_HUB = 'docker.io';
/** What the engine's /auth and X-Registry-Auth expect as `serveraddress` for Docker Hub. */
export const DOCKER_HUB_SERVER_ADDRESS = 'https://index.docker.io/v1/';

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * The canonical registry name for a user-typed address: scheme, path and case dropped, and every
 * Docker Hub alias (including `https://index.docker.io/v1/`) turned into `docker.io`.
 */
export function normalizeRegistry(address: string): string {
  const host = address
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** The registry an image reference points at: `docker.io` for Docker Hub refs, else host[:port]. */
export function registryHost(ref: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = ref.slice(0, slash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  return isHost ? normalizeRegistry(first) : DOCKER_HUB;
}

/** The `serveraddress` to send with credentials for a registry. */
export function serverAddress(registry: string): string {
  const name = normalizeRegistry(registry);
  return name === DOCKER_HUB ? DOCKER_HUB_SERVER_ADDRESS : name;
}

export interface RepositoryTag {
  /** Everything before the tag, host included: `127.0.0.1:5000/notas-iv`. */
  repository: string;
  /** The tag; `latest` when the reference has none, as the docker CLI does. */
  tag: string;
  /** The `@sha256:...` part, when the reference pins a digest. */
  digest: string | null;
}

/** Splits `host:port/name:tag@digest` without mistaking the port's colon for a tag. */
export function splitReference(ref: string): RepositoryTag {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    return { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  }
  return { repository: name, tag: 'latest', digest };
}

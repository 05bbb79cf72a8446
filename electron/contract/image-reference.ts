/**
 * Image references, read the way the docker CLI reads them (distribution/reference): the ONE parser that
 * core and renderer use. Pure: no Node or Electron imports.
 *
 *   reference  := name [":" tag] ["@" digest]
 *   name       := [domain "/"] path            (at most 255 characters)
 *   domain     := host [":" port]               host = domain-name | IPv4 | "[" IPv6 "]"
 *   path       := component ("/" component)*    component = [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex{32,}
 *
 * The first part of a name is a domain only when it has a `.` or a `:`, is `localhost`, or has an upper-case
 * letter; otherwise the whole name is a path on Docker Hub (`user/app` → docker.io/user/app), and a one-part
 * Hub path is an official image (`node` → docker.io/library/node).
 */
import { z } from 'zod';

export const DOCKER_HUB = 'docker.io';
/** What the engine's /auth and X-Registry-Auth expect as `serveraddress` for Docker Hub. */
export const DOCKER_HUB_SERVER_ADDRESS = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

const MAX_NAME_LENGTH = 255;
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = new RegExp(`^${HOST}(?::[0-9]+)?$`);
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const FULL_HEX_ID = /^[a-f0-9]{64}$/;
/** A full image id or a prefix of one (12+ hex digits), with or without `sha256:`. */
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{12,64}$/;

export interface ImageReference {
  /** The domain as written (`127.0.0.1:5000`, `[::1]:5000`, `localhost`), or null when none was. */
  domain: string | null;
  /** The registry it lives on, lower case, every Docker Hub alias folded into `docker.io`. */
  registry: string;
  /** The path as written, without domain: `notas-iv`, `user/app`. */
  remoteName: string;
  /** The path as the registry knows it: `library/notas-iv` for an official Hub image. */
  path: string;
  /** Everything before tag and digest, as written: what the engine's tag and push take as `repo`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

/**
 * Splits off the domain the way the docker CLI does: the first part is a domain only when it has a `.` or
 * `:`, is `localhost`, or is not all lower case. Works on any text (no validation).
 */
export function splitDomain(name: string): { domain: string | null; remoteName: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { domain: null, remoteName: name };
  const first = name.slice(0, slash);
  const isDomain = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  return isDomain ? { domain: first, remoteName: name.slice(slash + 1) } : { domain: null, remoteName: name };
}

/** Reads a reference by the grammar above; null when it is not one. */
export function parseImageReference(text: string): ImageReference | null {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : null;
  const named = at >= 0 ? text.slice(0, at) : text;
  if (digest !== null && !DIGEST.test(digest)) return null;
  // The tag follows the last ':' that comes after the last '/' (a port's ':' always has a '/' after it).
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const tag = hasTag ? named.slice(colon + 1) : null;
  const repository = hasTag ? named.slice(0, colon) : named;
  if (tag !== null && !TAG.test(tag)) return null;
  if (repository.length === 0 || repository.length > MAX_NAME_LENGTH) return null;
  // As the engine: a name of 64 hex digits would pass for an image id ("cannot specify 64-byte hexadecimal strings").
  if (FULL_HEX_ID.test(repository)) return null;
  const { domain, remoteName } = splitDomain(repository);
  if (domain !== null && !DOMAIN.test(domain)) return null;
  if (!PATH.test(remoteName)) return null;
  const registry = domain === null ? DOCKER_HUB : normalizeRegistry(domain);
  const path = registry === DOCKER_HUB && !remoteName.includes('/') ? `library/${remoteName}` : remoteName;
  return { domain, registry, remoteName, path, repository, tag, digest };
}

/** Whether `text` names an image by id (or an id prefix of 12+ hex digits) rather than by name. */
export const isImageId = (text: string): boolean => IMAGE_ID.test(text);

/**
 * The fully qualified form the engine stores: `docker.io/library/node:latest`. The tag defaults to
 * `latest` only when there is no digest, as the docker CLI does.
 */
export function canonicalReference(ref: ImageReference): string {
  const tag = ref.tag ?? (ref.digest ? null : 'latest');
  return `${ref.registry}/${ref.path}${tag ? `:${tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

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
  const { domain } = splitDomain(ref.split('@')[0] ?? ref);
  return domain === null ? DOCKER_HUB : normalizeRegistry(domain);
}

/** The `serveraddress` to send with credentials for a registry. */
export function serverAddress(registry: string): string {
  const name = normalizeRegistry(registry);
  return name === DOCKER_HUB ? DOCKER_HUB_SERVER_ADDRESS : name;
}

/**
 * The same image on another registry, without its digest: `notas-iv:latest` on 127.0.0.1:5000 →
 * `127.0.0.1:5000/notas-iv:latest`. On Docker Hub the name stays short.
 */
export function onRegistry(source: string, registry: string): string {
  const ref = parseImageReference(source);
  const remoteName = ref?.remoteName ?? splitDomain(source.split('@')[0] ?? source).remoteName;
  const tag = ref ? (ref.tag ? `:${ref.tag}` : '') : '';
  const name = `${remoteName}${tag}`;
  return normalizeRegistry(registry) === DOCKER_HUB ? name : `${registry}/${name}`;
}

/**
 * A Docker image reference such as `notas-iv`, `user/notas-iv:1.0` or `127.0.0.1:5000/notas-iv@sha256:...`,
 * or an image id.
 */
export const ImageRef = z
  .string()
  .min(1, 'image reference must not be empty')
  .max(512)
  .refine(
    (text) => isImageId(text) || parseImageReference(text) !== null,
    'not a valid image reference: use lowercase name[:tag], e.g. notas-iv:latest',
  );

/**
 * Whether the engine refuses to create a tag under this name: the Docker Hub name `sha256` (or
 * `library/sha256`) would read as a digest ("refusing to create an ambiguous tag using digest algorithm as
 * name"), so `sha256:<id>` is never a tag, only an image id.
 */
export const isAmbiguousTagName = (ref: ImageReference): boolean =>
  ref.registry === DOCKER_HUB && ref.path === 'library/sha256';

/** A reference that names a tag (no digest, no id): what tagging and pushing need as a target. */
export const TagRef = z
  .string()
  .min(1, 'image reference must not be empty')
  .max(512)
  .refine((text) => {
    const ref = parseImageReference(text);
    return ref !== null && ref.digest === null && !isAmbiguousTagName(ref);
  }, 'not a valid tag: use lowercase [host/]name[:tag], e.g. 127.0.0.1:5000/notas-iv:1.0 (not sha256:..., which names an image id)');

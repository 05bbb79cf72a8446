/**
 * Strict shapes for everything that ends up inside an engine URL or a registry login: container ids and
 * names, registry hosts, ports, host IPs, volume paths, stage names and Berth's own run ids. (Image
 * references have their one parser in image-reference.ts.)
 *
 * Why strict: dockerode pastes ids into request paths. An id such as `../../images/json` makes dockerd
 * answer 301, and a redirect followed over TCP once made Berth call another host (issue 9). Whatever passes
 * here is a single clean path segment, so no request Berth sends can be redirected.
 * Pure: imported by the contract, so by the renderer too (no Node imports).
 */
import { z } from 'zod';

// ───────────────────────────── Patterns ─────────────────────────────

/** A container or image id: 12 to 64 lowercase hex digits (a full id or a short one, as `docker ps` shows). */
export const HEX_ID = /^[a-f0-9]{12,64}$/;
/** A full image id or content digest. */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A container name, as dockerd checks it (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
export const CONTAINER_NAME_MAX = 128;
/** A named volume, as dockerd checks it (same rule as container names). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** One label of a registry host name. */
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PORT_SUFFIX = '(?::[0-9]{1,5})?';
/** A bracketed IPv6 literal (`[::1]:5000`). */
const IPV6_BRACKETS = '\\[[0-9a-fA-F:.]+\\]';
/** A registry host for a login: host[:port], bracketed IPv6[:port] or a single-label host with or without port. */
export const REGISTRY_HOST = new RegExp(
  `^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*${PORT_SUFFIX}|${IPV6_BRACKETS}${PORT_SUFFIX})$`,
);
/** The legacy Docker Hub address the docker CLI itself stores; accepted as the explicit Docker Hub choice. */
export const DOCKER_HUB_LEGACY_ADDRESS = 'https://index.docker.io/v1/';
/** A Dockerfile stage name (`FROM x AS name`), as BuildKit accepts it. */
export const STAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,127}$/;
/** Ids Berth itself hands out (builds, pushes): uuid-like. */
export const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A docker context name, as the docker CLI allows it. */
export const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]{0,127}$/;
/** A name for a NEW docker context: the CLI's own rule (`^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`, so 2+ characters). */
export const NEW_CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]{1,127}$/;
/** A host name for an engine address: DNS labels separated by dots (no scheme, port, user or path). */
export const ENGINE_HOST_NAME = new RegExp(`^${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*$`);
/** A user name for ssh://user@host: what POSIX systems accept, without "@", ":" or spaces. */
export const SSH_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;

const IPV4 =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/;

/** Whether text is an IPv6 address (no zone, no brackets), checked by structure rather than by a DNS lookup. */
export function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(text)) return false;
  let head = text;
  let tailGroups = 0;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    head = `${text.slice(0, lastColon + 1)}0:0`; // an embedded IPv4 counts as two groups
    tailGroups = 0;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | null => {
    if (part === '') return [];
    const parts = part.split(':');
    return parts.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? parts : null;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return false;
  const count = left.length + right.length + tailGroups;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export const isIpv4 = (text: string): boolean => IPV4.test(text);
export const isIp = (text: string): boolean => isIpv4(text) || isIpv6(text);

/** Whether text names a registry host: host[:port], [ipv6][:port], or the Docker Hub address. */
export function isRegistryHost(text: string): boolean {
  if (text === DOCKER_HUB_LEGACY_ADDRESS) return true;
  if (!REGISTRY_HOST.test(text) || text.length > 253) return false;
  const port = /:([0-9]{1,5})$/.exec(text)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  const bracketed = /^\[([^\]]+)\]/.exec(text)?.[1];
  return bracketed === undefined || isIpv6(bracketed);
}

// ───────────────────────────── Schemas ─────────────────────────────

/** A container by id (12–64 hex) or name. */
export const ContainerRef = z
  .string({ message: 'the container id or name must be text' })
  .min(1, 'container id or name is required')
  .max(CONTAINER_NAME_MAX, 'container id or name is too long')
  .refine(
    (text) => HEX_ID.test(text) || CONTAINER_NAME.test(text),
    'not a container id or name: ids are 12–64 hex digits; names use letters, digits, _ . - and start with a letter or digit',
  );

export const ContainerName = z
  .string({ message: 'the container name must be text' })
  .max(CONTAINER_NAME_MAX, 'container name is too long')
  .regex(CONTAINER_NAME, 'container name needs 2+ characters: letters, digits, _ . - starting with a letter or digit');

/** A TCP/UDP port: a whole number 1–65535, never a string, boolean or array coerced into one. */
export const Port = z
  .number({ message: 'port must be a number' })
  .int('port must be a whole number')
  .min(1, 'port must be between 1 and 65535')
  .max(65535, 'port must be between 1 and 65535');

/** An IPv4 or IPv6 address written out (no host names: they would be looked up in DNS). */
export const HostIp = z
  .string({ message: 'the host IP must be text' })
  .refine(isIp, 'not an IP address: use 127.0.0.1 (this machine only) or 0.0.0.0 (all addresses)');

/** Where to log in: host[:port], [ipv6][:port], or Docker Hub ("docker.io"). No scheme, path or spaces. */
export const RegistryHost = z
  .string({ message: 'the registry must be text' })
  .refine(
    isRegistryHost,
    'not a registry host: give host[:port] (e.g. 127.0.0.1:5000, registry.example.com) or docker.io for Docker Hub',
  );

export const RunId = z.string({ message: 'the id must be text' }).regex(RUN_ID, 'not an id Berth handed out');
export const StageName = z.string().regex(STAGE_NAME, 'a stage name starts with a letter: letters, digits, _ . -');
export const ContextName = z
  .string()
  .regex(CONTEXT_NAME, 'a context name uses letters, digits, _ . + - and starts with a letter or digit');

/** A named volume, or an absolute host path without ":" (the engine splits bind specs on ":"). */
export const VolumeSource = z
  .string({ message: 'the volume source must be text' })
  .min(1, 'give a volume name or an absolute host path')
  .max(4096)
  .refine(
    (text) => (text.startsWith('/') ? !/[:\0]/.test(text) : VOLUME_NAME.test(text)),
    'neither a volume name (letters, digits, _ . -) nor an absolute host path without ":"',
  );

/** An absolute path inside the container, without ":" (the engine splits bind specs on ":"). */
export const ContainerPath = z
  .string({ message: 'the container path must be text' })
  .max(4096)
  .startsWith('/', 'the container path must be absolute')
  .refine((text) => !/[:\0]/.test(text), 'the container path must not contain ":"');

// ───────────────────────────── Secret-looking names ─────────────────────────────

/** Names that usually hold a secret: TOKEN, PASSWORD, SECRET, KEY, CREDENTIAL, AUTH, ... anywhere in the name. */
const SECRET_NAME = /(TOKEN|PASS(WORD|WD)?|SECRET|KEY|CREDENTIAL|AUTH|PRIVATE|CERT|SESSION|COOKIE|SIGNATURE|SALT)/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** What a masked value is replaced with in records and logs. */
export const MASKED = '***';

/** Names of build args that look like secrets and have a value. */
export function secretLookingArgs(buildArgs: Record<string, string>): string[] {
  return Object.keys(buildArgs).filter((name) => looksSecret(name) && buildArgs[name] !== '');
}

/**
 * The warning for build args that look like secrets: a build arg's value stays readable in the image's
 * history. The remedy is BuildRequest.secrets: Berth serves them to BuildKit through a session of its own
 * (core/build/secrets-session.ts).
 */
export function secretArgWarning(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const list = names.join(', ');
  return (
    `Build arg${names.length > 1 ? 's' : ''} ${list} look${names.length > 1 ? '' : 's'} like a secret. ` +
    'Build arg values are kept in the image (`docker history` shows them to anyone who has the image); ' +
    'Berth masks them in its build records only. Fix: do not pass secrets as build args: build with ' +
    '`docker build --secret id=NAME,env=NAME` (or pass it as a BuildKit secret here) and read it in the Dockerfile with ' +
    '`RUN --mount=type=secret,id=NAME`, or give the value to the container at run time as an env var.'
  );
}

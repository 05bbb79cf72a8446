/**
 * Reads back the manifest a push just stored, from the registry itself (Docker Registry HTTP API v2), to
 * take the image id Heroku releases: the manifest's `config.digest`, not the manifest digest. The bytes are
 * checked against the digest the push reported, so the id belongs to exactly what was pushed.
 * Auth: HTTP Basic first; on a `WWW-Authenticate: Bearer realm=...` challenge, a token from that realm.
 */
import { createHash } from 'node:crypto';
import { BerthError, SHA256_DIGEST } from '../../contract';
import { isLoopbackHost } from './endpoints';
import { API_REQUEST_DEADLINE_MS } from './http';

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface PushedImage {
  /** host[:port] of the registry. */
  registry: string;
  repository: string;
  /** The manifest digest the push reported. */
  digest: string;
  username: string;
  password: string;
}

/** https, except a loopback registry, which the engine too speaks plain http to. */
export function registryBaseUrl(registry: string): string {
  const hostname = registry.replace(/:\d+$/, '');
  return `${isLoopbackHost(hostname) ? 'http' : 'https'}://${registry}`;
}

const failed = (message: string, fix = 'Push again; if it keeps happening, check the registry.'): BerthError =>
  new BerthError('DEPLOY_FAILED', message, fix);

function challengeParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) params[match[1] ?? ''] = match[2] ?? '';
  return params;
}

async function bearerToken(challenge: string, basic: string, repository: string): Promise<string> {
  const { realm, service } = challengeParams(challenge);
  if (!realm) throw failed('The registry asked for a token but named no realm to get it from.');
  const url = new URL(realm);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw failed(`The registry sent Berth for a token to ${url.origin}, which is not https; Berth refused.`);
  }
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repository}:pull`);
  const res = await fetch(url, {
    headers: { Authorization: basic },
    redirect: 'error',
    signal: AbortSignal.timeout(API_REQUEST_DEADLINE_MS),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (!res.ok || typeof token !== 'string') {
    throw new BerthError(
      'AUTH_FAILED',
      `The registry's token service refused the key (HTTP ${res.status}).`,
      'Check the API key.',
    );
  }
  return `Bearer ${token}`;
}

/** The pushed image's config digest (`sha256:...`), read from the registry and checked. */
export async function pushedConfigDigest(image: PushedImage): Promise<string> {
  const { registry, repository, digest } = image;
  const url = `${registryBaseUrl(registry)}/v2/${repository}/manifests/${digest}`;
  const basic = `Basic ${Buffer.from(`${image.username}:${image.password}`).toString('base64')}`;
  const get = (authorization: string) =>
    fetch(url, {
      headers: { Accept: `${DOCKER_MANIFEST_V2}, ${OCI_MANIFEST}`, Authorization: authorization },
      redirect: 'error',
      signal: AbortSignal.timeout(API_REQUEST_DEADLINE_MS),
    });
  let res = await get(basic).catch((error: Error) => {
    throw failed(`The registry ${registry} could not be reached to read the pushed manifest (${error.message}).`);
  });
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (res.status === 401 && /^bearer /i.test(challenge))
    res = await get(await bearerToken(challenge, basic, repository));
  if (!res.ok) {
    throw failed(`The registry ${registry} did not give back the pushed manifest ${digest} (HTTP ${res.status}).`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (actual !== digest) {
    throw failed(`The registry answered a manifest whose digest is ${actual}, not the pushed ${digest}.`);
  }
  let manifest: { mediaType?: unknown; schemaVersion?: unknown; config?: { digest?: unknown } };
  try {
    manifest = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw failed('The pushed manifest is not JSON.');
  }
  const mediaType = manifest.mediaType ?? res.headers.get('content-type');
  if (mediaType !== DOCKER_MANIFEST_V2) {
    throw failed(
      `The pushed manifest is ${String(mediaType)}; Heroku accepts only Docker v2 schema 2 manifests for linux/amd64.`,
      'Build a single-platform linux/amd64 image with the classic builder or `--provenance=false`, then deploy again.',
    );
  }
  const config = manifest.config?.digest;
  if (typeof config !== 'string' || !SHA256_DIGEST.test(config))
    throw failed('The pushed manifest names no config digest.');
  return config;
}

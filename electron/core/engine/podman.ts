/**
 * Where Podman's Docker-compatible API differs from dockerd in what Berth asks of it, and how Berth adapts
 * (the build stream: core/build/podman-decode.ts; events: engine-event.ts; no BuildKit: capabilities.ts):
 * - names: Podman qualifies short names, `localhost/notes:1` for an image loaded or committed without a
 *   registry and `docker.io/library/notes:1` for one built as `notes:1`; it resolves the short name to either,
 *   so Berth shows and uses the short name, as the docker CLI would;
 * - push: dockerd trusts a registry on 127.0.0.0/8 over plain HTTP, Podman verifies TLS unless told not to, so
 *   a push to a loopback registry says `tlsVerify=false` (Podman's own query parameter), and only then;
 * - login check (POST /auth): Podman takes no such parameter there and skips TLS only for an address that
 *   starts with `localhost:`, so a loopback registry `127.0.0.1:P` is checked as `localhost:P`, the same
 *   machine and port.
 */
import { engineIsPodman } from './capabilities';
import type { EngineHandle } from './engine-handle';

const QUALIFIERS = /^(?:localhost\/|docker\.io\/library\/)(?=[^/]+$)/;

/** The name the docker CLI would show for a tag Podman qualified: `localhost/a:1` and `docker.io/library/a:1` are `a:1`. */
export function shortImageName(tag: string): string {
  return tag.replace(QUALIFIERS, '');
}

/** Whether a registry address (`host[:port]`) is on this machine's loopback, which dockerd trusts over HTTP. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0];
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host ?? '');
}

/** The extra push query a Podman engine needs to treat a loopback registry as dockerd does; none otherwise. */
export async function pushQueryFor(engine: EngineHandle, registry: string): Promise<{ tlsVerify?: false }> {
  return isLoopbackRegistry(registry) && (await engineIsPodman(engine)) ? { tlsVerify: false } : {};
}

/** The image tags as Berth shows them on this engine: short names on Podman, as given on dockerd. */
export async function tagsAsShown(engine: EngineHandle, tags: string[]): Promise<string[]> {
  return (await engineIsPodman(engine)) ? [...new Set(tags.map(shortImageName))] : tags;
}

/** The server address a login check sends: on Podman, a 127.0.0.1 registry as `localhost:<port>` (see above). */
export async function loginAddressFor(engine: EngineHandle, address: string): Promise<string> {
  const loopback = /^(?:https?:\/\/)?(?:127(?:\.\d{1,3}){3}|\[::1\])(:\d+)/.exec(address);
  return loopback && (await engineIsPodman(engine)) ? `localhost${loopback[1]}` : address;
}

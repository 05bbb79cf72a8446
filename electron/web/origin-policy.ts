/**
 * Which Host and Origin headers web mode accepts: exactly Berth's own loopback address, by IP, as
 * localhost, or by its per-launch name. The Host check defeats DNS rebinding; the Origin check defeats
 * cross-site requests.
 *
 * The per-launch name (`berth-<random>.localhost`, which browsers resolve to loopback themselves) is what
 * sign-in links use. Cookies are scoped by host, not by port, so a session cookie set for 127.0.0.1 would
 * also be sent to every other server on 127.0.0.1 (a container's web page, another user's listener). Set
 * on a name no one else serves, it reaches only Berth.
 */
import { randomBytes } from 'node:crypto';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'];

export function launchHostName(): string {
  return `berth-${randomBytes(8).toString('hex')}.localhost`;
}

export const allowedHosts = (port: number, launchHost?: string): string[] =>
  [...LOOPBACK_NAMES, ...(launchHost ? [launchHost] : [])].map((name) => `${name}:${port}`);
export const allowedOrigins = (port: number, launchHost?: string): string[] =>
  allowedHosts(port, launchHost).map((host) => `http://${host}`);

export const isAllowedHost = (host: string | undefined, port: number, launchHost?: string): boolean =>
  host !== undefined && allowedHosts(port, launchHost).includes(host.toLowerCase());

export const isAllowedOrigin = (origin: string | undefined, port: number, launchHost?: string): boolean =>
  origin !== undefined && allowedOrigins(port, launchHost).includes(origin.toLowerCase());

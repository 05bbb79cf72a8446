/**
 * Two guards on every request Berth sends to the engine (issue 9, hole 2):
 *
 * - A path with a `.` or `..` segment (plain or %-encoded), an empty segment, a backslash or a `#` never
 *   leaves Berth. dockerd answers such a path with a 301 to its cleaned form, and docker-modem used to follow
 *   that redirect over TCP to `http://<first path segment>/...` (another host) on a request without an error
 *   handler, which took the whole process down.
 * - Engine redirects are never followed: docker-modem's redirect support is switched off (its limit set to 0),
 *   so any 3xx from the engine fails the one call that got it, with an error that says so.
 */
import modemHttp from 'docker-modem/lib/http.js';
import type Dockerode from 'dockerode';
import { BerthError } from '../../contract';

const guarded = new WeakSet<object>();

/** Why a request path is unsafe to send, or null when it is a clean path. */
export function unsafePath(path: string): string | null {
  const query = path.indexOf('?');
  const bare = query >= 0 ? path.slice(0, query) : path;
  if (!bare.startsWith('/')) return 'it does not start with "/"';
  if (/[#\\\0\s]/.test(bare)) return 'it contains a "#", a backslash, a NUL or white space';
  for (const raw of bare.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 'it contains a broken %-escape';
    }
    if (segment === '') return 'it has an empty segment ("//")';
    if (segment === '.' || segment === '..') return 'it has a "." or ".." segment';
    if (/[/\\]/.test(segment)) return 'it has an encoded "/" or backslash';
  }
  return null;
}

function refusedPath(path: string, why: string): BerthError {
  return new BerthError(
    'INVALID_INPUT',
    `Berth refused to send the engine request ${JSON.stringify(path.slice(0, 200))}: ${why}.`,
    'Use a plain container or image id (hex), a container name or an image reference; paths are not allowed.',
  );
}

const redirectRefused = (): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    'The engine answered with a redirect, which Berth never follows (a redirect could send the request to another host).',
    'Use a plain container or image id (hex), a container name or an image reference.',
  );

/** docker-modem's own follow-redirects counter: at 0, the first 3xx fails the request instead of following it. */
function disableModemRedirects(): void {
  (modemHttp as { maxRedirects: number }).maxRedirects = 0;
}

/** Wraps a dockerode client's modem so unsafe paths are refused and redirects fail the call. Idempotent. */
export function guardEngineRequests(docker: Dockerode): Dockerode {
  disableModemRedirects();
  const modem = docker.modem;
  if (guarded.has(modem)) return docker;
  guarded.add(modem);
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    const why = unsafePath(String(options.path ?? ''));
    if (why) {
      const error = refusedPath(String(options.path), why);
      queueMicrotask(() => callback?.(error, null));
      return;
    }
    dial(options, (error, result) => {
      if (error && /Max redirects exceeded/.test(error.message)) callback?.(redirectRefused(), null);
      else callback?.(error, result);
    });
  };
  return docker;
}

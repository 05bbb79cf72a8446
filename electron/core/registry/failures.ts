/**
 * Turns what the engine or a registry says about a failed login or push into a BerthError with a
 * fix, keeping the registry's own words in the message.
 */
import { BerthError, DOCKER_HUB, registryHost } from '../../contract';
import { engineMessage, toBerthError } from '../errors';

const AUTH_REQUIRED = /unauthorized|authentication required|no basic auth credentials|incorrect username or password/i;
const DENIED = /denied/i;
const NO_LOCAL_IMAGE = /does not exist locally|no such image/i;
/** A registry in read-only (maintenance) mode answers every upload with 405 (REFERENCE.md section 8). */
const NOT_ALLOWED = /\b405\b|method not allowed/i;
/**
 * A registry that cannot store the upload: out of disk (recorded: fixtures/push-disk-full, where dockerd
 * retries five times, then says "received unexpected HTTP status: 500 Internal Server Error"), or words
 * of a storage quota. Checked before "denied", since some registries word a quota refusal that way.
 */
const NO_ROOM =
  /quota|no space left|insufficient storage|HTTP status: 5\d\d|\b5\d\d (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b/i;
/** /auth answers 500 on Engine 20.10 ("... failed with status: 401 Unauthorized"), 401 on newer ones. */
const LOGIN_REJECTED = /\b401\b|unauthorized|incorrect username or password|invalid username\/password|denied/i;

const unreachableFix = (registry: string): string =>
  `Check that the registry address "${registry}" is right and that the registry is running and reachable from the Docker engine. A registry without TLS outside 127.0.0.0/8 must be listed in the engine's insecure-registries.`;

/** No local image to push or to tag: a clear message instead of the engine's. */
export function missingImage(ref: string): BerthError {
  return new BerthError(
    'NOT_FOUND',
    `There is no local image "${ref}" to push.`,
    `Build the image first, or pick an existing image as the source (the Images view lists them).`,
  );
}

/** One `error` line of a push stream, as a failure of pushing `target`. */
export function pushFailure(message: string, target: string, source = target): BerthError {
  const registry = registryHost(target);
  if (NO_LOCAL_IMAGE.test(message)) return missingImage(source);
  if (NOT_ALLOWED.test(message)) {
    return new BerthError(
      'PUSH_FAILED',
      `${registry} refused the upload of "${target}": ${message}`,
      `The registry answered 405 Method not allowed, which means it takes no uploads now: it is read-only (for example in maintenance mode). Ask its owner to make it writable again, or push to another registry.`,
    );
  }
  if (NO_ROOM.test(message)) {
    return new BerthError(
      'PUSH_FAILED',
      `${registry} could not store "${target}": ${message}`,
      `The registry failed while storing the upload: it may be out of disk space or over a storage quota, or have an internal fault. Check the registry's log and free space (or ask its owner to), then push again.`,
    );
  }
  if (DENIED.test(message)) {
    const namespace =
      registry === DOCKER_HUB
        ? 'On Docker Hub the name must start with your user name or an organisation you can push to (e.g. "yourname/app:1.0").'
        : 'Push to a repository your account may write to, or ask the registry owner for push rights.';
    return new BerthError(
      'AUTH_FAILED',
      `${registry} refused the push to "${target}": ${message}`,
      `Your account may not push to this repository. ${namespace}`,
    );
  }
  if (AUTH_REQUIRED.test(message)) {
    return new BerthError(
      'AUTH_FAILED',
      `${registry} did not accept the credentials: ${message}`,
      `Log in to ${registry} with a valid user name and password or access token, then push again. A password that passed the login check but was changed or revoked on the registry since fails here too.`,
    );
  }
  return new BerthError(
    'PUSH_FAILED',
    `Pushing "${target}" to ${registry} failed: ${message}`,
    unreachableFix(registry),
  );
}

/** Anything /auth throws, for a login to `registry` as `username` through the engine at `endpoint`. */
export function loginFailure(error: unknown, registry: string, username: string, endpoint: string): BerthError {
  if (error instanceof BerthError) return error;
  const e = error as { statusCode?: number };
  if (e.statusCode === undefined) return toBerthError(error, endpoint, `registry ${registry}`);
  const message = engineMessage(error);
  if (e.statusCode === 401 || LOGIN_REJECTED.test(message)) {
    return new BerthError(
      'AUTH_FAILED',
      `${registry} rejected the login for "${username}": ${message}`,
      `Check the user name and the password or access token for ${registry}.`,
    );
  }
  return new BerthError('PUSH_FAILED', `Could not log in to ${registry}: ${message}`, unreachableFix(registry));
}

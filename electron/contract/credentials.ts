/**
 * Registry logins and where they come from, the namespace check before a push, and the page a pushed
 * repository has. Pure (the renderer imports it): no Node imports. Nothing here ever carries a secret.
 */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { DOCKER_HUB, parseImageReference } from './image-reference';

/**
 * Where a login comes from:
 * - `config-file`: the `auths` section of the docker CLI's config.json (what `docker login` writes when no
 *   credential helper is set);
 * - `helper`: a `docker-credential-<name>` program named by `credsStore` or `credHelpers`;
 * - `berth`: saved by Berth itself (encrypted by the OS keychain, or in memory for the session).
 */
export const LoginSource = z.enum(['config-file', 'helper', 'berth']);
export type LoginSource = z.infer<typeof LoginSource>;

export const LoginSummary = z
  .object({
    registry: z.string(),
    username: z.string(),
    source: LoginSource,
    /** The helper's name (`pass` for docker-credential-pass) when the source is a helper. */
    helper: z.string().nullable(),
    /** Whether the login is an identity token (OAuth refresh token) rather than a password. */
    identityToken: z.boolean(),
    /** Whether a push to this registry uses this login (Berth's own login wins, then the helper, then the file). */
    inUse: z.boolean(),
  })
  .strict();
export type LoginSummary = z.infer<typeof LoginSummary>;

/**
 * How Berth keeps a secret it is asked to remember:
 * - `keychain`: encrypted by the OS keychain (desktop app, through safeStorage);
 * - `helper`: through the user's docker credential helper (when config.json names one for the registry);
 * - `memory`: in memory for this session only (web mode without a keyring): forgotten when Berth stops.
 */
export const SecretKeeping = z.enum(['keychain', 'helper', 'memory']);
export type SecretKeeping = z.infer<typeof SecretKeeping>;

export const LoginList = z
  .object({
    logins: z.array(LoginSummary),
    /** Where Berth keeps secrets it saves itself (never the helper: that is per registry, see `helpers`). */
    keeping: z.enum(['keychain', 'memory']),
    /** The docker CLI config that was read (DOCKER_CONFIG honoured). */
    configPath: z.string(),
    /** `credsStore`, when config.json names one: new logins for any registry are stored through it. */
    credsStore: z.string().nullable(),
    /** `credHelpers`: registry → helper name. */
    credHelpers: z.record(z.string(), z.string()),
    /** What could not be read (a damaged config.json, a helper that failed): shown, never fatal. */
    problems: z.array(ErrorShape),
  })
  .strict();
export type LoginList = z.infer<typeof LoginList>;

// ───────────────────────────── Namespace check ─────────────────────────────

/**
 * - `yours`: the namespace is the logged-in user's name;
 * - `not-yours`: it is not (it may still be an organisation the user belongs to: Berth cannot see those);
 * - `official`: Docker Hub's `library/` namespace, for official images only;
 * - `unchecked`: nothing to compare (no login, no namespace part, or a registry that names images otherwise).
 */
export const NamespaceVerdict = z.enum(['yours', 'not-yours', 'official', 'unchecked']);
export type NamespaceVerdict = z.infer<typeof NamespaceVerdict>;

export const NamespaceCheck = z
  .object({
    target: z.string(),
    registry: z.string(),
    namespace: z.string().nullable(),
    username: z.string().nullable(),
    verdict: NamespaceVerdict,
    message: z.string(),
    /** The same image under the user's namespace, when one can be made. */
    retag: z.string().nullable(),
  })
  .strict();
export type NamespaceCheck = z.infer<typeof NamespaceCheck>;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HEROKU_REGISTRY = 'registry.heroku.com';

/**
 * Does `target`'s namespace belong to `username`? Docker Hub: the first path component must be the user
 * name (or an organisation), and `library/` holds official images only. Other registries: the first path
 * component is compared the same way when there is one, but what it means (a user, group, project or
 * nothing at all) is the registry's choice, and the message says so.
 */
export function checkNamespace(target: string, username: string | null): NamespaceCheck {
  const ref = parseImageReference(target);
  const registry = ref?.registry ?? '';
  const base = { target, registry, username, retag: null };
  if (!ref) {
    return { ...base, namespace: null, verdict: 'unchecked', message: `"${target}" is not an image reference.` };
  }
  const parts = ref.path.split('/');
  const namespace = parts.length > 1 ? (parts[0] ?? null) : null;
  const hub = registry === DOCKER_HUB;
  const tag = ref.tag ? `:${ref.tag}` : '';
  const user = username?.toLowerCase() ?? null;
  const retagFor = (rest: string[]): string | null => {
    if (!user || !PATH_COMPONENT.test(user)) return null;
    const path = [user, ...rest].join('/');
    return hub ? `${path}${tag}` : `${ref.domain ?? registry}/${path}${tag}`;
  };
  if (registry === HEROKU_REGISTRY) {
    return {
      ...base,
      namespace,
      verdict: 'unchecked',
      message: `Heroku names images after the app (${HEROKU_REGISTRY}/<app>/web); the API key decides which apps you may push to.`,
    };
  }
  if (!user) {
    return {
      ...base,
      namespace,
      verdict: 'unchecked',
      message: `There is no login for ${registry}, so Berth cannot check whether "${namespace ?? ref.path}" is yours; the registry decides at push time.`,
    };
  }
  if (hub && namespace === 'library') {
    return {
      ...base,
      namespace,
      verdict: 'official',
      retag: retagFor(parts.slice(1)),
      message: `"${ref.remoteName}" is a Docker Hub official image name (library/${parts.slice(1).join('/')}); only Docker pushes there. Push it under your own name instead.`,
    };
  }
  if (namespace === null) {
    return {
      ...base,
      namespace,
      verdict: 'unchecked',
      message: `"${ref.path}" has no namespace part on ${registry}, so there is nothing to compare with "${username}"; the registry decides at push time whether you may write there.`,
    };
  }
  if (namespace === user) {
    return { ...base, namespace, verdict: 'yours', message: `"${namespace}" is your namespace on ${registry}.` };
  }
  const what = hub
    ? `Docker Hub lets "${username}" push only to "${user}/..." or to an organisation "${username}" belongs to; Berth cannot see your organisations.`
    : `On most registries the first part of the name is a user, organisation, group or project, and Berth cannot see which of those "${username}" may write to; some registries (like a plain docker-registry) have no namespaces at all.`;
  return {
    ...base,
    namespace,
    verdict: 'not-yours',
    retag: retagFor(parts.slice(1)),
    message: `The namespace "${namespace}" is not your user name "${username}". ${what}`,
  };
}

// ───────────────────────────── Repository page ─────────────────────────────

export const RepositoryPage = z.object({ url: z.string().nullable(), note: z.string() }).strict();
export type RepositoryPage = z.infer<typeof RepositoryPage>;

/** The web page of the repository `target` was pushed to, when the registry has one Berth knows. */
export function repositoryPage(target: string): RepositoryPage {
  const ref = parseImageReference(target);
  if (!ref) return { url: null, note: 'Not an image reference.' };
  if (ref.registry === DOCKER_HUB) {
    const url = ref.path.startsWith('library/')
      ? `https://hub.docker.com/_/${ref.path.slice('library/'.length)}`
      : `https://hub.docker.com/r/${ref.path}`;
    return { url, note: 'The repository on Docker Hub.' };
  }
  if (ref.registry === 'quay.io') {
    return { url: `https://quay.io/repository/${ref.path}`, note: 'The repository on Quay.' };
  }
  return {
    url: null,
    note: `${ref.registry} has no repository web page that Berth knows of; the digest above is the proof of the push.`,
  };
}

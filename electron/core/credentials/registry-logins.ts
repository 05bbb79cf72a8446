/**
 * Every registry login Berth can use, from three sources, so a user who ran `docker login` is not asked
 * again:
 * 1. `berth`: saved by Berth (CredentialStore over the SecretStore: OS keychain, or memory in web mode);
 * 2. `helper`: the docker credential helper config.json names for the registry (`credHelpers`, else
 *    `credsStore`);
 * 3. `config-file`: config.json's `auths`, used only when no helper is set for the registry (as the CLI does).
 * A login Berth is asked to remember goes to the helper when one is set for the registry (as `docker login`
 * would), else to Berth's SecretStore. Never into config.json: Berth does not write it.
 */
import {
  BerthError,
  type ErrorShape,
  type LoginList,
  type LoginSource,
  type LoginSummary,
  normalizeRegistry,
  type SecretKeeping,
  serverAddress,
} from '../../contract';
import type { CredentialStore, RegistryCredentials } from '../registry/credentials';
import { CredentialHelper, IDENTITY_TOKEN_USERNAME } from './credential-helper';
import { type DockerConfig, dockerConfigPath, helperFor, readDockerConfig } from './docker-config';

/** A login ready to send to the engine, with where it came from. Holds the secret: never put it in a model. */
export interface RegistryLogin extends RegistryCredentials {
  /** Set instead of a password for identity-token logins (password is then empty). */
  identityToken?: string;
  source: LoginSource;
  helper: string | null;
}

export interface RegistryLoginsOptions {
  /** Berth's own saved logins. */
  saved: CredentialStore;
  keeping: 'keychain' | 'memory';
  /** DOCKER_CONFIG and HOME pick config.json; PATH finds the helpers. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  home?: string;
  helperDeadlineMs?: number;
}

const SOURCE_ORDER: Record<LoginSource, number> = { berth: 0, helper: 1, 'config-file': 2 };

export class RegistryLogins {
  private readonly saved: CredentialStore;
  private readonly env: NodeJS.ProcessEnv;
  readonly keeping: 'keychain' | 'memory';

  constructor(private readonly options: RegistryLoginsOptions) {
    this.saved = options.saved;
    this.keeping = options.keeping;
    this.env = options.env ?? process.env;
  }

  get configPath(): string {
    return dockerConfigPath(this.env, this.options.home);
  }

  private config(): Promise<DockerConfig> {
    return readDockerConfig(this.configPath);
  }

  private helper(name: string): CredentialHelper {
    return new CredentialHelper(name, {
      env: this.env,
      ...(this.options.helperDeadlineMs !== undefined && { deadlineMs: this.options.helperDeadlineMs }),
    });
  }

  /**
   * The login a push to `registry` uses: Berth's own, else the helper's, else config.json's. A helper that
   * fails or hangs is an error (HELPER_FAILED), not a silent anonymous push.
   */
  async load(registry: string): Promise<RegistryLogin | undefined> {
    const name = normalizeRegistry(registry);
    // Berth's store may be unusable (a desktop without a keyring): the CLI's logins still work then.
    const own = await this.saved.load(name).catch(() => undefined);
    if (own) return { ...own, source: 'berth', helper: null };
    const config = await this.config();
    const helperName = helperFor(config, name);
    if (helperName) {
      const helper = this.helper(helperName);
      let found = await helper.get(serverAddress(name));
      if (!found) {
        // The CLI keys a login by the address as typed (`https://host`, `host:port`): find it by its host.
        const key = Object.keys(await helper.list()).find(
          (k) => k !== serverAddress(name) && normalizeRegistry(k) === name,
        );
        if (key) found = await helper.get(key);
      }
      if (!found) return undefined;
      return found.identityToken
        ? {
            registry: name,
            username: found.username,
            password: '',
            identityToken: found.secret,
            source: 'helper',
            helper: helperName,
          }
        : { registry: name, username: found.username, password: found.secret, source: 'helper', helper: helperName };
    }
    const file = config.auths.get(name);
    if (!file) return undefined;
    return {
      registry: name,
      username: file.username,
      password: file.password,
      ...(file.identityToken && { identityToken: file.identityToken }),
      source: 'config-file',
      helper: null,
    };
  }

  /** Every login, each with its source and whether a push would use it; problems are listed, not thrown. */
  async list(): Promise<LoginList> {
    const problems: ErrorShape[] = [];
    const own = await this.saved.saved().catch((error: unknown) => {
      problems.push(asShape(error));
      return [];
    });
    const logins: Omit<LoginSummary, 'inUse'>[] = own.map((l) => ({
      ...l,
      source: 'berth',
      helper: null,
      identityToken: false,
    }));
    let config: DockerConfig | undefined;
    try {
      config = await this.config();
    } catch (error) {
      problems.push(asShape(error));
    }
    if (config) {
      const helperNames = new Set([...(config.credsStore ? [config.credsStore] : []), ...config.credHelpers.values()]);
      const known = config;
      // Helpers answer in parallel: one that hangs costs one deadline, not one per helper.
      const answers = await Promise.all(
        [...helperNames].map((helperName) =>
          this.helper(helperName)
            .list()
            .then(
              (entries) => ({ helperName, entries }),
              (error: unknown) => {
                problems.push(asShape(error));
                return { helperName, entries: {} };
              },
            ),
        ),
      );
      for (const { helperName, entries } of answers) {
        for (const [url, username] of Object.entries(entries)) {
          const registry = normalizeRegistry(url);
          if (!registry || helperFor(known, registry) !== helperName) continue;
          const identityToken = username === IDENTITY_TOKEN_USERNAME;
          logins.push({
            registry,
            username: identityToken ? '' : username,
            source: 'helper',
            helper: helperName,
            identityToken,
          });
        }
      }
      for (const file of config.auths.values()) {
        logins.push({
          registry: file.registry,
          username: file.username,
          source: 'config-file',
          helper: null,
          identityToken: Boolean(file.identityToken),
        });
      }
    }
    const used = new Map<string, Omit<LoginSummary, 'inUse'>>();
    for (const login of [...logins].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source])) {
      // As the CLI: a registry with a helper set never uses config.json's auths.
      const shadowed =
        login.source === 'config-file' && config !== undefined && helperFor(config, login.registry) !== null;
      if (!used.has(login.registry) && !shadowed) used.set(login.registry, login);
    }
    const summaries = logins
      .map((login) => ({ ...login, inUse: used.get(login.registry) === login }))
      .sort((a, b) => a.registry.localeCompare(b.registry) || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
    return {
      logins: summaries,
      keeping: this.keeping,
      configPath: this.configPath,
      credsStore: config?.credsStore ?? null,
      credHelpers: Object.fromEntries(config?.credHelpers ?? []),
      problems,
    };
  }

  /**
   * Remembers a checked login: through the helper config.json sets for the registry (as `docker login`
   * does), else in Berth's SecretStore. Says where it went.
   */
  async save(credentials: RegistryCredentials): Promise<{ keeping: SecretKeeping; helper: string | null }> {
    const registry = normalizeRegistry(credentials.registry);
    let config: DockerConfig | undefined;
    try {
      config = await this.config();
    } catch {
      // a damaged config.json names no usable helper: keep the login in Berth
    }
    const helperName = config ? helperFor(config, registry) : null;
    if (helperName) {
      await this.helper(helperName).store(serverAddress(registry), credentials.username, credentials.password);
      await this.saved.remove(registry);
      return { keeping: 'helper', helper: helperName };
    }
    await this.saved.save({ ...credentials, registry });
    return { keeping: this.keeping, helper: null };
  }

  /** Forgets the login a push would use: Berth's own, or the helper's. config.json is the CLI's to change. */
  async remove(registry: string): Promise<void> {
    const name = normalizeRegistry(registry);
    const login = await this.load(name);
    if (!login) return;
    if (login.source === 'berth') return this.saved.remove(name);
    if (login.source === 'helper' && login.helper) return this.helper(login.helper).erase(serverAddress(name));
    throw new BerthError(
      'UNSUPPORTED',
      `The login for ${name} is in the docker CLI config ${this.configPath}, which Berth does not change.`,
      `Run "docker logout ${name}" in a terminal; Berth only reads that file.`,
    );
  }
}

function asShape(error: unknown): ErrorShape {
  return error instanceof BerthError
    ? error.toShape()
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Credentials: the logins a user already has (the docker CLI's config.json and credential helpers) beside
 * Berth's own, and the secrets Berth keeps for deploys.
 *
 * - RegistryLogins: registry logins by source (config file, helper, Berth); `load(registry)` for a push,
 *   `save` (through the user's helper when one is set, else Berth's SecretStore), `list`, `remove`.
 * - AppSecrets: named secrets that are not registry logins (`heroku.api-key`, `azure.token-cache`), on the
 *   same SecretStore: encrypted by the OS keychain in the desktop app, in memory in web mode (`keeping`).
 * - CredentialHelper: the docker-credential-<name> protocol (get, store, erase, list).
 * The Electron shell supplies the keychain-backed SecretStore (safeStorage); nothing here imports electron.
 */
export { AppSecrets } from './app-secrets';
export { CredentialHelper, HELPER_DEADLINE_MS, type HelperLogin, mask } from './credential-helper';
export { type DockerConfig, dockerConfigPath, helperFor, parseDockerConfig, readDockerConfig } from './docker-config';
export { type RegistryLogin, RegistryLogins, type RegistryLoginsOptions } from './registry-logins';

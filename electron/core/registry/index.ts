export {
  authConfigFor,
  CredentialStore,
  MemorySecretStore,
  type RegistryCredentials,
  type SavedLogin,
  type SecretStore,
} from './credentials';
export { loginFailure, missingImage, pushFailure } from './failures';
export { checkCredentials, type LoginSaver, login, requireRegistryHost } from './login';
export { type LoginLookup, Push, type PushListener, type PushLogin, type PushSetup, startPush } from './push';
export {
  type DigestProof,
  failPush,
  finishPush,
  foldPushEvent,
  newPushModel,
  newPushProgress,
  type PushProgress,
  type PushStreamEvent,
  streamError,
} from './push-progress';

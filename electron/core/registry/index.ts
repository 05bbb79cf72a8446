export {
  authConfigFor,
  CredentialStore,
  MemorySecretStore,
  type RegistryCredentials,
  type SavedLogin,
  type SecretStore,
} from './credentials';
export { loginFailure, missingImage, pushFailure } from './failures';
export { checkCredentials, login, requireRegistryHost } from './login';
export { Push, type PushListener, type PushSetup, startPush } from './push';
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

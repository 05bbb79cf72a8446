/**
 * Signing in to Azure through @azure/identity: the device code flow (the code and the verification URL are
 * shown in Berth's UI through userPromptCallback) or the Azure CLI's login when `az` is on PATH. The signed-in
 * credential lives in memory for the session; @azure/identity keeps its tokens in memory too (no persistent
 * cache is configured), so no Azure token is ever written to disk.
 *
 * The authority host is the cloud's, or BERTH_AZURE_AUTHORITY_HOST. MSAL accepts only https authorities;
 * for an overridden host, instance discovery (a call to the public cloud) is turned off.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AzureCliCredential, DeviceCodeCredential, type TokenCredential } from '@azure/identity';
import { type AzureSignInModel, BerthError } from '../../contract';
import { findOnPath } from '../program-path';
import { AZURE_CLOUDS, type ResolvedEndpoints } from './endpoints';

/** How long the user has to enter the device code (Entra ID's own limit is 15 minutes). */
export const DEVICE_CODE_DEADLINE_MS = 15 * 60_000;

export type SignInMethod = AzureSignInModel['method'];

/** Whether the Azure CLI is installed (its login can then be used). */
export function azureCliPresent(): Promise<boolean> {
  // By absolute path: a relative PATH entry would run whatever `az` the working folder holds.
  const az = findOnPath('az', process.env.PATH);
  if (!az) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(az, ['version'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

export class AzureSignIn {
  readonly id = randomUUID();
  private model: AzureSignInModel;
  private readonly listeners = new Set<(model: AzureSignInModel) => void>();
  readonly done: Promise<AzureSignInModel>;

  constructor(run: (update: (patch: Partial<AzureSignInModel>) => void) => Promise<void>, method: SignInMethod) {
    this.model = {
      signInId: this.id,
      method,
      state: 'starting',
      userCode: null,
      verificationUri: null,
      message: null,
      failure: null,
    };
    const update = (patch: Partial<AzureSignInModel>) => {
      this.model = { ...this.model, ...patch };
      for (const listener of this.listeners) listener(this.model);
    };
    this.done = run(update)
      .then(
        () => update({ state: 'signed-in' }),
        (error: unknown) => update({ state: 'failed', failure: signInFailure(error).toShape() }),
      )
      .then(() => this.model);
  }

  current(): AzureSignInModel {
    return this.model;
  }

  onChange(listener: (model: AzureSignInModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function signInFailure(error: unknown): BerthError {
  if (error instanceof BerthError) return error;
  const message = (error as Error)?.message ?? String(error);
  if ((error as Error)?.name === 'CredentialUnavailableError') {
    return new BerthError(
      'AUTH_FAILED',
      `The Azure CLI login cannot be used: ${message.split('\n')[0]}`,
      'Run `az login` in a terminal, or sign in with a device code instead.',
    );
  }
  return new BerthError(
    'AUTH_FAILED',
    `Azure sign-in failed: ${message.split('\n')[0]}`,
    'Sign in again and enter the code before it expires.',
  );
}

/** The signed-in Azure credential of this session. */
export class AzureSession {
  private credential: TokenCredential | null = null;
  private scope = AZURE_CLOUDS.public.armScope;
  private method: SignInMethod | null = null;

  /** `tlsCa`: an extra CA for a stub authority (tests); real users set NODE_EXTRA_CA_CERTS instead. */
  constructor(private readonly tlsCa?: string) {}

  signIn(endpoints: ResolvedEndpoints, method: SignInMethod): AzureSignIn {
    const { authorityHost, armScope, cloud } = endpoints.azure;
    const overridden = authorityHost !== AZURE_CLOUDS[cloud].authorityHost;
    return new AzureSignIn(async (update) => {
      // MSAL refuses any authority that is not https (msal-common UrlString.validateAsUri): say so plainly.
      if (method === 'device-code' && !authorityHost.startsWith('https://')) {
        throw new BerthError(
          'INVALID_INPUT',
          `The sign-in host ${authorityHost} is not https; Microsoft's sign-in library accepts only https authorities.`,
          'Serve the authority over TLS (a stub too: give it a certificate and start Berth with NODE_EXTRA_CA_CERTS naming its CA).',
          { BERTH_AZURE_AUTHORITY_HOST: ['must be https'] },
        );
      }
      const credential: TokenCredential =
        method === 'azure-cli'
          ? new AzureCliCredential()
          : new DeviceCodeCredential({
              tenantId: 'organizations',
              authorityHost,
              disableInstanceDiscovery: overridden,
              ...(this.tlsCa !== undefined && { tlsOptions: { ca: this.tlsCa } }),
              userPromptCallback: (info) =>
                update({
                  state: 'waiting-for-user',
                  userCode: info.userCode,
                  verificationUri: info.verificationUri,
                  message: info.message,
                }),
            });
      const token = await credential.getToken(armScope, { abortSignal: AbortSignal.timeout(DEVICE_CODE_DEADLINE_MS) });
      if (!token?.token) throw new BerthError('AUTH_FAILED', 'Azure sign-in returned no token.', 'Sign in again.');
      this.credential = credential;
      this.scope = armScope;
      this.method = method;
    }, method);
  }

  status(): { signedIn: boolean; method: SignInMethod | null } {
    return { signedIn: this.credential !== null, method: this.method };
  }

  signOut(): void {
    this.credential = null;
    this.method = null;
  }

  /** A fresh ARM token (the credential renews it silently); AUTH_FAILED when not signed in. */
  async token(): Promise<string> {
    if (!this.credential) {
      throw new BerthError('AUTH_FAILED', 'Berth is not signed in to Azure.', 'Sign in to Azure first.');
    }
    try {
      const token = await this.credential.getToken(this.scope);
      if (token?.token) return token.token;
    } catch {
      // fall through: the refresh failed
    }
    this.credential = null;
    throw new BerthError('AUTH_FAILED', 'The Azure sign-in has expired.', 'Sign in to Azure again.');
  }
}

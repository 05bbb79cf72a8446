/**
 * The Heroku API key of this session. It is checked against `GET /account` before it is kept; kept in
 * memory for the session, and in the backend's SecretStore only when the user asks to be remembered (the
 * desktop app's store encrypts with safeStorage; web mode's forgets at exit). Never written anywhere else.
 */
import { BerthError } from '../../contract';
import type { AppSecrets } from '../credentials';
import { HerokuApi } from './heroku-api';

/** Where a remembered key goes: Berth's named app secrets (keychain in the desktop app, memory in web mode). */
export type DeploySecrets = Pick<AppSecrets, 'get' | 'set' | 'delete'>;

/** The app-secret name of a remembered Heroku API key. */
export const HEROKU_KEY_SECRET = 'deploy.heroku-api-key';

export class HerokuAccount {
  private sessionKey: string | undefined;
  private email: string | null = null;

  constructor(private readonly secrets: DeploySecrets) {}

  async signIn(apiUrl: string, apiKey: string, remember: boolean): Promise<{ email: string }> {
    const account = await new HerokuApi(apiUrl, apiKey.trim()).account();
    this.sessionKey = apiKey.trim();
    this.email = account.email;
    if (remember) await this.secrets.set(HEROKU_KEY_SECRET, this.sessionKey);
    else await this.secrets.delete(HEROKU_KEY_SECRET);
    return account;
  }

  async signOut(): Promise<void> {
    this.sessionKey = undefined;
    this.email = null;
    await this.secrets.delete(HEROKU_KEY_SECRET);
  }

  async status(): Promise<{ signedIn: boolean; email: string | null; remembered: boolean }> {
    const remembered = (await this.secrets.get(HEROKU_KEY_SECRET).catch(() => undefined)) !== undefined;
    return { signedIn: this.sessionKey !== undefined || remembered, email: this.email, remembered };
  }

  /** The key to call Heroku with; AUTH_FAILED when the user has not signed in. */
  async key(): Promise<string> {
    const key = this.sessionKey ?? (await this.secrets.get(HEROKU_KEY_SECRET).catch(() => undefined));
    if (key === undefined) {
      throw new BerthError(
        'AUTH_FAILED',
        'Berth has no Heroku API key yet.',
        'Sign in to Heroku with your API key first.',
      );
    }
    return key;
  }
}

/** Login lists for the Ship view's component tests. */
import type { LoginList, LoginSummary } from '../../electron/contract';

export const berthLogin: LoginSummary = {
  registry: '127.0.0.1:5000',
  username: 'berth',
  source: 'berth',
  helper: null,
  identityToken: false,
  inUse: true,
};

export const loginList = (logins: LoginSummary[] = [], over: Partial<LoginList> = {}): LoginList => ({
  logins,
  keeping: 'keychain',
  configPath: '/home/ana/.docker/config.json',
  credsStore: null,
  credHelpers: {},
  problems: [],
  ...over,
});

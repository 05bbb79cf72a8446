/** Test support: a FakeApi scripted for a signed-out deploy panel, for any test that renders the Ship view. */
import type { DeployEndpoints } from '../../electron/contract';
import type { FakeApi } from '../test/fake-api';

export const defaultEndpoints: DeployEndpoints = {
  heroku: { apiUrl: 'https://api.heroku.com', registry: 'registry.heroku.com' },
  azure: {
    cloud: 'public',
    armUrl: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
  },
  overridden: [],
  problems: [],
};

/** Scripts what the deploy panel asks on mount (signed out of both), unless the test scripted it already. */
export function scriptDeployPanel(api: FakeApi): FakeApi {
  const defaults = [
    ['deploy.endpoints', defaultEndpoints],
    [
      'project.default',
      { contextDir: '/project', dockerfile: 'Dockerfile', buildArgs: {}, tags: [], folderPicker: false },
    ],
    ['heroku.status', { signedIn: false, email: null, remembered: false }],
    ['azure.status', { signedIn: false, method: null, cloud: 'public', cliAvailable: false }],
  ] as const;
  for (const [name, answer] of defaults) if (!api.has(name)) api.on(name, answer as never);
  return api;
}

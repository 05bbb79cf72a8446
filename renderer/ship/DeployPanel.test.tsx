import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeployModel } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { DeployPanel } from './DeployPanel';
import { DeployProgress } from './DeployProgress';
import { defaultEndpoints, scriptDeployPanel } from './deploy-test-api';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';

const herokuModel = (over: Partial<DeployModel> = {}): DeployModel => ({
  deployId: 'd1',
  platform: 'heroku',
  target: 'registry.heroku.com/notas-iv/web',
  state: 'running',
  steps: [
    { name: 'Check the app', state: 'done', detail: 'stack container' },
    { name: 'Push the image', state: 'running', detail: null },
    { name: 'Wait for the release', state: 'waiting', detail: null },
  ],
  output: [],
  url: null,
  tailing: false,
  failure: null,
  ...over,
});

/** Renders the panel with `api` (scripted first by the test), signed out of what the test did not script. */
function setup(api = new FakeApi()) {
  renderWithApi(<DeployPanel source="notas-iv:latest" />, scriptDeployPanel(api));
  return api;
}

/** Signed in to Heroku with one container-stack app; clicks Deploy and waits for the deploy stream. */
async function startHerokuDeploy() {
  const api = setup(
    new FakeApi()
      .on('heroku.status', { signedIn: true, email: 'dev@example.com', remembered: false })
      .on('heroku.apps', [
        { name: 'notas-iv', stack: 'container', buildStack: 'container', webUrl: null, region: 'us' },
      ])
      .on('heroku.checkYml', { path: '/project/heroku.yml', found: false, problems: [] })
      .on('heroku.deploy', { deployId: 'd1' }),
  );
  const heroku = await screen.findByRole('region', { name: 'Heroku' });
  await waitFor(() => expect(within(heroku).getByLabelText('App')).toHaveValue('notas-iv'));
  await userEvent.click(within(heroku).getByRole('button', { name: 'Deploy to Heroku' }));
  await waitFor(() => expect(api.open('deploy')).toHaveLength(1));
  return { api, heroku };
}

describe('Heroku deploy', () => {
  it('signs in with the API key, shows Heroku words on a refusal, and never shows the key', async () => {
    const api = setup().fail(
      'heroku.signIn',
      'AUTH_FAILED',
      'Heroku refused the API key: Invalid credentials provided. (unauthorized)',
      'Give a valid API key.',
    );
    const form = await screen.findByRole('form', { name: 'Heroku sign-in' });
    const key = within(form).getByLabelText('Heroku API key');
    expect(key).toHaveAttribute('type', 'password');
    await userEvent.type(key, 'wrong');
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in to Heroku' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Invalid credentials provided.');

    api
      .on('heroku.signIn', { email: 'dev@example.com' })
      .on('heroku.status', { signedIn: true, email: 'dev@example.com', remembered: true })
      .on('heroku.apps', [
        {
          name: 'notas-iv',
          stack: 'heroku-24',
          buildStack: 'heroku-24',
          webUrl: 'https://notas-iv.herokuapp.com/',
          region: 'us',
        },
      ])
      .on('heroku.checkYml', {
        path: '/project/heroku.yml',
        found: true,
        problems: [{ line: 4, message: 'build has no "confg" section; Heroku knows docker, config' }],
      });
    await userEvent.clear(key);
    await userEvent.type(key, 'right-key');
    await userEvent.click(within(form).getByRole('checkbox', { name: /Remember/ }));
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in to Heroku' }));
    expect(api.callsTo('heroku.signIn').at(-1)).toEqual({ apiKey: 'right-key', remember: true });
    expect(await screen.findByText('Signed in as dev@example.com')).toBeInTheDocument();
    expect(screen.queryByDisplayValue('right-key')).toBeNull();
    expect(await screen.findByText(/the deploy sets the container stack first/)).toBeInTheDocument();
    expect(await screen.findByText(/line 4: build has no "confg" section/)).toBeInTheDocument();
  });

  it('deploys the image to the chosen app and shows steps, release output and the URL', async () => {
    const { api } = await startHerokuDeploy();
    expect(api.callsTo('heroku.deploy')).toEqual([{ source: 'notas-iv:latest', app: 'notas-iv' }]);
    act(() => api.emit('deploy', herokuModel()));
    const progress = await screen.findByRole('region', { name: 'Heroku deploy' });
    expect(within(progress).getByRole('list', { name: 'Deploy steps' })).toHaveTextContent('Push the image');
    act(() =>
      api.emit(
        'deploy',
        herokuModel({
          state: 'succeeded',
          steps: herokuModel().steps.map((s) => ({ ...s, state: 'done' })),
          output: ['Release command finished'],
          url: 'https://notas-iv.herokuapp.com/',
        }),
      ),
    );
    expect(within(progress).getByRole('log', { name: 'Release output' })).toHaveTextContent('Release command finished');
    expect(within(progress).getByRole('link', { name: 'https://notas-iv.herokuapp.com/' })).toBeInTheDocument();
  });

  it('reads the app list again once the deploy set the container stack, and once the release is out', async () => {
    // Heroku's answers as the stub gives them: build_stack changes at once, stack with the release.
    const app = { name: 'notas-iv', stack: 'heroku-24', buildStack: 'heroku-24', webUrl: null, region: 'us' };
    const api = setup(
      new FakeApi()
        .on('heroku.status', { signedIn: true, email: 'dev@example.com', remembered: false })
        .on('heroku.apps', () => [{ ...app }])
        .on('heroku.checkYml', { path: '/project/heroku.yml', found: false, problems: [] })
        .on('heroku.deploy', { deployId: 'd1' }),
    );
    const heroku = await screen.findByRole('region', { name: 'Heroku' });
    // The app picker comes once the sign-in status is read, after the region itself: wait for it.
    const appSelect = await within(heroku).findByLabelText('App');
    await waitFor(() => expect(appSelect).toHaveTextContent('notas-iv (heroku-24)'));
    expect(heroku).toHaveTextContent('the deploy sets the container stack first');
    await userEvent.click(within(heroku).getByRole('button', { name: 'Deploy to Heroku' }));
    await waitFor(() => expect(api.open('deploy')).toHaveLength(1));
    const asked = api.callsTo('heroku.apps').length;
    const steps = (stack: 'running' | 'done', release: 'waiting' | 'done') => [
      { name: 'Check the app', state: 'done' as const, detail: 'stack heroku-24' },
      { name: 'Set the container stack', state: stack, detail: stack === 'done' ? 'build stack container' : null },
      { name: 'Wait for the release', state: release, detail: null },
    ];
    act(() => api.emit('deploy', herokuModel({ steps: steps('running', 'waiting') })));
    expect(api.callsTo('heroku.apps')).toHaveLength(asked);
    app.buildStack = 'container';
    act(() => api.emit('deploy', herokuModel({ steps: steps('done', 'waiting') })));
    await waitFor(() => expect(appSelect).toHaveTextContent('notas-iv (heroku-24, container from the next release)'));
    expect(api.callsTo('heroku.apps')).toHaveLength(asked + 1);
    expect(heroku).not.toHaveTextContent('the deploy sets the container stack first');
    app.stack = 'container';
    act(() => api.emit('deploy', herokuModel({ state: 'succeeded', steps: steps('done', 'done') })));
    await waitFor(() => expect(appSelect).toHaveTextContent('notas-iv (container)'));
    expect(api.callsTo('heroku.apps')).toHaveLength(asked + 2);
  });

  it('a failed release shows Heroku error and fix', async () => {
    const { api, heroku } = await startHerokuDeploy();
    act(() =>
      api.emit(
        'deploy',
        herokuModel({
          state: 'failed',
          failure: {
            code: 'DEPLOY_FAILED',
            message: 'Heroku release v2 failed: Release command failed.',
            fix: 'Read the release output above.',
          },
        }),
      ),
    );
    const alert = await within(heroku).findByRole('alert');
    expect(alert).toHaveTextContent('DEPLOY_FAILED');
    expect(alert).toHaveTextContent('Heroku release v2 failed');
    expect(alert).toHaveTextContent('Read the release output above.');
  });
});

describe('Azure deploy', () => {
  it('shows the device code and verification URL while signing in, then the deploy form', async () => {
    const api = setup().on('azure.signIn', { signInId: 's1' });
    const azure = await screen.findByRole('region', { name: 'Azure App Service' });
    await userEvent.selectOptions(within(azure).getByLabelText('Cloud'), 'usgov');
    expect(within(azure).queryByRole('button', { name: 'Use the Azure CLI login' })).toBeNull();
    await userEvent.click(within(azure).getByRole('button', { name: 'Sign in with a code' }));
    expect(api.callsTo('azure.signIn')).toEqual([{ cloud: 'usgov', method: 'device-code' }]);
    await waitFor(() => expect(api.open('azureSignIn')).toHaveLength(1));
    const waiting = {
      signInId: 's1',
      method: 'device-code' as const,
      state: 'waiting-for-user' as const,
      userCode: 'BERTH-7530',
      verificationUri: 'https://microsoft.com/devicelogin',
      message: 'enter the code',
      failure: null,
    };
    act(() => api.emit('azureSignIn', waiting));
    const code = await within(azure).findByRole('status');
    expect(code).toHaveTextContent('BERTH-7530');
    expect(within(code).getByRole('link', { name: 'https://microsoft.com/devicelogin' })).toBeInTheDocument();

    api
      .on('azure.status', { signedIn: true, method: 'device-code', cloud: 'usgov', cliAvailable: false })
      .on('azure.subscriptions', [{ id: SUB, name: 'Pay-As-You-Go', location: null }])
      .on('azure.resources', { groups: [{ id: 'g', name: 'berth-rg', location: 'westeurope' }], plans: [], sites: [] })
      .on('azure.deploy', { deployId: 'a1' });
    act(() => api.emit('azureSignIn', { ...waiting, state: 'signed-in' }));
    const form = await within(azure).findByRole('form', { name: 'Azure deploy' });
    await waitFor(() => expect(api.callsTo('azure.resources')).toEqual([{ subscriptionId: SUB }]));
    await userEvent.type(within(form).getByLabelText('Resource group'), 'berth-rg');
    expect(within(form).getByText('exists')).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText('Linux plan'), 'berth-linux');
    expect(within(form).getByText('will be created')).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText('Web app'), 'notas-iv');
    await userEvent.clear(within(form).getByLabelText('Image App Service pulls'));
    await userEvent.type(within(form).getByLabelText('Image App Service pulls'), 'berthuser/notas-iv:latest');
    // The image has not passed "Run as Azure" here: the user overrides that on purpose, and the request says so.
    await userEvent.click(within(form).getByRole('checkbox', { name: /Deploy without a passed "Run as Azure"/ }));
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy to Azure' }));
    expect(api.callsTo('azure.deploy')).toEqual([
      {
        subscriptionId: SUB,
        resourceGroup: 'berth-rg',
        location: 'westeurope',
        plan: 'berth-linux',
        site: 'notas-iv',
        image: 'berthuser/notas-iv:latest',
        localImage: 'notas-iv:latest',
        overrideParity: true,
      },
    ]);
  });

  it('shows the endpoints the environment set, and a refused override', async () => {
    const api = new FakeApi().on('deploy.endpoints', {
      ...defaultEndpoints,
      heroku: { apiUrl: 'http://127.0.0.1:4010', registry: '127.0.0.1:5001' },
      overridden: ['BERTH_HEROKU_API_URL', 'BERTH_HEROKU_REGISTRY'],
      problems: [
        {
          variable: 'BERTH_AZURE_ARM_URL',
          message:
            'BERTH_AZURE_ARM_URL="http://example.com" cannot be used: plain http is allowed only on a loopback address.',
        },
      ],
    });
    setup(api);
    expect(await screen.findByRole('note')).toHaveTextContent('BERTH_HEROKU_API_URL, BERTH_HEROKU_REGISTRY');
    expect(screen.getByRole('note')).toHaveTextContent('http://127.0.0.1:4010');
    expect(
      screen.getAllByRole('alert').some((a) => a.textContent?.includes('plain http is allowed only on a loopback')),
    ).toBe(true);
  });
});

describe('Deploy progress', () => {
  it('while App Service log is followed, offers to stop following; the container log is shown as a log', async () => {
    const onCancel = vi.fn();
    renderWithApi(
      <DeployProgress
        model={herokuModel({
          platform: 'azure',
          target: 'notas-iv ← berthuser/notas-iv:1.0',
          state: 'succeeded',
          tailing: true,
          url: 'https://notas-iv.azurewebsites.net',
          output: ['INFO  - docker run -d -p 7530:80 -e PORT=80'],
        })}
        onCancel={onCancel}
      />,
    );
    expect(screen.getByRole('log', { name: 'Container log' })).toHaveTextContent('-e PORT=80');
    expect(screen.getByText('Following the container log…')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Stop following the log' }));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(screen.getByRole('link', { name: 'https://notas-iv.azurewebsites.net' })).toBeInTheDocument();
  });
});

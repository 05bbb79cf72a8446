import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { images, pushModel } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { scriptDeployPanel } from './deploy-test-api';
import { ShipView } from './ShipView';
import { berthLogin, loginList } from './test-logins';

const DIGEST = `sha256:${'d'.repeat(64)}`;

/** Types over the whole value (clearing first would let the view propose a target again). */
const replaceText = (input: HTMLElement, text: string) =>
  userEvent.type(input, text, {
    initialSelectionStart: 0,
    initialSelectionEnd: (input as HTMLInputElement).value.length,
  });

/** The Ship view with ana logged in to Docker Hub, the target typed, and the namespace notice it shows. */
async function pushAsAnaTo(text: string) {
  const api = setup(loginList([{ ...berthLogin, registry: 'docker.io', username: 'ana' }]));
  const target = screen.getByLabelText('Push to');
  await waitFor(() => expect(target).toHaveValue('127.0.0.1:5000/notas-iv:latest'));
  await replaceText(target, text);
  return { api, target, notice: await screen.findByRole('alert', { name: 'Namespace check' }) };
}

function setup(logins = loginList()) {
  const api = scriptDeployPanel(
    new FakeApi().on('images.list', images).on('registry.logins', logins).on('push.start', { pushId: 'p1' }),
  );
  renderWithApi(<ShipView />, api);
  return api;
}

describe('ShipView', () => {
  it('proposes the local registry target for the local image', async () => {
    setup();
    await waitFor(() => expect(screen.getByLabelText('Push to')).toHaveValue('127.0.0.1:5000/notas-iv:latest'));
    expect(screen.getByLabelText('Local image')).toHaveValue('notas-iv:latest');
    // The deploy panel offers both platforms (their flows are tested in DeployPanel.test.tsx).
    expect(screen.getByRole('region', { name: 'Heroku' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Azure App Service' })).toBeInTheDocument();
  });

  it('shows a wrong password as the registry said it, then logs in with the right one and remembers it', async () => {
    const api = setup();
    api.fail(
      'registry.login',
      'AUTH_FAILED',
      'unauthorized: incorrect username or password',
      'Check the user name and password (or token) for 127.0.0.1:5000.',
    );
    const login = screen.getByRole('form', { name: 'Registry login' });
    await userEvent.type(within(login).getByLabelText('User name'), 'berth');
    await userEvent.type(within(login).getByLabelText('Password or token'), 'wrong');
    await userEvent.click(within(login).getByRole('button', { name: 'Log in' }));
    const alert = await within(login).findByRole('alert');
    expect(alert).toHaveTextContent('AUTH_FAILED');
    expect(alert).toHaveTextContent('unauthorized: incorrect username or password');
    expect(alert).toHaveTextContent('Check the user name and password');

    api
      .on('registry.login', { message: 'Login Succeeded', keeping: 'keychain', helper: null })
      .on('registry.logins', loginList([berthLogin]));
    await userEvent.clear(within(login).getByLabelText('Password or token'));
    // The error spoke of the old password: editing it takes the error away.
    expect(within(login).queryByRole('alert')).toBeNull();
    await userEvent.type(within(login).getByLabelText('Password or token'), 'right');
    await userEvent.click(within(login).getByRole('checkbox', { name: /Remember/ }));
    await userEvent.click(within(login).getByRole('button', { name: 'Log in' }));
    expect(
      await within(login).findByText('Login Succeeded: remembered encrypted by the OS keychain'),
    ).toBeInTheDocument();
    expect(within(login).queryByRole('alert')).toBeNull();
    expect(api.callsTo('registry.login').at(-1)).toEqual({
      registry: '127.0.0.1:5000',
      username: 'berth',
      password: 'right',
      remember: true,
    });
    const list = await within(login).findByRole('list', { name: 'Logins' });
    expect(list).toHaveTextContent('berth @ 127.0.0.1:5000');
    expect(list).toHaveTextContent('Berth');
  });

  it('pushes with the typed credentials, draws a bar per layer and ends with a copyable digest', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const api = setup();
    await waitFor(() => expect(screen.getByLabelText('Push to')).toHaveValue('127.0.0.1:5000/notas-iv:latest'));
    await userEvent.type(screen.getByLabelText('User name'), 'berth');
    await userEvent.type(screen.getByLabelText('Password or token'), 'right');
    await userEvent.click(screen.getByRole('button', { name: 'Push' }));
    expect(api.callsTo('push.start')).toEqual([
      {
        source: 'notas-iv:latest',
        target: '127.0.0.1:5000/notas-iv:latest',
        credentials: { registry: '127.0.0.1:5000', username: 'berth', password: 'right' },
      },
    ]);
    await waitFor(() => expect(api.open('push')).toHaveLength(1));
    act(() =>
      api.emit(
        'push',
        pushModel({
          layers: [
            { id: 'sha256:aaaaaaaaaaaa1', status: 'exists', current: 0, total: 0 },
            { id: 'sha256:bbbbbbbbbbbb2', status: 'pushing', current: 2_500_000, total: 10_000_000 },
          ],
        }),
      ),
    );
    const progress = screen.getByRole('region', { name: 'Push progress' });
    expect(within(progress).getByRole('progressbar', { name: 'Layer bbbbbbbbbbbb' })).toHaveAttribute(
      'aria-valuenow',
      '25',
    );
    expect(within(progress).getByRole('progressbar', { name: 'Layer aaaaaaaaaaaa' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    expect(within(progress).getByText('already exists')).toBeInTheDocument();
    expect(within(progress).getByText(/2.5 MB \/ 10.0 MB/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Push' })).toBeDisabled();

    act(() =>
      api.emit(
        'push',
        pushModel({
          state: 'succeeded',
          digest: DIGEST,
          size: 1234,
          layers: [
            { id: 'sha256:aaaaaaaaaaaa1', status: 'exists', current: 0, total: 0 },
            { id: 'sha256:bbbbbbbbbbbb2', status: 'pushed', current: 10_000_000, total: 10_000_000 },
          ],
        }),
      ),
    );
    expect(screen.getByTestId('push-digest')).toHaveTextContent(DIGEST);
    await userEvent.click(screen.getByRole('button', { name: 'Copy digest' }));
    expect(writeText).toHaveBeenCalledWith(DIGEST);
  });

  it('shows the registry error from a failed push with its fix', async () => {
    const api = setup();
    await waitFor(() => expect(screen.getByLabelText('Push to')).toHaveValue('127.0.0.1:5000/notas-iv:latest'));
    await userEvent.click(screen.getByRole('button', { name: 'Push' }));
    await waitFor(() => expect(api.open('push')).toHaveLength(1));
    act(() =>
      api.emit(
        'push',
        pushModel({
          state: 'failed',
          failure: {
            code: 'AUTH_FAILED',
            message: 'unauthorized: authentication required',
            fix: 'Log in to 127.0.0.1:5000 first.',
          },
        }),
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('unauthorized: authentication required');
    expect(alert).toHaveTextContent('Log in to 127.0.0.1:5000 first.');
  });

  it('shows INVALID_INPUT from push.start by field', async () => {
    const api = setup();
    api.fail('push.start', 'INVALID_INPUT', 'The push request is not valid.', 'Correct the marked fields.', {
      target: ['not a valid image reference: use lowercase name[:tag], e.g. notas-iv:latest'],
    });
    await waitFor(() => expect(screen.getByLabelText('Push to')).toHaveValue('127.0.0.1:5000/notas-iv:latest'));
    await userEvent.click(screen.getByRole('button', { name: 'Push' }));
    expect(await screen.findByText(/not a valid image reference/)).toBeInTheDocument();
    expect(screen.getByLabelText('Push to')).toHaveAttribute('aria-invalid', 'true');
  });

  it('catches a namespace that is not the login user before the push, and offers the retag', async () => {
    const { api, target, notice } = await pushAsAnaTo('bob/notas-iv:1.2.0');
    await waitFor(() => expect(notice).toHaveTextContent('The namespace "bob" is not your user name "ana"'));
    expect(screen.getByRole('button', { name: 'Push' })).toBeDisabled();

    await userEvent.click(within(notice).getByRole('button', { name: 'Retag as ana/notas-iv:1.2.0' }));
    expect(target).toHaveValue('ana/notas-iv:1.2.0');
    expect(await screen.findByText('"ana" is your namespace on docker.io.')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Also tag'), 'latest');
    await userEvent.click(screen.getByRole('button', { name: 'Push' }));
    expect(api.callsTo('push.start').at(-1)).toEqual({
      source: 'notas-iv:latest',
      target: 'ana/notas-iv:1.2.0',
      alsoTags: ['latest'],
    });
  });

  it('pushes to an organisation only when the user says so', async () => {
    const { api, notice } = await pushAsAnaTo('acme/notas-iv:1.0');
    await userEvent.click(within(notice).getByRole('checkbox', { name: /Push anyway/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Push' }));
    expect(api.callsTo('push.start').at(-1)).toEqual({
      source: 'notas-iv:latest',
      target: 'acme/notas-iv:1.0',
      allowOtherNamespace: true,
    });
  });
});

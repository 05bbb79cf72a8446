import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { type Credentials, LoginForm } from './LoginForm';
import { berthLogin, loginList } from './test-logins';

const credentials: Credentials = { registry: '127.0.0.1:5000', username: '', password: '' };

function renderForm(list = loginList(), creds = credentials) {
  const api = new FakeApi().on('registry.logout', { ok: true });
  const onLoginsChanged = vi.fn();
  renderWithApi(
    <LoginForm credentials={creds} onChange={() => undefined} logins={list} onLoginsChanged={onLoginsChanged} />,
    api,
  );
  return { api, onLoginsChanged };
}

describe('the logins and their sources', () => {
  it('shows each login with its source: config file, helper or Berth, and which one a push uses', () => {
    renderForm(
      loginList([
        berthLogin,
        { ...berthLogin, username: 'ana', source: 'config-file', inUse: false },
        { ...berthLogin, registry: 'quay.io', username: 'qa', source: 'helper', helper: 'pass' },
        {
          ...berthLogin,
          registry: 'docker.io',
          username: '',
          source: 'helper',
          helper: 'desktop',
          identityToken: true,
        },
      ]),
    );
    const items = within(screen.getByRole('list', { name: 'Logins' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      'berth @ 127.0.0.1:5000 BerthLog out',
      'ana @ 127.0.0.1:5000 docker config file (not used: another source wins for this registry)',
      'qa @ quay.io helper: docker-credential-passLog out',
      '(identity token) @ docker.io helper: docker-credential-desktopLog out',
    ]);
  });

  it('says that remembered logins stay in memory for the session in web mode without a keyring', () => {
    renderForm(loginList([], { keeping: 'memory' }));
    expect(screen.getByRole('note')).toHaveTextContent(
      'Web mode without a keyring: logins and keys you ask Berth to remember stay in memory for this session only',
    );
    expect(screen.getByRole('checkbox', { name: /Remember/ }).parentElement).toHaveTextContent(
      'Remember (in memory for this session only)',
    );
  });

  it('says nothing of memory in the desktop app, where the OS keychain encrypts them', () => {
    renderForm(loginList([], { keeping: 'keychain' }));
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.getByRole('checkbox', { name: /Remember/ }).parentElement).toHaveTextContent(
      'Remember (encrypted by the OS keychain)',
    );
  });

  it('remembers through the credential helper config.json names for the registry', () => {
    renderForm(loginList([], { keeping: 'memory', credHelpers: { '127.0.0.1:5000': 'pass' } }));
    expect(screen.getByRole('checkbox', { name: /Remember/ }).parentElement).toHaveTextContent(
      'Remember (through docker-credential-pass)',
    );
  });

  it('logs out of a login Berth or a helper holds, and shows what could not be read', async () => {
    const { api, onLoginsChanged } = renderForm(
      loginList([berthLogin], {
        problems: [{ code: 'HELPER_FAILED', message: 'docker-credential-pass list failed (exit 1)', fix: 'Check it.' }],
      }),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('docker-credential-pass list failed (exit 1)');
    await userEvent.click(screen.getByRole('button', { name: 'Log out of 127.0.0.1:5000' }));
    expect(api.callsTo('registry.logout')).toEqual([{ registry: '127.0.0.1:5000' }]);
    await waitFor(() => expect(onLoginsChanged).toHaveBeenCalled());
  });
});

import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EngineContext } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { connectedStatus } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { EngineBar } from './EngineBar';

const only: EngineContext[] = [{ name: 'default', endpoint: 'unix:///var/run/docker.sock', current: true }];

async function openDialog(api: FakeApi) {
  renderWithApi(<EngineBar />, api);
  await userEvent.click(await screen.findByRole('button', { name: 'Add an engine' }));
  return screen.getByRole('dialog', { name: 'Add an engine' });
}

describe('adding an engine from the engine bar', () => {
  it('checks the form against the contract before sending: a one-letter name and a port as words are refused', async () => {
    const api = new FakeApi().on('engine.contexts', only);
    await openDialog(api);
    await userEvent.type(screen.getByLabelText('Context name'), 'x');
    await userEvent.type(screen.getByLabelText('User'), 'root');
    await userEvent.type(screen.getByLabelText('Host'), 'ssh://box');
    await userEvent.type(screen.getByLabelText('Port (optional)'), 'twenty-two');
    await userEvent.click(screen.getByRole('button', { name: 'Save context' }));
    // Each message sits under its own box (role alert, wired to the input).
    await waitFor(() => expect(screen.getByLabelText('Context name')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Context name')).toHaveAccessibleDescription(/a context name has 2\+ characters/);
    expect(screen.getByLabelText('Host')).toHaveAccessibleDescription(/give a host name or IP address only/);
    expect(screen.getByLabelText('Port (optional)')).toHaveAccessibleDescription(/port must be a number/);
    expect(api.calls.some((c) => c.name === 'engine.addContext')).toBe(false);
  });

  it('saves a TLS engine with its three files, then switches to it', async () => {
    const added: EngineContext = { name: 'tls-box', endpoint: 'tcp://10.0.0.5:2376', current: false };
    const api = new FakeApi()
      .on('engine.contexts', only)
      .on('engine.addContext', added)
      .on('engine.useContext', { ...connectedStatus, context: 'tls-box', state: 'connecting' });
    await openDialog(api);
    await userEvent.click(screen.getByRole('radio', { name: 'TCP with TLS' }));
    await userEvent.type(screen.getByLabelText('Context name'), 'tls-box');
    await userEvent.type(screen.getByLabelText('Host'), '10.0.0.5');
    await userEvent.type(screen.getByLabelText('Port'), '2376');
    await userEvent.type(screen.getByLabelText('CA certificate (ca.pem)'), '/certs/ca.pem');
    await userEvent.type(screen.getByLabelText('Client certificate (cert.pem)'), '/certs/cert.pem');
    await userEvent.type(screen.getByLabelText('Client key (key.pem)'), '/certs/key.pem');
    await userEvent.click(screen.getByRole('button', { name: 'Save context' }));
    await waitFor(() => expect(api.calls.some((c) => c.name === 'engine.useContext')).toBe(true));
    expect(api.calls.find((c) => c.name === 'engine.addContext')?.input).toEqual({
      kind: 'tls',
      name: 'tls-box',
      host: '10.0.0.5',
      port: 2376,
      ca: '/certs/ca.pem',
      cert: '/certs/cert.pem',
      key: '/certs/key.pem',
    });
    expect(api.calls.find((c) => c.name === 'engine.useContext')?.input).toEqual({ name: 'tls-box' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it("shows the backend's answer naming the file to fix, and stays open", async () => {
    const api = new FakeApi()
      .on('engine.contexts', only)
      .fail(
        'engine.addContext',
        'INVALID_INPUT',
        '/home/me/id_ed25519.pub is not a PEM private key.',
        'Give the path of an unencrypted PEM private key.',
      );
    await openDialog(api);
    await userEvent.type(screen.getByLabelText('Context name'), 'box');
    await userEvent.type(screen.getByLabelText('User'), 'me');
    await userEvent.type(screen.getByLabelText('Host'), 'box.lan');
    await userEvent.type(screen.getByLabelText('Private key file (optional)'), '/home/me/id_ed25519.pub');
    await userEvent.click(screen.getByRole('button', { name: 'Save context' }));
    expect(await screen.findByText('/home/me/id_ed25519.pub is not a PEM private key.')).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Add an engine' })).toBeInTheDocument();
    expect(api.calls.some((c) => c.name === 'engine.useContext')).toBe(false);
  });
});

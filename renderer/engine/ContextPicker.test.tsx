import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EngineContext } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { connectedStatus } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { EngineBar } from './EngineBar';

const contexts: EngineContext[] = [
  { name: 'default', endpoint: 'unix:///var/run/docker.sock', current: true },
  { name: 'remote', endpoint: 'tcp://10.0.0.5:2376', description: 'build box', current: false },
];

describe('the engine bar context picker', () => {
  it('is just the name when there is only one context', async () => {
    const api = new FakeApi().on('engine.contexts', [contexts[0]!]);
    renderWithApi(<EngineBar />, api);
    await waitFor(() => expect(api.calls.some((c) => c.name === 'engine.contexts')).toBe(true));
    expect(screen.getByTestId('engine-context')).toHaveTextContent('default');
    expect(screen.queryByRole('combobox', { name: 'Docker context' })).not.toBeInTheDocument();
  });

  it('lists the contexts and switches with engine.useContext; the new status comes on the engine stream', async () => {
    const api = new FakeApi()
      .on('engine.contexts', contexts)
      .on('engine.useContext', { ...connectedStatus, state: 'connecting', context: 'remote' });
    renderWithApi(<EngineBar />, api);
    const picker = await screen.findByRole('combobox', { name: 'Docker context' });
    expect(picker).toHaveValue('default');
    await userEvent.selectOptions(picker, 'remote');
    expect(api.calls.find((c) => c.name === 'engine.useContext')?.input).toEqual({ name: 'remote' });
    act(() => api.emit('engine', { kind: 'status', status: { ...connectedStatus, context: 'remote' } }));
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Docker context' })).toHaveValue('remote'));
  });

  it('shows why a switch failed, with the fix, and stays on the current context', async () => {
    const api = new FakeApi()
      .on('engine.contexts', contexts)
      .fail('engine.useContext', 'NOT_FOUND', 'No docker context "remote".', 'Run docker context ls.');
    renderWithApi(<EngineBar />, api);
    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Docker context' }), 'remote');
    expect(await screen.findByRole('alert')).toHaveTextContent('No docker context "remote". Run docker context ls.');
    expect(screen.getByRole('combobox', { name: 'Docker context' })).toHaveValue('default');
  });
});

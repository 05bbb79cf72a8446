import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { ComposeGroups } from './ComposeGroups';

const groups = [
  {
    project: 'shop',
    services: [
      { service: 'db', containers: [{ id: 'a'.repeat(12), name: 'shop-db-1', state: 'running' as const }] },
      {
        service: 'web',
        containers: [
          { id: 'b'.repeat(12), name: 'shop-web-1', state: 'running' as const },
          { id: 'c'.repeat(12), name: 'shop-web-2', state: 'exited' as const },
        ],
      },
    ],
  },
];

describe('ComposeGroups', () => {
  it('shows each project with running/total per service, and acts on the whole project', async () => {
    const api = new FakeApi().on('compose.groups', groups).on('compose.action', () => ({ done: ['x'], failed: [] }));
    renderWithApi(<ComposeGroups />, api);
    const region = await screen.findByRole('region', { name: 'Compose projects' });
    expect(region).toHaveTextContent('db 1/1 · web 1/2');
    await userEvent.click(within(region).getByRole('button', { name: 'Stop all' }));
    // Remove asks once more first.
    await userEvent.click(within(region).getByRole('button', { name: 'Remove all' }));
    expect(api.callsTo('compose.action')).toEqual([{ project: 'shop', action: 'stop' }]);
    await userEvent.click(within(region).getByRole('button', { name: 'Really remove shop?' }));
    expect(api.callsTo('compose.action')).toEqual([
      { project: 'shop', action: 'stop' },
      // Exactly the containers shown when the user confirmed: one that joins the project later is not removed.
      { project: 'shop', action: 'remove', ids: ['a'.repeat(12), 'b'.repeat(12), 'c'.repeat(12)] },
    ]);
  });

  it('says which containers failed', async () => {
    const api = new FakeApi()
      .on('compose.groups', groups)
      .on('compose.action', () => ({ done: [], failed: [{ id: 'a', message: 'engine said no' }] }));
    renderWithApi(<ComposeGroups />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Start all' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('engine said no');
  });
});

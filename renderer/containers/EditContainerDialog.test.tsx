import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BerthError, type ContainerChangesInput, RunSpec } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container, images } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ContainersView } from './ContainersView';
import { changesFrom, formValues } from './edit-form';

const before = RunSpec.parse({
  image: 'notas-iv:latest',
  name: 'notes',
  env: { PORT: '5000' },
  ports: [{ hostPort: 5000, containerPort: 5000 }],
  volumes: [{ source: 'notas-data', target: '/data' }],
});

describe('edit-form', () => {
  it('sends only the settings that changed', () => {
    const values = { ...formValues(before), ports: '127.0.0.1:5001:5000/tcp', restart: 'always' as const };
    expect(changesFrom(before, values)).toEqual({
      ports: [{ hostIp: '127.0.0.1', hostPort: 5001, containerPort: 5000, protocol: 'tcp' }],
      restart: 'always',
    });
    expect(changesFrom(before, formValues(before))).toEqual({});
  });
  it('a port it cannot read goes as NaN, for the contract to refuse', () => {
    const changes = changesFrom(before, { ...formValues(before), ports: '50x1:5000' });
    expect(changes.ports?.[0]?.hostPort).toBeNaN();
  });
});

describe('EditContainerDialog', () => {
  it('shows the diff of the settings first, then recreates with exactly those changes', async () => {
    const sent: ContainerChangesInput[] = [];
    const api = new FakeApi()
      .on('containers.list', [container()])
      .on('images.list', images)
      .on('containers.editPreview', ({ changes }) => ({
        name: 'notes',
        before,
        after: before,
        changes: changes.ports
          ? [{ setting: 'ports', removed: ['127.0.0.1:5000->5000/tcp'], added: ['127.0.0.1:5001->5000/tcp'] }]
          : [],
      }))
      .on('containers.edit', ({ changes }) => {
        sent.push(changes);
        return container();
      });
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('button', { name: /^Edit / }));
    const dialog = await screen.findByRole('dialog');
    const ports = await within(dialog).findByRole('textbox', { name: /Ports/ });
    expect(ports).toHaveValue('127.0.0.1:5000:5000/tcp');
    await userEvent.clear(ports);
    await userEvent.type(ports, '127.0.0.1:5001:5000/tcp');
    expect(within(dialog).queryByRole('button', { name: 'Recreate' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review changes' }));
    const diff = await within(dialog).findByRole('region', { name: 'Changes' });
    expect(diff).toHaveTextContent('− 127.0.0.1:5000->5000/tcp');
    expect(diff).toHaveTextContent('+ 127.0.0.1:5001->5000/tcp');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Recreate' }));
    expect(sent).toEqual([{ ports: [{ hostIp: '127.0.0.1', hostPort: 5001, containerPort: 5000, protocol: 'tcp' }] }]);
  });

  it('shows the engine’s refusal (the old container is back) and keeps the dialog open', async () => {
    const api = new FakeApi()
      .on('containers.list', [container()])
      .on('images.list', images)
      .on('containers.editPreview', () => ({
        name: 'notes',
        before,
        after: before,
        changes: [{ setting: 'restart', removed: ['no'], added: ['always'] }],
      }))
      .on('containers.edit', new BerthError('PORT_TAKEN', 'Host port 5001 is in use.', 'Use host port 5002 instead.'));
    renderWithApi(<ContainersView />, api);
    await userEvent.click(await screen.findByRole('button', { name: /^Edit / }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.selectOptions(await within(dialog).findByRole('combobox', { name: /Restart/ }), 'always');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review changes' }));
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Recreate' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Use host port 5002 instead.');
  });
});

import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { packMergedLines, type SwarmService } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { images, podmanStatus } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ServicesView } from './ServicesView';

const task = (
  slot: number,
  state: string,
  hostPort: number | null,
  image = 'notas-iv:1',
): SwarmService['tasks'][number] => ({
  id: `task${slot}${state}`.padEnd(25, '0'),
  slot,
  image,
  state,
  desiredState: state === 'running' ? 'running' : 'shutdown',
  message: state === 'running' ? 'started' : 'task: non-zero exit (1): dockerexec: unhealthy container',
  error: state === 'failed' ? 'task: non-zero exit (1): dockerexec: unhealthy container' : null,
  containerId: null,
  ports: hostPort ? [{ containerPort: 5000, hostPort }] : [],
  updatedAt: 1,
});

const notes: SwarmService = {
  id: 'abcdefghijklmnopqrstuvwxy',
  name: 'notes',
  image: 'notas-iv:1',
  replicas: 2,
  running: 2,
  update: { state: 'rollback_completed', message: 'rollback completed' },
  // in the order core gives them: by slot, newest first
  tasks: [task(1, 'running', 30001), task(1, 'failed', null, 'notas-iv:bad'), task(2, 'running', 30002)],
};

const fake = () =>
  new FakeApi()
    .on('services.status', { manager: true, reason: null })
    .on('services.list', [notes])
    .on('images.list', images)
    .on('services.scale', ({ replicas }) => ({ ...notes, replicas }))
    .on('services.deploy', notes)
    .on('services.remove', { ok: true });

describe('ServicesView', () => {
  it('says why when the engine is not a Swarm manager, offers nothing that would fail, and checks again', async () => {
    let manager = false;
    const api = new FakeApi()
      .on('services.status', () =>
        manager ? { manager: true, reason: null } : { manager: false, reason: 'This engine is not a Swarm manager.' },
      )
      .on('services.list', [])
      .on('images.list', images);
    renderWithApi(<ServicesView />, api);
    const unavailable = await screen.findByRole('region', { name: /not available/ });
    expect(unavailable).toHaveTextContent('not a Swarm manager');
    expect(screen.queryByRole('form', { name: 'Deploy a service' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Deploy|Scale|Remove|Logs/ })).not.toBeInTheDocument();
    expect(api.callsTo('services.list')).toEqual([]);
    // `docker swarm init` on the engine, then "Check again": the view opens.
    manager = true;
    await userEvent.click(within(unavailable).getByRole('button', { name: 'Check again' }));
    expect(await screen.findByRole('form', { name: 'Deploy a service' })).toBeInTheDocument();
  });

  it('on Podman says it has no Swarm mode', async () => {
    renderWithApi(
      <ServicesView />,
      new FakeApi().on('services.status', { manager: false, reason: 'Podman has no Swarm mode.' }),
      podmanStatus,
    );
    expect(await screen.findByRole('region', { name: /not available/ })).toHaveTextContent('Podman has no Swarm mode.');
    expect(screen.queryByRole('form', { name: 'Deploy a service' })).not.toBeInTheDocument();
  });

  it("lists each service's replicas, rollout state, and every task with its state and own port", async () => {
    renderWithApi(<ServicesView />, fake());
    const card = await screen.findByRole('region', { name: 'Service notes' });
    expect(card).toHaveTextContent('2/2 running');
    expect(card).toHaveTextContent('update: rollback_completed');
    const rows = within(within(card).getByRole('table', { name: 'Tasks of notes' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/notes\.1.*running.*127\.0\.0\.1:30001 → 5000/),
      expect.stringMatching(/notes\.1.*failed.*notas-iv:bad.*unhealthy container/),
      expect.stringMatching(/notes\.2.*running.*127\.0\.0\.1:30002 → 5000/),
    ]);
  });

  it('deploys from the run settings and scales', async () => {
    const { api } = renderWithApi(<ServicesView />, fake());
    const form = await screen.findByRole('form', { name: 'Deploy a service' });
    await userEvent.type(within(form).getByLabelText('Image'), 'notas-iv:1');
    await userEvent.click(within(form).getByRole('button', { name: 'Deploy' }));
    expect(api.callsTo('services.deploy').at(-1)).toEqual({
      name: 'notes',
      image: 'notas-iv:1',
      env: { PORT: '5000' },
      containerPorts: [5000],
      replicas: 2,
    });
    const card = screen.getByRole('region', { name: 'Service notes' });
    const replicas = within(card).getByLabelText('Replicas of notes');
    await userEvent.clear(replicas);
    await userEvent.type(replicas, '3');
    await userEvent.click(within(card).getByRole('button', { name: 'Scale' }));
    expect(api.callsTo('services.scale').at(-1)).toEqual({ ref: notes.id, replicas: 3 });
  });

  it("follows the service's logs live, each line tagged with its task in the merged logs' style", async () => {
    const { api } = renderWithApi(<ServicesView />, fake());
    const card = await screen.findByRole('region', { name: 'Service notes' });
    await userEvent.click(within(card).getByRole('button', { name: 'Logs' }));
    await waitFor(() => expect(api.open('services.logStream')).toHaveLength(1));
    expect(api.open('services.logStream')[0]?.params).toEqual({ ref: notes.id, tail: 500, follow: true });
    const panel = screen.getByRole('region', { name: 'Logs of notes' });
    const tasks = [
      { id: notes.tasks[0]!.id, name: `1.${notes.tasks[0]!.id.slice(0, 12)}` },
      { id: notes.tasks[2]!.id, name: `2.${notes.tasks[2]!.id.slice(0, 12)}` },
    ];
    act(() => api.emit('services.logStream', { kind: 'sources', sources: tasks }));
    const ts = (n: number) => `2026-11-30T10:00:0${n}.000000000Z`;
    act(() =>
      api.emit(
        'services.logStream',
        packMergedLines([
          { stream: 'stdout', text: 'Listening at http://0.0.0.0:5000', ts: ts(1), source: 0 },
          { stream: 'stdout', text: 'Listening at http://0.0.0.0:5000', ts: ts(2), source: 1 },
        ]),
      ),
    );
    // Followed: a task started later (a scale) comes with the grown list, and its lines with its tag.
    const later = { id: 'taskthree'.padEnd(25, '0'), name: '3.taskthree000' };
    act(() => api.emit('services.logStream', { kind: 'sources', sources: [...tasks, later] }));
    act(() =>
      api.emit('services.logStream', packMergedLines([{ stream: 'stderr', text: 'GET / 200', ts: ts(3), source: 2 }])),
    );
    const log = within(panel).getByRole('log', { name: 'Log lines' });
    await waitFor(() => expect(log.querySelectorAll('.log-line')).toHaveLength(3));
    const rows = [...log.querySelectorAll('.log-line')];
    expect(rows.map((r) => r.querySelector('.log-tag')?.textContent)).toEqual([
      tasks[0]!.name,
      tasks[1]!.name,
      later.name,
    ]);
    expect(rows.map((r) => r.querySelector('.log-tag')?.className)).toEqual([
      'log-tag log-tag-0',
      'log-tag log-tag-1',
      'log-tag log-tag-2',
    ]);
    expect(rows[2]).toHaveTextContent('GET / 200');
    expect(within(panel).getByText('3 lines')).toBeInTheDocument();
    // Closing the panel ends the follow.
    await userEvent.click(within(panel).getByRole('button', { name: 'Close logs' }));
    expect(api.open('services.logStream')).toHaveLength(0);
  });

  it('asks before removing a service, naming it and its tasks, and works from the keyboard alone', async () => {
    const { api } = renderWithApi(<ServicesView />, fake());
    const card = await screen.findByRole('region', { name: 'Service notes' });
    await userEvent.click(within(card).getByRole('button', { name: 'Remove' }));
    // one click only asks
    let dialog = screen.getByRole('dialog', { name: 'Remove service notes?' });
    expect(dialog).toHaveTextContent('notes (notas-iv:1) is removed from the swarm');
    expect(dialog).toHaveTextContent('2 running tasks are stopped');
    expect(api.callsTo('services.remove')).toEqual([]);
    // the safe choice has the focus; Escape keeps the service
    expect(within(dialog).getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsTo('services.remove')).toEqual([]);
    // keyboard only: focus the card's Remove, Enter, Tab to the dialog's Remove, Enter
    within(card).getByRole('button', { name: 'Remove' }).focus();
    await userEvent.keyboard('{Enter}');
    dialog = screen.getByRole('dialog', { name: 'Remove service notes?' });
    await userEvent.tab();
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toHaveFocus();
    await act(() => userEvent.keyboard('{Enter}'));
    expect(api.callsTo('services.remove')).toEqual([{ ref: notes.id }]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});

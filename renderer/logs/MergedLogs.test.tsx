import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type MergedLogLine, packLines, packMergedLines } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { FOLD_AT } from './LogLineView';
import { LogsView } from './LogsView';

const sources = [
  { id: 'a'.repeat(64), name: 'web' },
  { id: 'b'.repeat(64), name: 'db' },
  { id: 'c'.repeat(64), name: 'cache' },
];

function setup() {
  const api = new FakeApi().on('containers.list', [
    container({ id: 'aaaaaaaaaaaa', name: 'web' }),
    container({ id: 'bbbbbbbbbbbb', name: 'db' }),
    container({ id: 'cccccccccccc', name: 'cache' }),
  ]);
  renderWithApi(<LogsView />, api);
  return api;
}

const logBox = () => screen.getByRole('log', { name: 'Log lines' });
const line = (source: number, n: number): MergedLogLine => ({
  stream: 'stdout',
  text: `${sources[source]!.name} line ${n}`,
  ts: `2026-01-01T00:00:0${n}.000000000Z`,
  source,
});

describe('merged logs view', () => {
  it('subscribes to several containers and tags each line with its container in its own colour', async () => {
    const api = setup();
    await screen.findByLabelText('Show');
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'containers');
    await userEvent.selectOptions(screen.getByLabelText('Containers'), ['aaaaaaaaaaaa', 'cccccccccccc']);
    await waitFor(() =>
      expect(api.open('logs.merged').at(-1)?.params).toEqual({
        selection: { by: 'containers', ids: ['aaaaaaaaaaaa', 'cccccccccccc'] },
        tail: 1000,
        follow: true,
      }),
    );
    expect(api.open('logs')).toHaveLength(0);
    act(() => api.emit('logs.merged', { kind: 'sources', sources }));
    act(() => api.emit('logs.merged', packMergedLines([line(0, 1), line(2, 2), line(1, 3)])));
    const rows = within(logBox())
      .getAllByText(/line \d/)
      .map((el) => el.closest('.log-line')!);
    expect(rows.map((r) => r.querySelector('.log-tag')?.textContent)).toEqual(['web', 'cache', 'db']);
    expect(rows[0]!.querySelector('.log-tag')).toHaveClass('log-tag-0');
    expect(rows[1]!.querySelector('.log-tag')).toHaveClass('log-tag-2');

    // Search runs over every container's lines.
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search logs' }), 'line');
    expect(within(logBox()).getAllByText('line')).toHaveLength(3);
  });

  it('subscribes by compose project once the name is valid', async () => {
    const api = setup();
    await screen.findByLabelText('Show');
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'project');
    await userEvent.type(screen.getByLabelText('Compose project'), 'shop');
    await waitFor(() =>
      expect(api.open('logs.merged').at(-1)?.params).toMatchObject({ selection: { by: 'project', project: 'shop' } }),
    );
  });

  it('sends time ranges to the engine: last 15 min as since, from/to as since/until without follow', async () => {
    const api = setup();
    await waitFor(() => expect(api.open('logs')).toHaveLength(1));
    const before = Date.now();
    await userEvent.selectOptions(screen.getByLabelText('Range'), '15m');
    await waitFor(() => expect(api.open('logs')[0]?.params).toHaveProperty('since'));
    const since = (api.open('logs')[0]!.params as { since: number }).since;
    expect(since).toBeGreaterThanOrEqual(before - 15 * 60_000);
    expect(since).toBeLessThanOrEqual(Date.now() - 15 * 60_000);
    expect(api.open('logs')[0]?.params).toMatchObject({ follow: true });

    await userEvent.selectOptions(screen.getByLabelText('Range'), 'custom');
    await userEvent.type(screen.getByLabelText('From'), '2026-01-01T10:00:00');
    await userEvent.type(screen.getByLabelText('To'), '2026-01-01T11:00:00');
    await waitFor(() =>
      expect(api.open('logs')[0]?.params).toMatchObject({
        since: new Date('2026-01-01T10:00:00').getTime(),
        until: new Date('2026-01-01T11:00:00').getTime(),
        follow: false,
      }),
    );
  });

  it('shows a 1 MB line folded, with its length, and draws only the fold', async () => {
    const api = setup();
    await waitFor(() => expect(api.open('logs')).toHaveLength(1));
    const huge = `{"blob":"${'x'.repeat(1024 * 1024)}"}`;
    act(() =>
      api.emit(
        'logs',
        packLines([
          { stream: 'stdout', text: huge },
          { stream: 'stdout', text: 'after the big one' },
        ]),
      ),
    );
    const row = within(logBox())
      .getByText(/folded/)
      .closest('.log-line')!;
    expect(row.textContent).toContain(`folded: ${huge.length.toLocaleString('en')} characters`);
    expect(row.querySelector('.log-text')!.textContent).toHaveLength(FOLD_AT);
    expect(within(logBox()).getByText('after the big one')).toBeInTheDocument();
  });
});

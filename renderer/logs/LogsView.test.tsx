import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { LogLine } from '../../electron/contract';
import { BerthError, packLines } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { container } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { LogsView } from './LogsView';
import { PAUSE_LIMIT } from './use-log-stream';

function setup() {
  const api = new FakeApi().on('containers.list', [container(), container({ id: 'db1', name: 'db', state: 'exited' })]);
  renderWithApi(<LogsView />, api);
  return api;
}

const push = (api: FakeApi, lines: LogLine[]) => act(() => api.emit('logs', packLines(lines)));
const logBox = () => screen.getByRole('log', { name: 'Log lines' });

async function ready(api: FakeApi) {
  await waitFor(() => expect(api.open('logs')).toHaveLength(1));
}

describe('LogsView', () => {
  it('shows loading, empty and error states', async () => {
    const { unmount } = renderWithApi(<LogsView />, new FakeApi().hang('containers.list'));
    expect(screen.getByRole('status', { name: 'Loading containers' })).toBeInTheDocument();
    unmount();
    const second = renderWithApi(<LogsView />, new FakeApi().on('containers.list', []));
    expect(await screen.findByRole('region', { name: 'No containers to read logs from' })).toHaveTextContent(
      'Run an image',
    );
    second.unmount();
    renderWithApi(<LogsView />, new FakeApi().fail('containers.list', 'INTERNAL', 'boom', 'Restart Berth.'));
    expect(await screen.findByRole('alert')).toHaveTextContent('boomFix: Restart Berth.');
  });

  it('subscribes to the running container with the chosen tail and timestamps', async () => {
    const api = setup();
    await ready(api);
    expect(api.open('logs')[0]?.params).toEqual({ id: 'c0ffee123456', tail: 1000, timestamps: true, follow: true });
    await userEvent.selectOptions(screen.getByLabelText('Tail'), '100');
    await waitFor(() => expect(api.open('logs')[0]?.params).toMatchObject({ tail: 100 }));
    await userEvent.selectOptions(screen.getByLabelText('Container'), 'db1');
    await waitFor(() => expect(api.open('logs')[0]?.params).toMatchObject({ id: 'db1' }));
    expect(api.open('logs')).toHaveLength(1);
  });

  it('renders ANSI colours as classes and marks stderr lines', async () => {
    const api = setup();
    await ready(api);
    push(api, [
      { stream: 'stdout', text: '\x1b[32mlistening\x1b[0m on 5000' },
      { stream: 'stderr', text: 'warning: low disk' },
    ]);
    const green = within(logBox()).getByText('listening');
    expect(green).toHaveClass('ansi-fg-green');
    expect(logBox().textContent).not.toContain('\x1b');
    const warning = within(logBox()).getByText('warning: low disk').closest('.log-line')!;
    expect(warning).toHaveClass('log-stderr');
    expect(within(warning as HTMLElement).getByTitle('standard error')).toHaveTextContent('ERR');
    const ok = within(logBox()).getByText('listening').closest('.log-line') as HTMLElement;
    expect(within(ok).queryByTitle('standard error')).toBeNull();
  });

  it('highlights text and regex matches, and shows an invalid regex as an error', async () => {
    const api = setup();
    await ready(api);
    push(api, [
      { stream: 'stdout', text: 'GET /notes 200' },
      { stream: 'stdout', text: 'POST /notes 201' },
      { stream: 'stdout', text: 'GET /missing 404' },
    ]);
    const search = screen.getByRole('searchbox', { name: 'Search logs' });
    await userEvent.type(search, 'notes');
    expect(
      within(logBox())
        .getAllByText('notes')
        .every((el) => el.tagName === 'MARK'),
    ).toBe(true);
    expect(screen.getByRole('status', { name: 'Search matches' })).toHaveTextContent('2 matching lines');

    await userEvent.click(screen.getByRole('checkbox', { name: 'Regex' }));
    await userEvent.clear(search);
    await userEvent.type(search, '4\\d\\d');
    expect(within(logBox()).getByText('404').tagName).toBe('MARK');
    expect(screen.getByRole('status', { name: 'Search matches' })).toHaveTextContent('1 matching line');

    await userEvent.clear(search);
    await userEvent.type(search, '[[');
    expect(screen.getByRole('alert')).toHaveTextContent(/^Invalid regular expression/);
    expect(search).toHaveAttribute('aria-invalid', 'true');
    expect(within(logBox()).getByText('GET /notes 200')).toBeInTheDocument();
  });

  it('moves to the next match with Enter', async () => {
    const api = setup();
    await ready(api);
    push(api, [
      { stream: 'stdout', text: 'a' },
      { stream: 'stdout', text: 'needle one' },
      { stream: 'stdout', text: 'b' },
      { stream: 'stdout', text: 'needle two' },
    ]);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search logs' }), 'needle{Enter}');
    expect(screen.getByRole('status', { name: 'Search matches' })).toHaveTextContent('1 of 2 matching lines');
    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('status', { name: 'Search matches' })).toHaveTextContent('2 of 2 matching lines');
    expect(logBox().querySelector('.log-current')).toHaveTextContent('needle two');
  });

  it('buffers while paused, shows the waiting count, and shows them on resume', async () => {
    const api = setup();
    await ready(api);
    push(api, [{ stream: 'stdout', text: 'before pause' }]);
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    push(api, [
      { stream: 'stdout', text: 'while paused 1' },
      { stream: 'stdout', text: 'while paused 2' },
    ]);
    push(api, [{ stream: 'stdout', text: 'while paused 3' }]);
    expect(within(logBox()).queryByText('while paused 1')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Resume (3 new)' }));
    expect(within(logBox()).getByText('while paused 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  it('bounds the pause buffer and says how many waiting lines were dropped', async () => {
    const api = setup();
    await ready(api);
    await userEvent.click(screen.getByRole('button', { name: 'Pause' }));
    push(
      api,
      Array.from({ length: PAUSE_LIMIT + 10 }, (_, i) => ({ stream: 'stdout' as const, text: `waiting ${i}` })),
    );
    await userEvent.click(
      screen.getByRole('button', { name: `Resume (${(PAUSE_LIMIT + 10).toLocaleString('en')} new)` }),
    );
    expect(screen.getByText(/^10 older lines were dropped/)).toBeInTheDocument();
    expect(screen.getByText(`${PAUSE_LIMIT.toLocaleString('en')} lines`)).toBeInTheDocument();
  });

  it('shows timestamps when asked, and clears', async () => {
    const api = setup();
    await ready(api);
    push(api, [{ stream: 'stdout', text: 'hello', ts: '2025-01-02T03:04:05.678901Z' }]);
    expect(logBox().querySelector('time')).toBeNull();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Timestamps' }));
    expect(logBox().querySelector('time')).toHaveTextContent('03:04:05.678');
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(within(logBox()).queryByText('hello')).toBeNull();
  });

  it('exports the lines shown as docker logs -t text, or only those the search matches, as JSON lines', async () => {
    const create = vi.fn((_blob: Blob) => 'blob:logs');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const api = setup();
    await ready(api);
    push(api, [
      { stream: 'stdout', text: '\x1b[31mred\x1b[0m line', ts: '2026-01-01T00:00:01.5Z' },
      { stream: 'stderr', text: 'oops', ts: '2026-01-01T00:00:02Z' },
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(click).toHaveBeenCalledTimes(1);
    expect(await create.mock.calls[0]![0].text()).toBe(
      '2026-01-01T00:00:01.5Z \x1b[31mred\x1b[0m line\n2026-01-01T00:00:02Z oops\n',
    );
    expect(screen.getByText('Exported 2 line(s) shown.')).toBeInTheDocument();

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search logs' }), 'oops');
    expect(screen.getByRole('checkbox', { name: /only lines matching the search/ })).toBeChecked();
    await userEvent.selectOptions(screen.getByLabelText('As'), 'jsonl');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    const jsonl = await create.mock.calls[1]![0].text();
    expect(
      jsonl
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ container: 'notas', stream: 'stderr', ts: '2026-01-01T00:00:02Z', text: 'oops' }]);
    expect(api.callsTo('logs.downloadLink')).toEqual([]);
    click.mockRestore();
  });

  it('exports the whole range in web mode through a one-time download link', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const api = setup().on('logs.downloadLink', {
      href: '/api/download/logs?ticket=abc',
      fileName: 'notes-20260101T000000Z.log',
      expiresAt: 1,
    });
    await ready(api);
    await userEvent.selectOptions(screen.getByLabelText('Export'), 'range');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() =>
      expect(api.callsTo('logs.downloadLink')).toEqual([
        { selection: { by: 'containers', ids: ['c0ffee123456'] }, format: 'text' },
      ]),
    );
    expect(click).toHaveBeenCalledTimes(1);
    expect(click.mock.contexts[0]).toHaveProperty('href', expect.stringMatching(/\/api\/download\/logs\?ticket=abc$/));
    expect(screen.getByText(/Downloading notes-20260101T000000Z.log/)).toBeInTheDocument();
    click.mockRestore();
  });

  it('keeps only the newest lines and says how many were dropped', async () => {
    const api = setup();
    await ready(api);
    const batch = (from: number): LogLine[] =>
      Array.from({ length: 50_000 }, (_, i) => ({ stream: 'stdout', text: `line ${from + i}` }));
    for (let i = 0; i < 250_000; i += 50_000) push(api, batch(i));
    // Batches close together are drawn together, within a frame.
    expect(await screen.findByText(/50,000 older lines were dropped/)).toBeInTheDocument();
    expect(screen.getByText('200,000 lines')).toBeInTheDocument();
    expect(logBox().querySelectorAll('.log-line').length).toBeLessThan(200);
  });

  it('shows a stream error with its fix', async () => {
    const api = setup();
    await ready(api);
    act(() =>
      api.emitError('logs', new BerthError('NOT_FOUND', 'No such container: notas', 'Pick another container.')),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('No such container: notas');
    expect(screen.getByRole('alert')).toHaveTextContent('Pick another container.');
  });

  it('marks where the engine rotated the log under the follow, and keeps the marker out of exports', async () => {
    const api = setup();
    await ready(api);
    push(api, [{ stream: 'stdout', text: 'n=1', ts: '2026-01-01T00:00:01Z' }]);
    act(() => api.emit('logs', { kind: 'rotated', from: 1, to: 2, missing: 7042, recovered: 0 }));
    push(api, [{ stream: 'stdout', text: 'n=7044', ts: '2026-01-01T00:00:02Z' }]);
    // The view draws at most once a frame: wait for the frame that holds all three rows.
    const marker = await within(logBox()).findByRole('note');
    expect(marker).toHaveTextContent('log rotated — about 7,042 lines may be missing');
    await waitFor(() => expect(logBox().querySelectorAll('.log-line')).toHaveLength(3));
    const rows = [...logBox().querySelectorAll('.log-line')].map((row) => row.textContent);
    expect(rows[1]).toContain('log rotated');
    // the status line counts log lines only, and the gap apart
    expect(screen.getByText('2 lines · 1 gap')).toBeInTheDocument();
    const create = vi.fn((_blob: Blob) => 'blob:logs');
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(await create.mock.calls[0]![0].text()).toBe('2026-01-01T00:00:01Z n=1\n2026-01-01T00:00:02Z n=7044\n');
    click.mockRestore();
  });

  it('shows an engine interruption with its cause, then marks the gap once the log resumes', async () => {
    const api = setup();
    await ready(api);
    push(api, [{ stream: 'stdout', text: 'before the restart' }]);
    const error = {
      code: 'ENGINE_UNREACHABLE' as const,
      message: 'The Docker engine at unix:///var/run/docker.sock does not answer (ECONNREFUSED).',
      fix: 'Start Docker.',
    };
    act(() => api.emit('logs', { kind: 'interrupted', error, at: Date.UTC(2026, 0, 1, 10, 0, 0) }));
    expect(screen.getByRole('alert')).toHaveTextContent('does not answer (ECONNREFUSED)');
    expect(screen.getByRole('alert')).toHaveTextContent('Start Docker.');
    act(() =>
      api.emit('logs', {
        kind: 'resumed',
        gapFrom: Date.UTC(2026, 0, 1, 9, 59, 59),
        at: Date.UTC(2026, 0, 1, 10, 0, 5),
      }),
    );
    push(api, [{ stream: 'stdout', text: 'after the restart' }]);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText(/The engine was away from/)).toHaveTextContent('were read again');
    expect(logBox()).toHaveTextContent('before the restart');
    await waitFor(() => expect(logBox()).toHaveTextContent('after the restart'));
  });
});

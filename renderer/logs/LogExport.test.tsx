import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BerthError } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { LogExport } from './LogExport';
import { LogRing } from './log-ring';

const selection = { by: 'containers' as const, ids: ['c0ffee123456'] };

function desktop(api = new FakeApi()) {
  renderWithApi(
    <LogExport
      selection={selection}
      range={{ since: 1_000, until: 2_000 }}
      ring={new LogRing(10)}
      sources={[{ id: 'c0ffee123456', name: 'web' }]}
      matcher={null}
      label="web"
      nativeDialogs
    />,
    api,
  );
  return api;
}

async function startRange(api: FakeApi) {
  await userEvent.selectOptions(screen.getByLabelText('Export'), 'range');
  await userEvent.selectOptions(screen.getByLabelText('As'), 'jsonl');
  await userEvent.click(screen.getByRole('button', { name: 'Export' }));
  await waitFor(() => expect(api.open('logs.export')).toHaveLength(1));
}

describe('LogExport in the desktop app', () => {
  it('streams the whole range to the chosen file with progress, and says where it went', async () => {
    const api = desktop();
    await startRange(api);
    expect(api.open('logs.export')[0]?.params).toEqual({ selection, since: 1_000, until: 2_000, format: 'jsonl' });
    act(() => api.emit('logs.export', { kind: 'started', file: '/home/me/web.jsonl' }));
    act(() => api.emit('logs.export', { kind: 'progress', lines: 12_345, bytes: 2048 }));
    expect(screen.getByText(/Exporting to \/home\/me\/web.jsonl: 12,345 lines/)).toBeInTheDocument();
    act(() => api.emit('logs.export', { kind: 'finished', file: '/home/me/web.jsonl', lines: 20_000, bytes: 4096 }));
    expect(screen.getByText(/Exported 20,000 lines .* to \/home\/me\/web.jsonl/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export' })).toBeEnabled();
  });

  it('cancels a long export by ending the subscription', async () => {
    const api = desktop();
    await startRange(api);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
    expect(api.open('logs.export')).toHaveLength(0);
    expect(screen.getByText(/Export cancelled; the partial file was removed/)).toBeInTheDocument();
  });

  it('does nothing more when the save dialog is dismissed, and shows a failure with its fix', async () => {
    const api = desktop();
    await startRange(api);
    act(() => api.emit('logs.export', { kind: 'dismissed' }));
    expect(screen.queryByRole('button', { name: 'Cancel export' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.open('logs.export')).toHaveLength(2));
    act(() =>
      api.emitError('logs.export', new BerthError('NOT_FOUND', 'Container "gone" does not exist.', 'Refresh.')),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('does not exist.Fix: Refresh.');
  });
});

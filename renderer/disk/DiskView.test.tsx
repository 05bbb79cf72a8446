import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CleanupPreview, DiskUsage } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { renderWithApi } from '../test/render';
import { DiskView } from './DiskView';

const row = (total: number, active: number, sizeBytes: number, reclaimableBytes: number) => ({
  total,
  active,
  sizeBytes,
  reclaimableBytes,
});
const usage: DiskUsage = {
  images: row(10, 2, 2_000_000_000, 1_500_000_000),
  containers: row(4, 1, 40_000, 30_000),
  volumes: row(3, 1, 5_000_000, 2_000_000),
  buildCache: row(200, 0, 8_000_000_000, 8_000_000_000),
  takenAt: 0,
};
const HEX = 'e'.repeat(64);
const volumes = (named: boolean): CleanupPreview => ({
  kind: 'unused-volumes',
  items: [
    { id: HEX, name: HEX, sizeBytes: 1000, named: false },
    ...(named ? [{ id: 'pgdata', name: 'pgdata', sizeBytes: 2_000_000, named: true }] : []),
  ],
  totalBytes: named ? 2_001_000 : 1000,
  exact: true,
});

describe('DiskView', () => {
  it('shows each kind with its count, in-use count, size and reclaimable space', async () => {
    renderWithApi(<DiskView />, new FakeApi().on('disk.usage', usage));
    const table = await screen.findByRole('table', { name: 'Disk usage' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual([
      'Images',
      'Containers',
      'Volumes',
      'Build cache',
    ]);
    expect(rows[0]).toHaveTextContent('10');
    expect(rows[0]).toHaveTextContent('2');
  });

  it('shows the engine error with its fix', async () => {
    renderWithApi(<DiskView />, new FakeApi().fail('disk.usage', 'ENGINE_UNREACHABLE', 'No engine.', 'Start Docker.'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Start Docker.');
  });

  it('previews unused volumes, asks twice before named ones, and removes exactly the previewed ids', async () => {
    const api = new FakeApi()
      .on('disk.usage', usage)
      .on('disk.preview', (input) => volumes(input.includeNamedVolumes === true))
      .on('disk.clean', (input) => ({
        kind: 'unused-volumes',
        removed: input.ids,
        skipped: [],
        freedBytes: 2_001_000,
      }));
    renderWithApi(<DiskView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Unused volumes…' }));
    const dialog = await screen.findByRole('dialog');
    const listed = async () =>
      within(await within(dialog).findByRole('list', { name: 'Will be removed' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent);
    expect(await listed()).toHaveLength(1);

    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Also named volumes' }));
    // Not yet: the second confirmation is needed before named volumes are even previewed.
    expect(
      api.calls
        .filter((c) => c.name === 'disk.preview')
        .every((c) => !(c.input as { includeNamedVolumes?: boolean }).includeNamedVolumes),
    ).toBe(true);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /I understand named volumes/ }));
    await waitFor(async () => expect(await listed()).toHaveLength(2));

    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove 2' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Removed 2');
    const clean = api.calls.find((c) => c.name === 'disk.clean')?.input as {
      ids: string[];
      includeNamedVolumes: boolean;
    };
    expect(clean.ids).toEqual([HEX, 'pgdata']);
    expect(clean.includeNamedVolumes).toBe(true);
  });

  it('build cache: the day limit goes to the preview, and the preview says the engine prunes by filter', async () => {
    const api = new FakeApi().on('disk.usage', usage).on('disk.preview', (input) => ({
      kind: 'build-cache',
      items: [{ id: 'k1', name: `cache older than ${input.olderThanDays}`, sizeBytes: 10 }],
      totalBytes: 10,
      exact: false,
      note: 'The engine only prunes build cache by age.',
    }));
    renderWithApi(<DiskView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Old build cache…' }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('The engine only prunes build cache by age.')).toBeInTheDocument();
    const days = within(dialog).getByRole('spinbutton', { name: 'Days' });
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    expect(await within(dialog).findByText('cache older than 30')).toBeInTheDocument();
  });

  it('build history: keeps the last N builds’ snapshots per project and says what it freed', async () => {
    const api = new FakeApi().on('disk.usage', usage).on('build.retain', ({ keepPerProject }) => ({
      trimmed: keepPerProject === 3 ? ['a1', 'a2'] : [],
      freedBytes: 4000,
    }));
    renderWithApi(<DiskView />, api);
    const keep = await screen.findByRole('spinbutton', { name: 'Builds to keep per project' });
    await userEvent.clear(keep);
    await userEvent.type(keep, '3');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByText(/Dropped the snapshots of 2 older build/)).toBeInTheDocument();
  });
});

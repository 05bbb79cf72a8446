import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { images, layers, NOW } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ImagesView } from './ImagesView';

const names = () =>
  within(screen.getByRole('table', { name: 'Images' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]?.textContent);

describe('ImagesView', () => {
  it('shows loading, then an empty state that says what to do', async () => {
    const api = new FakeApi().hang('images.list');
    const { unmount } = renderWithApi(<ImagesView />, api);
    expect(screen.getByRole('status', { name: 'Loading images' })).toBeInTheDocument();
    unmount();
    renderWithApi(<ImagesView />, new FakeApi().on('images.list', []));
    expect(await screen.findByRole('region', { name: 'No images yet' })).toHaveTextContent(/Build the project/);
  });

  it('shows the error message and fix', async () => {
    const api = new FakeApi().fail('images.list', 'ENGINE_UNREACHABLE', 'The engine does not answer.', 'Start Docker.');
    renderWithApi(<ImagesView />, api);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('ENGINE_UNREACHABLE');
    expect(alert).toHaveTextContent('The engine does not answer.');
    expect(alert).toHaveTextContent('Start Docker.');
  });

  it('lists images with short id, human size, in-use and the total disk use; sorts and filters', async () => {
    renderWithApi(<ImagesView />, new FakeApi().on('images.list', images));
    await screen.findByRole('table', { name: 'Images' });
    expect(names()).toEqual(['notas-iv:latest', '<none>:<none>', 'node:22-alpine']); // newest first
    const first = screen.getAllByRole('row')[1]!;
    expect(first).toHaveTextContent('a1a1a1a1a1a1');
    expect(first).toHaveTextContent('182 MB');
    expect(first).toHaveTextContent('2 hours ago');
    expect(first).toHaveTextContent('1 container');
    expect(screen.getByTestId('images-total')).toHaveTextContent('3 images, 246 MB on disk');

    await userEvent.click(screen.getByRole('button', { name: /^Size/ }));
    expect(names()).toEqual(['<none>:<none>', 'node:22-alpine', 'notas-iv:latest']);
    expect(screen.getByRole('columnheader', { name: /Size/ })).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(screen.getByRole('button', { name: /^Size/ }));
    expect(names()).toEqual(['notas-iv:latest', 'node:22-alpine', '<none>:<none>']);

    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter images' }), 'NODE');
    expect(names()).toEqual(['node:22-alpine']);
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Filter images' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter images' }), 'zzz');
    expect(screen.getByRole('region', { name: 'No image matches' })).toBeInTheDocument();
  });

  it('asks before removing, and shows the CONFLICT message with a force option', async () => {
    const api = new FakeApi()
      .on('images.list', images)
      .fail(
        'images.remove',
        'CONFLICT',
        'image "notas-iv:latest" is being used by running container c0ffee123456',
        'Stop and remove the container first, or remove with force.',
      );
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Remove notas-iv:latest' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove notas-iv:latest?' });
    expect(api.callsTo('images.remove')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('CONFLICT');
    expect(alert).toHaveTextContent('is being used by running container');
    expect(alert).toHaveTextContent('remove with force');

    api.on('images.remove', { untagged: ['notas-iv:latest'], deleted: [images[0]!.id] });
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Force/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Force remove' }));
    expect(api.callsTo('images.remove').at(-1)).toEqual({ ref: 'notas-iv:latest', force: true });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('closes the remove dialog with Escape without removing', async () => {
    const api = new FakeApi().on('images.list', images);
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Remove node:22-alpine' }));
    expect(screen.getByRole('dialog')).toContainElement(document.activeElement as HTMLElement);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsTo('images.remove')).toHaveLength(0);
  });

  it('prunes dangling images after confirmation', async () => {
    const api = new FakeApi().on('images.list', images).on('images.prune', { deleted: 1, reclaimedBytes: 9_000_000 });
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Prune dangling (1)' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Prune dangling images?' })).getByRole('button', { name: 'Prune' }),
    );
    expect(await screen.findByText('Deleted 1 dangling image, freed 9.0 MB.')).toBeInTheDocument();
  });

  it('shows the layers of the selected image with size bars, empty layers dimmed', async () => {
    const api = new FakeApi().on('images.list', images).on('images.layers', layers);
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Show layers of notas-iv:latest' }));
    const panel = await screen.findByRole('region', { name: 'Layers of notas-iv:latest' });
    await within(panel).findByRole('list', { name: 'Layers' });
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      '40.0 MBCOPY --from=prod-deps /app/node_modules ./node_modules',
      'emptyENV NODE_ENV=production PORT=5000',
      '8.0 MBADD alpine-minirootfs.tar.gz /',
    ]);
    expect(items[1]).toHaveClass('layer-empty');
    expect(api.callsTo('images.layers')).toEqual([{ ref: 'notas-iv:latest' }]);
    const fill = items[2]!.querySelector<HTMLElement>('.layer-bar-fill')!;
    expect(fill.style.getPropertyValue('--fraction')).toBe('0.2');
  });

  it('names the base image on the layers that came from it, including one with no build history', async () => {
    const imported = { ...layers[0]!, createdBy: '', instruction: '', comment: undefined, baseImage: 'node:22-alpine' };
    const fromBase = [imported, { ...layers[1]!, baseImage: 'node:22-alpine' }, layers[2]!];
    const api = new FakeApi().on('images.list', images).on('images.layers', fromBase);
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Show layers of notas-iv:latest' }));
    const panel = await screen.findByRole('region', { name: 'Layers of notas-iv:latest' });
    await within(panel).findByRole('list', { name: 'Layers' });
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((i) => i.textContent),
    ).toEqual([
      '40.0 MBCOPY --from=prod-deps /app/node_modules ./node_modules',
      'emptybase image node:22-alpineENV NODE_ENV=production PORT=5000',
      '8.0 MBbase image node:22-alpine',
    ]);
  });

  it('refreshes from engine image events, without polling', async () => {
    const api = new FakeApi().on('images.list', []);
    renderWithApi(<ImagesView />, api);
    await screen.findByRole('region', { name: 'No images yet' });
    expect(api.callsTo('images.list')).toHaveLength(1);
    api.on('images.list', images);
    act(() =>
      api.emit('engine', {
        kind: 'event',
        event: { type: 'container', action: 'start', id: 'x', attributes: {}, time: NOW },
      }),
    );
    act(() =>
      api.emit('engine', {
        kind: 'event',
        event: { type: 'image', action: 'tag', id: 'y', attributes: {}, time: NOW },
      }),
    );
    await screen.findByRole('table', { name: 'Images' });
    expect(api.callsTo('images.list')).toHaveLength(2);
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ImageDiff, LayerExploration } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { images } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { ImagesView } from './ImagesView';

const exploration: LayerExploration = LayerExploration.parse({
  imageId: images[0]!.id,
  size: 3200,
  wastedBytes: 1000,
  efficiency: 1 - 1000 / 3200,
  files: 3,
  wasted: [{ path: 'app/big.bin', copies: 1, bytes: 1000 }],
  layers: [
    {
      index: 0,
      diffId: 'sha256:aaa',
      historyIndex: 0,
      instruction: 'COPY . /app',
      line: 3,
      size: 1200,
      storedBytes: 2048,
      compression: 'none',
      wastedBytes: 1000,
      added: 3,
      modified: 0,
      deleted: 0,
      tree: { paths: ['app', 'app/big.bin', 'app/index.js'], kinds: 'dff', changes: 'aaa', sizes: [0, 1000, 200] },
    },
    {
      index: 1,
      diffId: 'sha256:bbb',
      historyIndex: 2,
      instruction: 'RUN rm app/big.bin && make',
      line: 5,
      size: 2000,
      storedBytes: 3072,
      compression: 'none',
      wastedBytes: 0,
      added: 1,
      modified: 1,
      deleted: 1,
      tree: { paths: ['app', 'app/big.bin', 'app/out'], kinds: 'dff', changes: 'mda', sizes: [0, 1000, 2000] },
    },
  ],
  history: [],
  buildId: 'b-1',
});

const diff: ImageDiff = {
  from: { imageId: images[0]!.id, size: 3200 },
  to: { imageId: images[2]!.id, size: 3300 },
  sharedLayers: 1,
  layers: [
    { index: 0, from: null, to: null, same: true, files: { paths: [], changes: '', fromSizes: [], toSizes: [] } },
    {
      index: 1,
      from: { diffId: 'sha256:bbb', instruction: 'RUN make', size: 2000 },
      to: { diffId: 'sha256:ccc', instruction: 'RUN make', size: 2100 },
      same: false,
      files: { paths: ['app/out', 'app/new'], changes: 'ma', fromSizes: [2000, 0], toSizes: [2000, 100] },
    },
  ],
};

describe('LayerExplorer', () => {
  it('shows totals, each layer with its Dockerfile line, the top layer tree, and a diff on request', async () => {
    const api = new FakeApi()
      .on('images.list', images)
      .on('images.layers', [])
      .on('images.explore', exploration)
      .on('images.diff', diff);
    renderWithApi(<ImagesView />, api);
    await userEvent.click(await screen.findByRole('button', { name: 'Show layers of notas-iv:latest' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Explore the files of notas-iv:latest' }));
    const panel = await screen.findByRole('region', { name: 'Files in the layers of notas-iv:latest' });
    const totals = await within(panel).findByTestId('explorer-totals');
    expect(totals).toHaveTextContent('Wasted1.0 kB');
    expect(totals).toHaveTextContent('Efficiency68.8 %');
    expect(totals).toHaveTextContent('Built bybuild b-1');
    const layerButtons = within(within(panel).getByRole('list', { name: 'Layers, newest first' })).getAllByRole(
      'button',
    );
    expect(layerButtons[0]).toHaveTextContent('Dockerfile line 5');
    expect(layerButtons[0]).toHaveAttribute('aria-pressed', 'true');
    // The top layer's tree: the deletion is there, struck through.
    const tree = within(panel).getByRole('tree', { name: 'Files of layer 2' });
    await userEvent.click(within(tree).getByText('app'));
    expect(within(tree).getByText('big.bin').closest('[role="treeitem"]')).toHaveClass('change-d');
    await userEvent.click(layerButtons[1]!);
    expect(within(panel).getByRole('tree', { name: 'Files of layer 1' })).toBeInTheDocument();
    expect(within(panel).getByRole('table', { name: 'Most wasted paths' })).toHaveTextContent('app/big.bin');

    await userEvent.selectOptions(
      within(panel).getByRole('combobox', { name: 'Compare with image' }),
      'node:22-alpine',
    );
    expect(await within(panel).findByTestId('diff-summary')).toHaveTextContent(
      '1 shared layer at the bottom; 1 layer differ',
    );
    expect(api.callsTo('images.diff')).toEqual([{ from: 'notas-iv:latest', to: 'node:22-alpine' }]);
    const diffTree = within(panel).getByRole('tree', { name: 'Files that differ in layer 2' });
    await userEvent.click(within(diffTree).getByText('app'));
    expect(within(diffTree).getByText('new').closest('[role="treeitem"]')).toHaveClass('change-a');
  });
});

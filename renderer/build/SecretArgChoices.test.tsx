import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { bundledFile, projectDefaults } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

describe('a secret-looking build arg in the build form', () => {
  it('can be passed as a BuildKit secret: it leaves the build args, the hint names --mount, the warning goes', async () => {
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('project.recent', [])
      .on('dockerfile.read', bundledFile)
      .on('build.records', [])
      .on('build.start', { buildId: 'b1' });
    renderWithApi(<BuildView />, api);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    expect(screen.queryByLabelText(/as a BuildKit secret/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add other build arg' }));
    await user.type(screen.getByLabelText('other build arg 1 name'), 'NPM_TOKEN');
    await user.type(screen.getByLabelText('other build arg 1 value'), 'abc123');
    const choice = await screen.findByLabelText('Pass NPM_TOKEN as a BuildKit secret');
    expect(screen.getByText('RUN --mount=type=secret,id=NAME', { selector: 'code' })).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent('NPM_TOKEN looks like a secret');
    await user.click(choice);
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.callsTo('build.start')).toEqual([
      expect.objectContaining({
        buildArgs: { NODE_IMAGE: 'berth-node-base:test' },
        secrets: [{ id: 'NPM_TOKEN', value: 'abc123' }],
      }),
    ]);
  });
});

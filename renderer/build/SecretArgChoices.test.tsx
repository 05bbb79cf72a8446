/**
 * A secret-looking build arg in the build form, and the BuildKit-only features on an engine without BuildKit
 * (Podman here): passing a build arg as a BuildKit secret is disabled with the reason, never left to fail at
 * build time; the legacy builder chosen on a BuildKit engine disables it too. (The BuildKit builder choice
 * itself: BuildForm.test.tsx.)
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EngineStatus } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { bundledFile, connectedStatus, podmanStatus, projectDefaults } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

function setup(status: EngineStatus) {
  const api = new FakeApi()
    .on('project.default', projectDefaults)
    .on('project.recent', [])
    .on('dockerfile.read', bundledFile)
    .on('build.records', [])
    .on('build.start', { buildId: 'b1' });
  renderWithApi(<BuildView />, api, status);
  return api;
}

/** Adds NPM_TOKEN=abc123, a secret-looking build arg, and returns its "pass as a secret" checkbox. */
async function addSecretLookingArg(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
  await user.click(screen.getByRole('button', { name: 'Add other build arg' }));
  await user.type(screen.getByLabelText('other build arg 1 name'), 'NPM_TOKEN');
  await user.type(screen.getByLabelText('other build arg 1 value'), 'abc123');
  return screen.findByLabelText('Pass NPM_TOKEN as a BuildKit secret');
}

describe('a secret-looking build arg in the build form', () => {
  it('can be passed as a BuildKit secret: it leaves the build args, the hint names --mount, the warning goes', async () => {
    const api = setup(connectedStatus);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    expect(screen.queryByLabelText(/as a BuildKit secret/)).not.toBeInTheDocument();
    const choice = await addSecretLookingArg(user);
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

describe('on an engine without BuildKit (Podman)', () => {
  it('disables passing a build arg as a BuildKit secret, says why, and sends no secret', async () => {
    const api = setup(podmanStatus);
    const user = userEvent.setup();
    const choice = await addSecretLookingArg(user);
    await waitFor(() => expect(choice).toBeDisabled());
    expect(choice).not.toBeChecked();
    expect(screen.getByTestId('secrets-unavailable')).toHaveTextContent(
      'Secrets need BuildKit. Podman has no BuildKit: builds use the legacy builder.',
    );
    // The value would go into the image history as a build arg: the warning stays.
    expect(screen.getByRole('note')).toHaveTextContent('NPM_TOKEN looks like a secret');
    await user.click(screen.getByRole('button', { name: /Start build/ }));
    const [request] = api.callsTo('build.start');
    expect(request).not.toHaveProperty('secrets');
  });
});

describe('on a BuildKit engine with the legacy builder chosen', () => {
  it('disables secrets until Auto or BuildKit is chosen again', async () => {
    const api = setup(connectedStatus);
    const user = userEvent.setup();
    const choice = await addSecretLookingArg(user);
    expect(choice).toBeEnabled();
    await user.click(choice);
    await user.selectOptions(screen.getByLabelText('Builder'), 'legacy');
    expect(choice).toBeDisabled();
    expect(choice).not.toBeChecked();
    expect(screen.getByTestId('secrets-unavailable')).toHaveTextContent(/legacy builder cannot take BuildKit secrets/);
    await user.selectOptions(screen.getByLabelText('Builder'), 'auto');
    expect(choice).toBeEnabled();
    expect(choice).toBeChecked();
    await user.click(screen.getByRole('button', { name: /Start build/ }));
    expect(api.callsTo('build.start')).toEqual([
      expect.objectContaining({ builder: 'auto', secrets: [{ id: 'NPM_TOKEN', value: 'abc123' }] }),
    ]);
  });
});

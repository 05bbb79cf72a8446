import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DockerfileFile, EngineStatus } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { buildModel, bundledFile, connectedStatus, multiStageFile, NOW, projectDefaults, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

/** Another project that also declares NODE_IMAGE: the bundled project's local base must not leak into it. */
const otherNodeFile: DockerfileFile = {
  ...bundledFile,
  contextDir: '/home/me/node-app',
  bundled: false,
};

const files: Record<string, DockerfileFile> = {
  '/work/main': bundledFile,
  '/home/me/app': multiStageFile,
  '/home/me/node-app': otherNodeFile,
};

function setup(options: { folderPicker?: boolean; engine?: EngineStatus } = {}) {
  const api = new FakeApi()
    .on('project.default', { ...projectDefaults, folderPicker: options.folderPicker ?? false })
    .on('project.recent', [
      { contextDir: '/home/me/app', dockerfile: 'Dockerfile', target: 'deps', usedAt: NOW - 1000 },
      { contextDir: '/home/me/node-app', dockerfile: 'Dockerfile', target: null, usedAt: NOW - 5000 },
    ])
    .on('dockerfile.read', ({ contextDir }) => {
      const file = files[contextDir];
      if (!file) throw new Error(`no such folder ${contextDir}`);
      return file;
    })
    .on('build.records', [])
    .on('build.start', { buildId: 'b1' })
    .on('app.pickFolder', { path: '/home/me/app' });
  renderWithApi(<BuildView />, api, options.engine ?? connectedStatus);
  return api;
}

const chooseRecent = async (label: RegExp) => {
  const select = await screen.findByLabelText('Recent projects');
  await waitFor(() => expect(select).toBeEnabled());
  const option = within(select).getByRole('option', { name: label }) as HTMLOptionElement;
  await userEvent.selectOptions(select, option);
};

describe('BuildForm', () => {
  it("offers the Dockerfile's ARGs with their defaults and its stages as targets, and sends only what was set", async () => {
    const api = setup();
    await chooseRecent(/\/home\/me\/app → deps/);
    expect(screen.getByLabelText('Context folder')).toHaveValue('/home/me/app');

    const base = await screen.findByLabelText('BASE');
    expect(base).toHaveValue('');
    expect(base).toHaveAttribute('placeholder', 'alpine:3.20');
    expect(base).toHaveAccessibleDescription(/Default: alpine:3.20 · line 2, before the first FROM/);
    expect(screen.getByLabelText('GREETING')).toHaveAccessibleDescription(/Default: hello · line 4, stage deps/);
    expect(screen.getByLabelText('TOKEN')).toHaveAccessibleDescription(/No default · line 5, stage deps/);
    expect(screen.queryByLabelText('NODE_IMAGE')).not.toBeInTheDocument();

    const targetPicker = screen.getByLabelText('Target stage');
    expect(
      within(targetPicker)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Last stage (default)', 'deps (line 3, FROM ${BASE})', 'final (line 9, FROM ${BASE})']);
    expect(targetPicker).toHaveValue('deps');
    await userEvent.selectOptions(targetPicker, 'final');

    await userEvent.type(screen.getByLabelText('TOKEN'), 'abc');
    await userEvent.click(screen.getByRole('button', { name: 'Add other build arg' }));
    await userEvent.type(screen.getByLabelText('other build arg 1 name'), 'EXTRA');
    await userEvent.type(screen.getByLabelText('other build arg 1 value'), '1');
    await userEvent.click(screen.getByRole('button', { name: /Start build/ }));
    expect(api.callsTo('build.start')).toEqual([
      expect.objectContaining({
        contextDir: '/home/me/app',
        buildArgs: { TOKEN: 'abc', EXTRA: '1' },
        target: 'final',
      }),
    ]);
  });

  it('pre-fills NODE_IMAGE only for the bundled project, not for another project that declares it', async () => {
    setup();
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    expect(screen.getByLabelText('NODE_IMAGE')).toHaveAccessibleDescription(/local base image of the bundled project/);
    await chooseRecent(/node-app/);
    await waitFor(() => expect(screen.getByLabelText('Context folder')).toHaveValue('/home/me/node-app'));
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue(''));
    expect(screen.getByLabelText('NODE_IMAGE')).toHaveAttribute('placeholder', 'node:22-alpine');
    expect(screen.getByLabelText('NODE_IMAGE')).not.toHaveAccessibleDescription(
      /local base image of the bundled project/,
    );
  });

  it('shows why the Dockerfile cannot be read, with the fix', async () => {
    const api = setup();
    api.fail(
      'dockerfile.read',
      'INVALID_INPUT',
      'The Dockerfile "../x" is outside the context folder /a.',
      'Give a path inside.',
    );
    await userEvent.clear(await screen.findByLabelText('Dockerfile'));
    await userEvent.type(screen.getByLabelText('Dockerfile'), '../x');
    const notice = await screen.findByRole('alert', {}, { timeout: 3000 });
    expect(notice).toHaveTextContent('Cannot read the Dockerfile');
    expect(notice).toHaveTextContent('Give a path inside.');
  });

  it('in web mode offers no folder dialog and says why; the desktop app picks a folder natively', async () => {
    setup({ folderPicker: false });
    expect(await screen.findByLabelText('Context folder')).toHaveAccessibleDescription(
      /cannot open a folder dialog.*type the full path, or choose a recent project/,
    );
    expect(screen.queryByRole('button', { name: 'Choose folder…' })).not.toBeInTheDocument();
  });

  it('opens the folder the native dialog returns', async () => {
    const api = setup({ folderPicker: true });
    await userEvent.click(await screen.findByRole('button', { name: 'Choose folder…' }));
    expect(api.callsTo('app.pickFolder')).toEqual([{ defaultPath: '/work/main' }]);
    await waitFor(() => expect(screen.getByLabelText('Context folder')).toHaveValue('/home/me/app'));
    expect(await screen.findByLabelText('GREETING')).toBeInTheDocument();
  });

  it("shows the engine's warnings on the build", async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() =>
      api.emit(
        'build',
        buildModel({
          state: 'succeeded',
          endedAt: NOW,
          warnings: ['One or more build-args [UNUSED] were not consumed'],
          steps: [step({ id: 's', index: 0, instruction: 'FROM x', state: 'cached', line: 2 })],
        }),
      ),
    );
    expect(screen.getByRole('list', { name: 'Build warnings' })).toHaveTextContent(
      'One or more build-args [UNUSED] were not consumed',
    );
  });

  it('on an engine without BuildKit, the BuildKit choice is disabled and says why; the build goes to the legacy builder', async () => {
    const reason = 'Podman has no BuildKit: builds use the legacy builder.';
    const api = setup({
      engine: { ...connectedStatus, buildkit: false, podman: true, buildkitMissing: reason },
    });
    const builder = await screen.findByRole('combobox', { name: 'Builder' });
    const option = within(builder).getByRole('option', { name: 'BuildKit (not on this engine)' });
    expect(option).toBeDisabled();
    expect(option).toHaveAttribute('title', reason);
    expect(builder).toHaveAccessibleDescription(reason);
    const start = await screen.findByRole('button', { name: /Start build/ });
    await waitFor(() => expect(start).toBeEnabled());
    await userEvent.click(start);
    await waitFor(() => expect(api.callsTo('build.start')).toHaveLength(1));
    // "Auto": the core picks the legacy builder on such an engine (chooseBuilder, the engine room's rule).
    expect(api.callsTo('build.start')[0]).toMatchObject({ builder: 'auto' });
  });
});

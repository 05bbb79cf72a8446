import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BerthError } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { buildModel, bundledFile, NOW, projectDefaults, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

function setup() {
  const api = new FakeApi()
    .on('project.default', projectDefaults)
    .on('project.recent', [])
    .on('dockerfile.read', bundledFile)
    .on('build.records', [])
    .on('build.start', { buildId: 'b1' })
    .on('build.cancel', { ok: true });
  renderWithApi(<BuildView />, api);
  return api;
}

/** A row of the step list (the timeline below it has a bar per step too). */
const stepRow = (name: RegExp) =>
  within(screen.getByRole('region', { name: 'Build steps' })).getByRole('listitem', { name });

describe('BuildView', () => {
  it('shows a spinner while the project defaults load', () => {
    const api = new FakeApi().hang('project.default').on('build.records', []);
    renderWithApi(<BuildView />, api);
    expect(screen.getByRole('status', { name: 'Loading project defaults' })).toBeInTheDocument();
  });

  it("fills the form from project.default, with the bundled project's local base image as NODE_IMAGE", async () => {
    setup();
    expect(await screen.findByLabelText('Context folder')).toHaveValue('/work/main');
    expect(screen.getByLabelText('Dockerfile')).toHaveValue('Dockerfile');
    expect(screen.getByLabelText('Tags')).toHaveValue('notas-iv:latest');
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    expect(screen.getByLabelText('NODE_IMAGE')).toHaveAttribute('placeholder', 'node:22-alpine');
    expect(screen.getByRole('region', { name: 'No builds yet' })).toBeInTheDocument();
  });

  it('warns under the build args when one looks like a secret (it would stay in the image history)', async () => {
    setup();
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add other build arg' }));
    await userEvent.type(screen.getByLabelText('other build arg 1 name'), 'NPM_TOKEN');
    await userEvent.type(screen.getByLabelText('other build arg 1 value'), 'abc123');
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('NPM_TOKEN looks like a secret');
    expect(note).toHaveTextContent('docker history');
    expect(note).toHaveTextContent('--secret');
  });

  it('starts the build with the form values and Ctrl+Enter', async () => {
    const api = setup();
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('NODE_IMAGE')).toHaveValue('berth-node-base:test'));
    await user.click(screen.getByLabelText(/Do not use the cache/));
    await user.selectOptions(screen.getByLabelText('Builder'), 'legacy');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(api.callsTo('build.start')).toEqual([
      {
        contextDir: '/work/main',
        dockerfile: 'Dockerfile',
        buildArgs: { NODE_IMAGE: 'berth-node-base:test' },
        tags: ['notas-iv:latest'],
        noCache: true,
        builder: 'legacy',
      },
    ]);
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    expect(api.open('build')[0]?.params).toEqual({ buildId: 'b1' });
  });

  it('shows field errors when build.start rejects the input', async () => {
    const api = setup();
    api.fail('build.start', 'INVALID_INPUT', 'The build request is not valid.', 'Correct the marked fields.', {
      'tags.0': ['not a valid image reference: use lowercase name[:tag], e.g. notas-iv:latest'],
    });
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    expect(await screen.findByText(/not a valid image reference/)).toBeInTheDocument();
    expect(screen.getByLabelText('Tags')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Correct the marked fields.')).toBeInTheDocument();
  });

  it('folds the stream: running → cached/done → failed opens the failing step with its exit code', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));

    const from = step({ id: 's0', index: 0, stage: 'build', line: 18, instruction: 'FROM node:22-alpine AS build' });
    const ci = step({ id: 's1', index: 1, stage: 'build', line: 21, instruction: 'RUN npm ci --no-audit --no-fund' });
    const tsc = step({ id: 's2', index: 2, stage: 'build', line: 25, instruction: 'RUN npm run build' });

    act(() => api.emit('build', buildModel({ steps: [{ ...from, state: 'running', startedAt: NOW - 1000 }] })));
    expect(within(stepRow(/FROM/)).getByRole('status', { name: 'Running' })).toBeInTheDocument();
    expect(within(stepRow(/FROM/)).getByText('running')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel build' })).toBeEnabled();

    act(() =>
      api.emit(
        'build',
        buildModel({
          steps: [
            { ...from, state: 'cached', startedAt: NOW - 1000, endedAt: NOW - 1000 },
            { ...ci, state: 'done', startedAt: NOW - 900, endedAt: NOW + 3300 },
            { ...tsc, state: 'running', startedAt: NOW },
          ],
        }),
      ),
    );
    expect(within(stepRow(/FROM/)).getByText('cached')).toBeInTheDocument();
    expect(within(stepRow(/npm ci/)).getByText('ran')).toBeInTheDocument();
    expect(within(stepRow(/npm ci/)).getByText('4.2 s')).toBeInTheDocument();
    expect(screen.getByTestId('build-cache-hits')).toHaveTextContent('1/3 cached (33 %)');
    expect(screen.getByTestId('build-context')).toHaveTextContent('97.3 kB in 12 files');
    expect(screen.getByTestId('build-builder')).toHaveTextContent('BuildKit');

    act(() =>
      api.emit(
        'build',
        buildModel({
          state: 'failed',
          endedAt: NOW + 6000,
          steps: [
            { ...from, state: 'cached' },
            { ...ci, state: 'done', startedAt: NOW - 900, endedAt: NOW + 3300 },
            {
              ...tsc,
              state: 'error',
              startedAt: NOW,
              endedAt: NOW + 2000,
              error: 'process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
              logs: [{ stream: 'stderr', text: "src/server.ts(3,1): error TS2304: Cannot find name 'x'." }],
            },
          ],
          failure: {
            code: 'BUILD_FAILED',
            message: 'RUN npm run build failed with exit code 2.',
            fix: 'Read the step output above, fix the error, and build again.',
            stepId: 's2',
            exitCode: 2,
          },
        }),
      ),
    );
    const failing = stepRow(/npm run build/);
    expect(within(failing).getByRole('button', { name: /Show output/ })).toHaveAttribute('aria-expanded', 'true');
    expect(within(failing).getByText(/error TS2304/)).toHaveClass('stderr');
    expect(within(failing).getByText(/Exit code 2\./)).toBeInTheDocument();
    expect(within(stepRow(/npm ci/)).getByRole('button', { name: /Show output/ })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    const notice = screen.getByText('RUN npm run build failed with exit code 2.').closest('[role="alert"]');
    expect(notice).toHaveTextContent('BUILD_FAILED');
    expect(notice).toHaveTextContent('Failed at line 25: RUN npm run build');
    expect(notice).toHaveTextContent('Fix: Read the step output above');
    expect(screen.queryByRole('button', { name: 'Cancel build' })).not.toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('build.records')).toHaveLength(2));
  });

  it('groups steps by stage with their Dockerfile line numbers', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() =>
      api.emit(
        'build',
        buildModel({
          steps: [
            step({ id: 'a', index: 0, stage: 'prod-deps', line: 10, instruction: 'FROM node AS prod-deps' }),
            step({ id: 'b', index: 1, stage: 'build', line: 18, instruction: 'FROM node AS build' }),
            step({ id: 'c', index: 2, stage: 'prod-deps', line: 15, instruction: 'RUN npm ci --omit=dev' }),
          ],
        }),
      ),
    );
    const prodDeps = screen.getByRole('region', { name: 'Stage prod-deps' });
    expect(within(prodDeps).getAllByRole('listitem')).toHaveLength(2);
    expect(within(prodDeps).getByText('15')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Stage build' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('shows the running build again after the view is left and opened again', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    cleanup();
    renderWithApi(<BuildView />, api);
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() =>
      api.emit(
        'build',
        buildModel({ steps: [step({ id: 'x', index: 0, instruction: 'RUN true', state: 'running' })] }),
      ),
    );
    expect(stepRow(/RUN true/)).toHaveTextContent('running');
  });

  it('cancels a running build', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() => api.emit('build', buildModel()));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel build' }));
    expect(api.callsTo('build.cancel')).toEqual([{ buildId: 'b1' }]);
  });

  it('shows a stream error with its message and fix', async () => {
    const api = setup();
    await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() =>
      api.emitError('build', new BerthError('ENGINE_UNREACHABLE', 'The engine went away.', 'Start Docker again.')),
    );
    expect(screen.getByText('The engine went away.')).toBeInTheDocument();
    expect(screen.getByText('Start Docker again.')).toBeInTheDocument();
  });

  it('lists past builds with hit ratio and the difference from the previous build', async () => {
    const base = {
      builder: 'buildkit' as const,
      state: 'succeeded' as const,
      tags: ['notas-iv:latest'],
      contextDir: '/work/main',
      dockerfile: 'Dockerfile',
      target: null,
      imageId: 'sha256:1',
      totalSteps: 12,
    };
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('project.recent', [])
      .on('dockerfile.read', bundledFile)
      .on('build.records', [
        { ...base, buildId: 'r3', at: NOW - 500, durationMs: 900, cachedSteps: 1, contextDir: '/home/me/app' },
        { ...base, buildId: 'r2', at: NOW - 1000, durationMs: 1800, cachedSteps: 10 },
        { ...base, buildId: 'r2t', at: NOW - 2000, durationMs: 700, cachedSteps: 2, target: 'build' },
        { ...base, buildId: 'r1', at: NOW - 60_000, durationMs: 6000, cachedSteps: 7 },
      ]);
    renderWithApi(<BuildView />, api);
    const table = await screen.findByRole('table', { name: 'Build history' });
    const rows = within(table).getAllByRole('row');
    // Each build is compared with the one before of the same context, Dockerfile and target only.
    expect(rows[1]).toHaveTextContent('app');
    expect(rows[1]).toHaveTextContent('first build of this project');
    expect(rows[2]).toHaveTextContent('-4.2 s, +3 cached');
    expect(rows[2]).toHaveTextContent('10/12 cached (83 %)');
    expect(rows[3]).toHaveTextContent('main → build');
    expect(rows[3]).toHaveTextContent('first build of this project');
    expect(rows[4]).toHaveTextContent('first build of this project');
  });

  it('shows an error notice when the history cannot be read', async () => {
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('project.recent', [])
      .on('dockerfile.read', bundledFile)
      .fail('build.records', 'INTERNAL', 'records file is corrupt', 'Delete ~/.berth/builds.json');
    renderWithApi(<BuildView />, api);
    expect(await screen.findByText('records file is corrupt')).toBeInTheDocument();
    expect(screen.getByText('Delete ~/.berth/builds.json')).toBeInTheDocument();
  });
});

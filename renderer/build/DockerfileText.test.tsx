import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { buildModel, multiStageFile, NOW, projectDefaults, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

const steps = [
  step({ id: 'from', index: 0, stage: 'deps', line: 3, instruction: 'FROM ${BASE} AS deps', state: 'cached' }),
  step({
    id: 'run',
    index: 1,
    stage: 'deps',
    line: 6,
    instruction: 'RUN echo "$GREETING" > /greet',
    state: 'done',
    startedAt: NOW - 4000,
    endedAt: NOW - 1500,
    logs: [{ stream: 'stdout', text: 'greeted' }],
  }),
  step({
    id: 'copy',
    index: 2,
    stage: 'final',
    line: 10,
    instruction: 'COPY --from=deps /greet /greet',
    state: 'running',
    startedAt: NOW - 1000,
  }),
];

async function showBuild() {
  const api = new FakeApi()
    .on('project.default', projectDefaults)
    .on('project.recent', [])
    .on('dockerfile.read', multiStageFile)
    .on('build.records', [])
    .on('build.start', { buildId: 'b1' });
  renderWithApi(<BuildView />, api);
  await userEvent.click(await screen.findByRole('button', { name: /Start build/ }));
  await waitFor(() => expect(api.open('build')).toHaveLength(1));
  act(() =>
    api.emit(
      'build',
      buildModel({ request: { ...buildModel().request, contextDir: '/home/me/app', target: 'final' }, steps }),
    ),
  );
  return within(await screen.findByRole('region', { name: 'Dockerfile text' }));
}

describe('the Dockerfile as text', () => {
  it('shows every line of the file, each instruction annotated with its step state and time', async () => {
    const text = await showBuild();
    expect(text.getByText('11 lines', { exact: false })).toBeInTheDocument();
    expect(text.getByText('# syntax of a small app')).toBeInTheDocument();
    const from = text.getByRole('button', { name: /^Line 3: FROM \$\{BASE\} AS deps \(cached\)/ });
    expect(within(from).getByText('cached')).toBeInTheDocument();
    const run = text.getByRole('button', { name: /^Line 6: RUN echo "\$GREETING" \\ \(ran, 2\.5 s\)/ });
    // The instruction's continuation line belongs to it.
    expect(within(run).getByText('> /greet')).toBeInTheDocument();
    expect(within(run).getByText('2.5 s')).toBeInTheDocument();
    expect(text.getByRole('button', { name: /^Line 10: COPY .*\(running/ })).toBeInTheDocument();
    // Instructions without a step in this build are shown, but not as controls.
    expect(text.getByText('CMD ["cat", "/greet"]')).toBeInTheDocument();
    expect(text.queryByRole('button', { name: /CMD/ })).not.toBeInTheDocument();
  });

  it('says when the file on disk no longer matches the steps of the build', async () => {
    const text = await showBuild();
    expect(text.queryByRole('note')).not.toBeInTheDocument();
    cleanup();
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('project.recent', [])
      .on('dockerfile.read', multiStageFile)
      .on('build.records', [])
      .on('build.start', { buildId: 'b1' });
    renderWithApi(<BuildView />, api);
    await waitFor(() => expect(api.open('build')).toHaveLength(1));
    act(() => api.emit('build', buildModel({ steps: [{ ...steps[0]!, line: 8 }] })));
    expect(await screen.findByRole('note')).toHaveTextContent('The Dockerfile has changed since this build');
  });

  it('a click on a line opens its step, focused', async () => {
    const text = await showBuild();
    const toggle = screen.getByRole('button', { name: /Show output of RUN echo/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(text.getByRole('button', { name: /^Line 6:/ }));
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveFocus();
    expect(screen.getByText('greeted')).toBeInTheDocument();
  });

  it('Enter on a focused line opens its step too', async () => {
    const text = await showBuild();
    const line = text.getByRole('button', { name: /^Line 10:/ });
    line.focus();
    await userEvent.keyboard('{Enter}');
    const toggle = screen.getByRole('button', { name: /Show output of COPY --from=deps/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveFocus();
    // Opening it again after closing it works the same way.
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    line.focus();
    await userEvent.keyboard(' ');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });
});

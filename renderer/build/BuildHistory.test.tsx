import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeApi } from '../test/fake-api';
import { buildModel, NOW, projectDefaults, step } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { BuildView } from './BuildView';

const record = {
  buildId: 'past-1',
  at: NOW - 60_000,
  durationMs: 4200,
  builder: 'legacy' as const,
  state: 'failed' as const,
  tags: ['notas-iv:old'],
  contextDir: '/work/main',
  dockerfile: 'Dockerfile',
  target: null,
  imageId: null,
  cachedSteps: 1,
  totalSteps: 2,
};

describe('opening a past build from the history', () => {
  it('asks build.get for it and shows its summary and steps', async () => {
    const past = buildModel({
      buildId: 'past-1',
      builder: 'legacy',
      state: 'failed',
      endedAt: NOW - 55_800,
      steps: [
        step({ id: 's0', index: 0, instruction: 'FROM node:22-alpine', state: 'cached' }),
        step({ id: 's1', index: 1, instruction: 'RUN npm ci', state: 'error', error: 'exit code 1' }),
      ],
    });
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('build.records', [record])
      .on('build.get', past);
    renderWithApi(<BuildView />, api);
    const table = await screen.findByRole('table', { name: 'Build history' });
    await userEvent.click(within(table).getByRole('button', { name: /^Open the build of/ }));
    expect(await screen.findByTestId('build-builder')).toHaveTextContent('legacy');
    expect(api.calls.find((c) => c.name === 'build.get')?.input).toEqual({ buildId: 'past-1' });
    expect(within(screen.getByRole('region', { name: 'Build steps' })).getByText('RUN npm ci')).toBeInTheDocument();
    // The record's steps are drawn on the timeline too.
    const timeline = screen.getByRole('region', { name: 'Where the time went' });
    expect(within(timeline).getByRole('listitem', { name: /^RUN npm ci: failed/ })).toBeInTheDocument();
    expect(api.open('build')).toHaveLength(0);
  });

  it('says why when the build cannot be opened', async () => {
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('build.records', [record])
      .fail('build.get', 'NOT_FOUND', 'No build record past-1.', 'Pick a build from the list of records.');
    renderWithApi(<BuildView />, api);
    const table = await screen.findByRole('table', { name: 'Build history' });
    await userEvent.click(within(table).getByRole('button', { name: /^Open the build of/ }));
    expect(await screen.findByText('No build record past-1.')).toBeInTheDocument();
    expect(screen.getByText('Pick a build from the list of records.')).toBeInTheDocument();
  });
});

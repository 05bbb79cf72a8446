import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  type PipelineModel,
  PipelineModel as PipelineModelSchema,
  type ProcedureOutput,
  type WatchModel,
} from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { parityFailed as parityFailedFixture, projectDefaults } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { PipelinePanel } from './PipelinePanel';
import { WatchPanel } from './WatchPanel';

const IMAGE = `sha256:${'a'.repeat(64)}`;
const T0 = 1_700_000_000_000;
const credentials = { registry: '127.0.0.1:5000', username: 'berth', password: 'right' };

const stage = (
  name: PipelineModel['stages'][number]['name'],
  fields: Partial<PipelineModel['stages'][number]> = {},
) => ({
  name,
  state: 'pending' as const,
  startedAt: null,
  endedAt: null,
  detail: null,
  failure: null,
  ...fields,
});

const parityFailed = parityFailedFixture(IMAGE, { at: T0 });

const outputs = (fields: Partial<PipelineModel['outputs']> = {}): PipelineModel['outputs'] => ({
  buildId: null,
  imageId: null,
  parity: [],
  tagged: null,
  pushId: null,
  digest: null,
  deployUrl: null,
  deployId: null,
  ...fields,
});

function model(fields: Partial<PipelineModel>): PipelineModel {
  return PipelineModelSchema.parse({
    pipelineId: 'run-1',
    resumedFrom: null,
    request: {
      build: { contextDir: '/work/main', tags: ['notas-iv:latest'] },
      parity: ['heroku'],
      target: '127.0.0.1:5000/notas-iv:latest',
      deploy: { platform: 'heroku', app: 'notas-iv' },
    },
    state: 'running',
    stages: [],
    outputs: outputs(),
    parityOverridden: false,
    startedAt: T0,
    endedAt: null,
    recordError: null,
    ...fields,
  });
}

function setup(history: ProcedureOutput<'pipeline.history'> = []) {
  const api = new FakeApi()
    .on('project.default', projectDefaults)
    .on('pipeline.history', history)
    .on('pipeline.start', { pipelineId: 'run-1' })
    .on('pipeline.resume', { pipelineId: 'run-2' });
  renderWithApi(<PipelinePanel credentials={credentials} target="127.0.0.1:5000/notas-iv:latest" />, api);
  return api;
}

describe('PipelinePanel', () => {
  it('starts one pipeline with the project defaults and draws each stage with its state and time', async () => {
    const api = setup();
    await waitFor(() => expect(screen.getByLabelText('Context folder')).toHaveValue('/work/main'));
    await userEvent.click(screen.getByRole('button', { name: 'Run pipeline' }));
    await waitFor(() => expect(api.callsTo('pipeline.start')).toHaveLength(1));
    expect(api.callsTo('pipeline.start')[0]).toEqual({
      build: { contextDir: '/work/main', tags: ['notas-iv:latest'], buildArgs: { NODE_IMAGE: 'berth-node-base:test' } },
      parity: ['heroku', 'azure'],
      target: '127.0.0.1:5000/notas-iv:latest',
      credentials,
    });
    await waitFor(() => expect(api.open('pipeline')).toHaveLength(1));
    act(() =>
      api.emit(
        'pipeline',
        model({
          stages: [
            stage('build', {
              state: 'succeeded',
              startedAt: T0,
              endedAt: T0 + 2500,
              detail: 'image aaaaaaaaaaaa (9/12 steps cached)',
            }),
            stage('parity', { state: 'running', startedAt: T0 + 2500 }),
            stage('tag'),
            stage('push'),
          ],
        }),
      ),
    );
    const run = screen.getByRole('region', { name: 'Pipeline run' });
    const build = within(run).getByRole('listitem', { name: 'Build' });
    expect(build).toHaveTextContent('succeeded');
    expect(build).toHaveTextContent('2.5 s');
    expect(build).toHaveTextContent('9/12 steps cached');
    expect(within(run).getByRole('listitem', { name: 'Parity run' })).toHaveTextContent('running');
    expect(within(run).getByRole('listitem', { name: 'Push' })).toHaveTextContent('pending');
    expect(within(run).queryByRole('button', { name: /Resume/ })).toBeNull();
  });

  it('names the port a failed parity run found, and resumes or overrides on purpose', async () => {
    const api = setup();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run pipeline' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Run pipeline' }));
    await waitFor(() => expect(api.open('pipeline')).toHaveLength(1));
    act(() =>
      api.emit(
        'pipeline',
        model({
          state: 'failed',
          endedAt: T0 + 40_000,
          stages: [
            stage('build', { state: 'succeeded', startedAt: T0, endedAt: T0 + 1000 }),
            stage('parity', {
              state: 'failed',
              startedAt: T0 + 1000,
              endedAt: T0 + 31_100,
              failure: { code: 'PARITY_FAILED', message: `Run as heroku: ${parityFailed.problem}` },
            }),
            stage('tag'),
            stage('push'),
            stage('deploy'),
          ],
          outputs: outputs({ buildId: 'b1', imageId: IMAGE, parity: [parityFailed] }),
        }),
      ),
    );
    const parity = screen.getByRole('region', { name: 'Run as Heroku' });
    expect(parity).toHaveTextContent('failed');
    expect(within(parity).getByRole('alert')).toHaveTextContent('The app ignores $PORT (41234) and listens on 3000.');
    expect(parity).toHaveTextContent('Listening inside the container: 0.0.0.0:3000');

    expect(screen.getByRole('button', { name: 'Resume from parity run' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Deploy anyway (override the parity check)' }));
    expect(api.callsTo('pipeline.resume')).toEqual([{ pipelineId: 'run-1', credentials, overrideParity: true }]);
  });

  it('deploys to App Service with its settings, and follows the deploy job the run started', async () => {
    const subscription = '0b1f6471-1bf0-4dda-aec3-111122223333';
    const api = setup().on('azure.subscriptions', [{ id: subscription, name: 'Pay-As-You-Go', location: null }]);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Run pipeline' })).toBeEnabled());
    await userEvent.selectOptions(screen.getByLabelText('Deploy to'), 'azure');
    const azure = screen.getByRole('group', { name: 'App Service target' });
    await userEvent.type(within(azure).getByLabelText('Subscription'), subscription);
    await userEvent.type(within(azure).getByLabelText('Resource group'), 'berth-rg');
    await userEvent.type(within(azure).getByLabelText('Linux plan'), 'berth-linux');
    await userEvent.click(within(azure).getByRole('checkbox', { name: /Private registry/ }));
    await userEvent.type(screen.getByLabelText('App name'), 'notas-iv');
    await userEvent.click(screen.getByRole('button', { name: 'Run pipeline' }));
    await waitFor(() => expect(api.callsTo('pipeline.start')).toHaveLength(1));
    expect((api.callsTo('pipeline.start')[0] as { deploy: unknown }).deploy).toEqual({
      platform: 'azure',
      app: 'notas-iv',
      azure: {
        subscriptionId: subscription,
        resourceGroup: 'berth-rg',
        location: 'westeurope',
        plan: 'berth-linux',
        privateRegistry: true,
      },
    });

    await waitFor(() => expect(api.open('pipeline')).toHaveLength(1));
    act(() =>
      api.emit(
        'pipeline',
        model({
          stages: [
            stage('build', { state: 'succeeded' }),
            stage('deploy', { state: 'running', detail: 'Restart (step 6/6)' }),
          ],
          outputs: outputs({
            buildId: 'b1',
            imageId: IMAGE,
            tagged: '127.0.0.1:5000/notas-iv:latest',
            pushId: 'p1',
            digest: `sha256:${'d'.repeat(64)}`,
            deployId: 'deploy-1',
          }),
        }),
      ),
    );
    await waitFor(() => expect(api.open('deploy')).toHaveLength(1));
    act(() =>
      api.emit('deploy', {
        deployId: 'deploy-1',
        platform: 'azure',
        target: 'notas-iv ← 127.0.0.1:5000/notas-iv:latest',
        state: 'succeeded',
        steps: [{ name: 'Restart', state: 'done', detail: null }],
        output: ['Site notas-iv started'],
        url: 'https://notas-iv.azurewebsites.net',
        tailing: false,
        failure: null,
      }),
    );
    const progress = screen.getByRole('region', { name: 'Azure App Service deploy' });
    expect(within(progress).getByRole('link', { name: 'https://notas-iv.azurewebsites.net' })).toBeVisible();
    expect(within(progress).getByRole('log', { name: 'Container log' })).toHaveTextContent('Site notas-iv started');
  });

  it('lists the history and opens a past run', async () => {
    const api = setup([
      {
        pipelineId: 'old-1',
        resumedFrom: null,
        state: 'failed',
        startedAt: Date.now() - 60_000,
        endedAt: Date.now() - 50_000,
        tags: ['notas-iv:latest'],
        failedStage: 'push',
        stages: [
          { name: 'build', state: 'succeeded' },
          { name: 'push', state: 'failed' },
        ],
      },
    ]);
    api.on(
      'pipeline.get',
      model({
        pipelineId: 'old-1',
        state: 'failed',
        endedAt: T0 + 5000,
        stages: [
          stage('build', { state: 'succeeded', startedAt: T0, endedAt: T0 + 1000 }),
          stage('push', {
            state: 'failed',
            startedAt: T0 + 1000,
            endedAt: T0 + 5000,
            failure: { code: 'AUTH_FAILED', message: 'unauthorized: authentication required' },
          }),
        ],
      }),
    );
    const history = screen.getByRole('region', { name: 'Pipeline history' });
    await waitFor(() => expect(history).toHaveTextContent('at push'));
    await userEvent.click(within(history).getByRole('button'));
    const run = await screen.findByRole('region', { name: 'Pipeline run' });
    expect(within(run).getByRole('listitem', { name: 'Push' })).toHaveTextContent(
      'unauthorized: authentication required',
    );
    await userEvent.click(within(run).getByRole('button', { name: 'Resume from push' }));
    expect(api.callsTo('pipeline.resume')).toEqual([{ pipelineId: 'old-1', credentials }]);
  });
});

describe('WatchPanel', () => {
  it('starts watching the project with a container to recreate, draws each round with its cache explanation, and stops', async () => {
    const api = new FakeApi()
      .on('project.default', projectDefaults)
      .on('containers.list', [
        {
          id: 'c'.repeat(64),
          name: 'notes-dev',
          image: 'notas-iv:latest',
          imageId: IMAGE,
          state: 'running',
          status: 'Up 3 minutes',
          health: null,
          created: T0,
          startedAt: T0,
          ports: [],
        },
      ])
      .on('watch.start', { watchId: 'w1' })
      .on('watch.stop', { ok: true });
    renderWithApi(<WatchPanel />, api);
    await waitFor(() => expect(screen.getByLabelText('Watched folder')).toHaveValue('/work/main'));
    await userEvent.selectOptions(await screen.findByLabelText('Container to recreate'), 'notes-dev');
    await userEvent.click(screen.getByRole('button', { name: 'Start watching' }));
    expect(api.callsTo('watch.start')).toEqual([
      {
        build: {
          contextDir: '/work/main',
          tags: ['notas-iv:latest'],
          buildArgs: { NODE_IMAGE: 'berth-node-base:test' },
        },
        container: 'notes-dev',
      },
    ]);
    await waitFor(() => expect(api.open('watch')).toHaveLength(1));
    const watch: WatchModel = {
      watchId: 'w1',
      contextDir: '/work/main',
      state: 'watching',
      container: 'notes-dev',
      pushTarget: null,
      startedAt: T0,
      rounds: [
        {
          round: 1,
          changed: ['service/src/notes-page.ts'],
          state: 'succeeded',
          buildId: 'b2',
          imageId: IMAGE,
          cachedSteps: 9,
          totalSteps: 12,
          missed: ['COPY service/src ./src', 'RUN npm run build', 'COPY --from=build /app/dist ./dist'],
          cacheExplanation: 'service/src/notes-page.ts changed',
          containerId: 'd'.repeat(64),
          digest: null,
          startedAt: T0,
          endedAt: T0 + 4200,
          failure: null,
        },
      ],
    };
    act(() => api.emit('watch', watch));
    const round = screen.getByRole('listitem', { name: 'Round 1' });
    expect(round).toHaveTextContent('service/src/notes-page.ts');
    expect(round).toHaveTextContent('9/12 steps cached');
    expect(round).toHaveTextContent('COPY service/src ./src · RUN npm run build');
    expect(round).toHaveTextContent('Why: service/src/notes-page.ts changed');
    expect(round).toHaveTextContent('container recreated');
    expect(round).toHaveTextContent('4.2 s');

    await userEvent.click(screen.getByRole('button', { name: 'Stop watching' }));
    expect(api.callsTo('watch.stop')).toEqual([{ watchId: 'w1' }]);
    act(() => api.emit('watch', { ...watch, state: 'stopped' }));
    expect(screen.getByRole('button', { name: 'Start watching' })).toBeEnabled();
  });
});

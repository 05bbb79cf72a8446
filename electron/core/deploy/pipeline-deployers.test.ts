/**
 * The pipeline's deploy stage wired to the real deploy clients. Without an engine: the stages before the
 * deploy are written for the test (they hand on a passed parity run and a push), the deploy stage and the
 * Heroku client are the real ones, talking to the Platform API stub (test/deploy-stubs/heroku-stub.ts).
 * The whole pipeline on the engine, with real pushes, is electron/api/pipeline-deploy.contract.engine.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { HerokuStub } from '../../../test/deploy-stubs/heroku-stub';
import { createServices } from '../../api/services';
import { type ParityResult, PipelineRequest, type PipelineRequestInput, type PipelineStageName } from '../../contract';
import { AppSecrets } from '../credentials';
import { startPipeline } from '../pipeline';
import type { Stage } from '../pipeline/stage';
import { deployStage } from '../pipeline/stages';
import { MemorySecretStore } from '../registry/credentials';
import { DeployJob } from './deploy-job';
import { Deploys } from './deploys';
import {
  azureDeployer,
  herokuDeployer,
  pipelineDeployers,
  registryServerUrl,
  untilDeployed,
} from './pipeline-deployers';

const engine = { docker: new Dockerode({ socketPath: '/nonexistent' }), endpoint: 'unix:///nonexistent' };
const apiKey = `HRKU-${randomBytes(16).toString('hex')}`;
let stub: HerokuStub;

beforeEach(async () => {
  stub = await new HerokuStub({ apiKey, apps: [{ name: 'notas-iv', stack: 'container' }] }).start();
});
afterEach(async () => {
  expect(stub.server.violations).toEqual([]);
  await stub.stop();
});

const deploysFor = () =>
  new Deploys({
    secrets: new AppSecrets(new MemorySecretStore()),
    env: { BERTH_HEROKU_API_URL: stub.server.url, BERTH_HEROKU_REGISTRY: '127.0.0.1:5999' },
  });

const passed = (platform: 'heroku' | 'azure'): ParityResult => ({
  platform,
  image: 'notas-iv:1',
  passed: true,
  port: 41234,
  hostPort: 41234,
  env: { PORT: '41234' },
  command: 'docker run',
  status: 200,
  elapsedMs: 10,
  deadlineMs: 30_000,
  listening: null,
  problem: null,
  fix: null,
  at: 0,
});
const stage = (name: PipelineStageName, run: Stage['run']): Stage => ({ name, applies: () => true, run });
const beforeDeploy = (platform: 'heroku' | 'azure'): Stage[] => [
  stage('parity', async () => ({ outputs: { parity: [passed(platform)] }, detail: 'passed' })),
  stage('push', async () => ({
    outputs: { tagged: '127.0.0.1:5999/notas-iv:1', digest: `sha256:${'e'.repeat(64)}` },
    detail: 'pushed',
  })),
  deployStage,
];

describe('the services', () => {
  it("give the pipeline the real Heroku and Azure clients, over the session's own Deploys", () => {
    const services = createServices({ dataDir: '/nonexistent', secretStore: new MemorySecretStore() });
    try {
      expect([...services.deployers.keys()].sort()).toEqual(['azure', 'heroku']);
      expect(services.deployers.get('heroku')).toMatchObject({ platform: 'heroku', needsPush: false });
      expect(services.deployers.get('azure')).toMatchObject({ platform: 'azure', needsPush: true });
    } finally {
      services.close();
    }
  });
});

describe('the deploy stage with the real Heroku client', () => {
  const request = (app: string): PipelineRequestInput => ({
    build: { contextDir: '/tmp/app', tags: ['notas-iv:1'] },
    target: '127.0.0.1:5999/notas-iv:1',
    deploy: { platform: 'heroku', app },
  });

  it('starts a Heroku deploy job the UI can follow; its failure (404, in Heroku words) fails the stage', async () => {
    const deploys = deploysFor();
    await deploys.herokuSignIn(apiKey, false);
    const run = await startPipeline(request('no-such-app'), {
      engine,
      stages: beforeDeploy('heroku'),
      deployers: pipelineDeployers(deploys),
    }).done;
    expect(run.state).toBe('failed');
    const deploy = run.stages.at(-1);
    expect(deploy).toMatchObject({ name: 'deploy', state: 'failed' });
    expect(deploy?.failure).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("Couldn't find that app."),
    });
    // The job is the session's own: the same one the deploy stream shows, failed at its first step.
    const job = deploys.jobs.get(run.outputs.deployId ?? '');
    expect(job).toMatchObject({ platform: 'heroku', state: 'failed', target: '127.0.0.1:5999/no-such-app/web' });
    expect(job.steps[0]).toMatchObject({ name: 'Check the app', state: 'failed' });
    expect(stub.server.to('GET', '/apps/no-such-app')).toHaveLength(1);
    expect(JSON.stringify(run)).not.toContain(apiKey);
  });

  it('without a Heroku key the stage fails AUTH_FAILED, sends nothing, and starts no job', async () => {
    const deploys = deploysFor();
    const run = await startPipeline(request('notas-iv'), {
      engine,
      stages: beforeDeploy('heroku'),
      deployers: pipelineDeployers(deploys),
    }).done;
    expect(run.stages.at(-1)?.failure).toMatchObject({ code: 'AUTH_FAILED' });
    expect(run.outputs.deployId).toBeNull();
    expect(stub.server.requests).toEqual([]);
  });

  it('hands Heroku the local image by its tag even when the pipeline did not push (Heroku takes its own push)', async () => {
    const deploys = deploysFor();
    await deploys.herokuSignIn(apiKey, false);
    const sources: string[] = [];
    const real = herokuDeployer(deploys);
    const run = await startPipeline(
      { build: { contextDir: '/tmp/app', tags: ['notas-iv:1'] }, deploy: { platform: 'heroku', app: 'no-such-app' } },
      {
        engine,
        stages: [beforeDeploy('heroku')[0]!, deployStage],
        deployers: new Map([
          [
            'heroku',
            {
              ...real,
              deploy: (input) => {
                sources.push(input.localImage);
                return real.deploy(input);
              },
            },
          ],
        ]),
      },
    ).done;
    expect(sources).toEqual(['notas-iv:1']);
    expect(run.stages.at(-1)?.failure?.code).toBe('NOT_FOUND');
  });
});

describe('the deploy stage with the real Azure client', () => {
  const azure = { subscriptionId: randomUUID(), resourceGroup: 'berth-rg', plan: 'berth-linux' };

  it('refuses before any request when Berth is not signed in to Azure', async () => {
    const run = await startPipeline(
      {
        build: { contextDir: '/tmp/app' },
        target: '127.0.0.1:5999/notas-iv:1',
        deploy: { platform: 'azure', app: 'notas-iv', azure },
      },
      { engine, stages: beforeDeploy('azure'), deployers: pipelineDeployers(deploysFor()) },
    ).done;
    expect(run.stages.at(-1)?.failure).toMatchObject({ code: 'AUTH_FAILED', fix: expect.stringContaining('Sign in') });
  });

  it('names the registry when a private registry is asked for and the pipeline has no login for it', async () => {
    const deploys = deploysFor();
    deploys.azure.status = () => ({ signedIn: true, method: 'device-code' });
    const error = await azureDeployer(deploys)
      .deploy({
        engine,
        target: {
          platform: 'azure',
          app: 'notas-iv',
          overrideParity: false,
          azure: { ...azure, location: 'westeurope', privateRegistry: true },
        },
        localImage: '127.0.0.1:5999/notas-iv:1',
        pushed: { image: '127.0.0.1:5999/notas-iv:1', digest: `sha256:${'e'.repeat(64)}` },
        loginFor: async () => undefined,
        signal: new AbortController().signal,
        report: () => {},
        started: () => {},
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining('127.0.0.1:5999') });
  });

  it('gives App Service the URL form of the registry host', () => {
    expect(registryServerUrl('docker.io')).toBe('https://index.docker.io');
    expect(registryServerUrl('myregistry.azurecr.io')).toBe('https://myregistry.azurecr.io');
  });
});

describe('following a deploy job', () => {
  it('reports the running step, ends when the deploy has succeeded though the log is still followed', async () => {
    const job = new DeployJob('azure', 'site', ['Resource group', 'Restart'], []);
    const details: string[] = [];
    const ended = untilDeployed(job, { signal: new AbortController().signal, report: (d) => details.push(d) });
    job.step('Resource group', 'running');
    job.step('Resource group', 'done');
    job.step('Restart', 'running');
    job.succeed('https://site.azurewebsites.net', true);
    expect(await ended).toMatchObject({ state: 'succeeded', tailing: true, url: 'https://site.azurewebsites.net' });
    expect(details).toEqual(['Resource group (step 1/2)', 'Restart (step 2/2)']);
    job.endTail();
  });

  it('a cancelled pipeline cancels the deploy job', async () => {
    const job = new DeployJob('heroku', 'app', ['Check the app'], []);
    const abort = new AbortController();
    const ended = untilDeployed(job, { signal: abort.signal, report: () => {} });
    abort.abort();
    expect(job.signal.aborted).toBe(true);
    job.fail(new Error('aborted'));
    expect((await ended).state).toBe('failed');
  });
});

describe('the pipeline request', () => {
  const base = { build: { contextDir: '/tmp/app' }, target: '127.0.0.1:5999/notas-iv:1' };
  const fields = (input: unknown) => {
    const parsed = PipelineRequest.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };
  it('checks the platform name rules and the Azure settings before anything is built', () => {
    expect(fields({ ...base, deploy: { platform: 'heroku', app: 'notas-iv' } })).toEqual([]);
    expect(fields({ ...base, deploy: { platform: 'heroku', app: '1x' } })).toEqual(['deploy.app']);
    expect(fields({ ...base, deploy: { platform: 'azure', app: 'notas-iv' } })).toEqual(['deploy.azure']);
    const azure = { subscriptionId: randomUUID(), resourceGroup: 'rg', plan: 'plan' };
    expect(fields({ ...base, deploy: { platform: 'azure', app: 'notas-iv', azure } })).toEqual([]);
    expect(fields({ build: base.build, deploy: { platform: 'azure', app: 'notas-iv', azure } })).toEqual(['target']);
    expect(fields({ ...base, deploy: { platform: 'azure', app: 'x', azure: { ...azure, password: 'p' } } })).toEqual([
      'deploy.azure',
      'deploy.app',
    ]);
  });
});

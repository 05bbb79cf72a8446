import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { registryManifestDigest, startTestRegistry, type TestRegistry } from '../../../test/registry-harness';
import { PipelineModel } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { resumePipeline, startPipeline } from './pipeline';
import { listPipelineRecords, readPipelineRecord } from './pipeline-records';

const litter = new EngineLitter();
const engine: EngineHandle = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
let registry: TestRegistry;
let app = '';
let data = '';

beforeAll(async () => {
  registry = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
  app = mkdtempSync(join(tmpdir(), 'berth-pipeline-app-'));
  data = mkdtempSync(join(tmpdir(), 'berth-pipeline-data-'));
  writeFileSync(
    join(app, 'server.js'),
    "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT || 8080));\n",
  );
  writeFileSync(
    join(app, 'Dockerfile'),
    'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY server.js /srv/server.js\nCMD ["node", "/srv/server.js"]\n',
  );
});
afterAll(async () => {
  await litter.cleanup();
  await registry?.stop();
  rmSync(app, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

describe('the ship pipeline on the real engine and a real registry', () => {
  it("fails at the push with the registry's words, then resumes from the push keeping the image and parity run", async () => {
    const tag = litter.image(`${uniqueName('pipeline')}:1.0`);
    const target = litter.image(`${registry.address}/${uniqueName('shipped')}:1.0`);
    const historyDir = join(data, 'pipelines');
    const recordsDir = join(data, 'builds');
    const request = {
      build: { contextDir: app, buildArgs: { NODE_IMAGE: inject('nodeImage') }, tags: [tag] },
      parity: ['heroku' as const],
      target,
    };
    const wrongPassword = `${registry.password}-wrong`;
    const first = await startPipeline(
      { ...request, credentials: { registry: registry.address, username: 'berth', password: wrongPassword } },
      { engine, historyDir, recordsDir },
    ).done;
    expect(PipelineModel.parse(first).state).toBe('failed');
    expect(first.stages.map((s) => [s.name, s.state])).toEqual([
      ['build', 'succeeded'],
      ['parity', 'succeeded'],
      ['tag', 'succeeded'],
      ['push', 'failed'],
    ]);
    expect(first.stages[3]?.failure?.code).toBe('AUTH_FAILED');
    expect(first.stages[3]?.failure?.message).toMatch(/unauthorized|authentication required/i);
    expect(first.outputs.parity[0]).toMatchObject({ platform: 'heroku', passed: true });
    expect(first.outputs.digest).toBeNull();

    const builds = readdirSync(recordsDir).length;
    const recorded = await readPipelineRecord(historyDir, first.pipelineId);
    const second = await resumePipeline(
      recorded,
      {
        ...request,
        credentials: { registry: registry.address, username: 'berth', password: registry.password },
      },
      { engine, historyDir, recordsDir },
    ).done;
    expect(second.state).toBe('succeeded');
    expect(second.stages.map((s) => s.state)).toEqual(['kept', 'kept', 'kept', 'succeeded']);
    expect(second.outputs.imageId).toBe(first.outputs.imageId);
    expect(readdirSync(recordsDir)).toHaveLength(builds); // nothing was built again
    const [path, version] = target.slice(registry.address.length + 1).split(':') as [string, string];
    expect(second.outputs.digest).toBe(await registryManifestDigest(registry, path, version));
    // The engine's own view (docker CLI as the oracle): the target tag is the built image.
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', target)).toBe(first.outputs.imageId);

    // The history keeps both runs, privately, and no password is in it.
    const history = await listPipelineRecords(historyDir);
    expect(history.map((h) => h.pipelineId)).toEqual([second.pipelineId, first.pipelineId]);
    for (const name of readdirSync(historyDir)) {
      expect(statSync(join(historyDir, name)).mode & 0o777).toBe(0o600);
      const text = readFileSync(join(historyDir, name), 'utf8');
      expect(text).not.toContain(registry.password);
      expect(text).not.toContain(wrongPassword);
    }
  });
});

import { rmSync } from 'node:fs';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { TEST_RUN_LABEL } from '../../../test/test-run-label';
import type { EngineHandle } from '../engine/engine-handle';
import { PARITY_LABEL, runParity } from './parity-run';
import { buildCatlessApp, buildNotes, buildPortIgnoringApp, FIXED_PORT } from './test/images';

/** Generous: the notes service starts in well under a second here, but the machine is shared. */
const PARITY_DEADLINE_MS = 60_000;

const litter = new EngineLitter();
const engine: EngineHandle = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const notes = litter.image(`${uniqueName('parity-notes')}:latest`);
const fixed = litter.image(`${uniqueName('parity-fixed')}:latest`);
const catless = litter.image(`${uniqueName('parity-catless')}:latest`);
let context = '';

beforeAll(async () => {
  context = await buildNotes(engine, notes, inject('nodeImage'));
  await buildPortIgnoringApp(engine, fixed, inject('nodeImage'));
  await buildCatlessApp(engine, catless);
});
afterAll(async () => {
  await litter.cleanup();
  if (context) rmSync(context, { recursive: true, force: true });
});

/** Parity containers of this test run still on the engine (docker CLI as the oracle). */
const leftovers = () =>
  docker('ps', '-aq', '--filter', `label=${PARITY_LABEL}`, '--filter', `label=${TEST_RUN_LABEL}=${inject('testRun')}`);

describe('platform-parity runs', () => {
  it('the bundled service passes "Run as Heroku": a random PORT, published on the same port', async () => {
    const result = await runParity(engine, { image: notes, platform: 'heroku', deadlineMs: PARITY_DEADLINE_MS });
    expect(result.problem).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.status).toBe(200);
    expect(result.port).not.toBe(5000);
    expect(result.hostPort).toBe(result.port);
    expect(result.env).toEqual({ PORT: String(result.port) });
    expect(await leftovers()).toBe('');
  });

  it('the bundled service passes "Run as Azure": PORT=80 behind a free host port, with the WEBSITE_* variables', async () => {
    const result = await runParity(engine, { image: notes, platform: 'azure', deadlineMs: PARITY_DEADLINE_MS });
    expect(result.problem).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.port).toBe(80);
    expect(result.hostPort).not.toBe(80);
    const app = notes.split(':')[0];
    expect(result.env).toEqual({ PORT: '80', WEBSITE_SITE_NAME: app, WEBSITE_HOSTNAME: `${app}.azurewebsites.net` });
    expect(result.command).toContain(`-p ${result.hostPort}:80`);
    expect(await leftovers()).toBe('');
  });

  it.each(['heroku', 'azure'] as const)(
    'an app that ignores PORT fails as %s, naming the port it listens on',
    async (platform) => {
      const result = await runParity(engine, { image: fixed, platform, deadlineMs: 3000 });
      expect(result.passed).toBe(false);
      expect(result.listening).toContainEqual({ address: '0.0.0.0', port: FIXED_PORT });
      expect(result.problem).toBe(`The app ignores $PORT (${result.port}) and listens on ${FIXED_PORT}.`);
      expect(result.fix).toMatch(/process\.env\.PORT/);
      expect(await leftovers()).toBe('');
    },
  );

  it('reads the sockets of an image without cat from the host (/proc/<pid>/net of the container process)', async () => {
    const result = await runParity(engine, { image: catless, platform: 'heroku', deadlineMs: 3000 });
    expect(result.passed).toBe(false);
    expect(result.listening?.map((s) => s.port)).toContain(FIXED_PORT);
    expect(result.problem).toBe(`The app ignores $PORT (${result.port}) and listens on ${FIXED_PORT}.`);
    expect(await leftovers()).toBe('');
  });

  it('refuses a bad request before creating anything', async () => {
    await expect(runParity(engine, { image: notes, platform: 'fly' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runParity(engine, { image: `${uniqueName('absent')}:x`, platform: 'heroku' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await leftovers()).toBe('');
  });
});

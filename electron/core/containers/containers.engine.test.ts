import { createServer, type Server } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, freePort, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { httpGet } from '../../../test/http-get';
import { BerthError, ContainerDetail, ContainerSummary } from '../../contract';
import {
  inspectContainer,
  listContainers,
  recreateContainer,
  removeContainer,
  restartContainer,
  runContainer,
  SPEC_LABEL,
  startContainer,
  stopContainer,
  suggestFreePort,
} from './index';

const connection = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const image = inject('nodeImage');
const litter = new EngineLitter();
const SERVER = ['node', '-e', "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT)"];

afterAll(() => litter.cleanup());

/** Names of all containers (any state) whose name starts with `prefix`. */
async function containersNamed(prefix: string): Promise<string[]> {
  const all = await docker('ps', '-a', '--format', '{{.Names}}');
  return all.split('\n').filter((name) => name.startsWith(prefix));
}

async function refusal(promise: Promise<unknown>): Promise<BerthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BerthError) return error;
    throw error;
  }
  throw new Error('expected a BerthError');
}

/** The body of the first HTTP 200 on the port, once the server in the container listens. */
async function httpBody(port: number): Promise<string> {
  return waitFor(
    async () => {
      const response = await httpGet(port);
      return response.status === 200 ? response.body : undefined;
    },
    20_000,
    `HTTP 200 on port ${port}`,
  );
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('running a container from run settings', () => {
  it('runs a server with PORT env on a free host port, and lists, inspects, stops, starts and removes it', async () => {
    const name = litter.container(uniqueName('run'));
    const port = await freePort();
    const summary = await runContainer(connection, {
      image,
      name,
      env: { PORT: '3000' },
      ports: [{ hostPort: port, containerPort: 3000 }],
      command: SERVER,
    });
    expect(ContainerSummary.parse(summary)).toMatchObject({
      name,
      image,
      state: 'running',
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 3000, protocol: 'tcp' }],
    });
    expect(summary.startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(await httpBody(port)).toBe('ok');

    const listed = (await listContainers(connection)).find((c) => c.id === summary.id);
    expect(listed).toMatchObject({ name, state: 'running', ports: summary.ports });
    expect(listed?.startedAt).toBe(summary.startedAt);

    const detail = ContainerDetail.parse(await inspectContainer(connection, name));
    expect(detail.env).toContain('PORT=3000');
    expect(detail.command).toEqual(SERVER);
    expect(detail.exitCode).toBeNull();
    const labels = JSON.parse(await docker('inspect', '--format', '{{json .Config.Labels}}', name));
    expect(JSON.parse(labels[SPEC_LABEL])).toMatchObject({ image, name, env: { PORT: '3000' } });

    await stopContainer(connection, name, 1);
    expect((await inspectContainer(connection, name)).state).toBe('exited');
    await startContainer(connection, name);
    await restartContainer(connection, name, 1);
    expect(await httpBody(port)).toBe('ok');
    expect((await refusal(removeContainer(connection, name))).code).toBe('CONFLICT');
    await removeContainer(connection, name, { force: true });
    expect(await containersNamed(name)).toEqual([]);
    expect((await refusal(inspectContainer(connection, name))).code).toBe('NOT_FOUND');
  });

  it.each([
    [{ hostPort: 0 }, 'ports.0.hostPort', 'between 1 and 65535'],
    [{ hostPort: 70000 }, 'ports.0.hostPort', 'between 1 and 65535'],
    [{ hostPort: 'abc' }, 'ports.0.hostPort', 'must be a number'],
    [{ image: 'Bad Image!' }, 'image', 'not a valid image reference'],
  ])('refuses %j with INVALID_INPUT and creates nothing', async (change, field, why) => {
    const name = litter.container(uniqueName('bad'));
    const { hostPort, ...rest } = change as { hostPort?: unknown; image?: string };
    const input = { image, name, ports: [{ hostPort: hostPort ?? 8080, containerPort: 3000 }], ...rest };
    const error = await refusal(runContainer(connection, input));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(field);
    expect(error.message).toContain(why);
    expect(error.fix).toBeTruthy();
    expect(await containersNamed(name)).toEqual([]);
  });

  it('refuses an image that is not on the engine with NOT_FOUND: build it or pull it', async () => {
    const name = litter.container(uniqueName('noimage'));
    const error = await refusal(runContainer(connection, { image: `${uniqueName('missing')}:nope`, name }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/is not on this engine/);
    expect(error.fix).toMatch(/build it or pull it/i);
    expect(await containersNamed(name)).toEqual([]);
  });

  it('refuses a host port held by a program on this machine, suggesting a free one', async () => {
    const port = await freePort();
    const server = await listen(port);
    try {
      const name = litter.container(uniqueName('held'));
      const error = await refusal(
        runContainer(connection, { image, name, ports: [{ hostPort: port, containerPort: 3000 }], command: SERVER }),
      );
      expect(error.code).toBe('PORT_TAKEN');
      expect(error.message).toContain(`Host port ${port} on 127.0.0.1 is already in use`);
      const suggested = Number(/Use host port (\d+)/.exec(error.fix ?? '')?.[1]);
      expect(suggested).toBeGreaterThan(port);
      expect(await containersNamed(name)).toEqual([]);
      expect(await suggestFreePort(connection, port)).not.toBe(port);
    } finally {
      server.close();
    }
  });

  it('refuses a host port another container publishes, naming that container', async () => {
    const port = await freePort();
    const holder = litter.container(uniqueName('holder'));
    await runContainer(connection, {
      image,
      name: holder,
      env: { PORT: '3000' },
      ports: [{ hostIp: '0.0.0.0', hostPort: port, containerPort: 3000 }],
      command: SERVER,
    });
    const name = litter.container(uniqueName('second'));
    const error = await refusal(
      runContainer(connection, { image, name, ports: [{ hostPort: port, containerPort: 3000 }], command: SERVER }),
    );
    expect(error.code).toBe('PORT_TAKEN');
    expect(error.message).toContain(`published by container "${holder}"`);
    expect(error.fix).toMatch(/Use host port \d+ instead/);
    expect(await containersNamed(name)).toEqual([]);
    const suggested = await suggestFreePort(connection, port, '127.0.0.1');
    expect(suggested).not.toBe(port);
  });

  it('refuses a name already in use with CONFLICT, leaving the first container alone', async () => {
    const name = litter.container(uniqueName('dup'));
    const first = await runContainer(connection, { image, name, command: ['sleep', '60'] });
    const error = await refusal(runContainer(connection, { image, name, command: ['sleep', '60'] }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`"${name}" already exists`);
    expect(await containersNamed(name)).toEqual([name]);
    expect((await inspectContainer(connection, name)).id).toBe(first.id);
  });

  it('removes a container whose start fails, and says why', async () => {
    const name = litter.container(uniqueName('nostart'));
    const error = await refusal(runContainer(connection, { image, name, command: ['/no/such/program'] }));
    expect(error.message).toMatch(/could not start, so it was removed/);
    expect(error.fix).toMatch(/command/);
    expect(await containersNamed(name)).toEqual([]);
  });

  it('when two runs race for one host port, one wins and the other leaves nothing behind', async () => {
    const port = await freePort();
    const prefix = uniqueName('race');
    const names = [litter.container(`${prefix}-a`), litter.container(`${prefix}-b`)];
    const results = await Promise.allSettled(
      names.map((name) =>
        runContainer(connection, { image, name, ports: [{ hostPort: port, containerPort: 3000 }], command: SERVER }),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures).toHaveLength(1);
    expect((failures[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'PORT_TAKEN' });
    expect(await containersNamed(prefix)).toHaveLength(1);
  });
});

describe('recreating a container', () => {
  const volume = litter.volume(uniqueName('vol'));
  beforeAll(() => docker('volume', 'create', volume));

  it('keeps the name and every setting of a container Berth ran', async () => {
    const name = litter.container(uniqueName('recreate'));
    const port = await freePort();
    const before = await runContainer(connection, {
      image,
      name,
      env: { PORT: '3000', GREETING: 'hi' },
      ports: [{ hostPort: port, containerPort: 3000 }],
      volumes: [{ source: volume, target: '/data' }],
      command: SERVER,
    });
    const after = await recreateContainer(connection, name, { stopTimeoutSeconds: 1 });
    expect(after.id).not.toBe(before.id);
    expect(after).toMatchObject({ name, image, state: 'running', ports: before.ports });
    const detail = await inspectContainer(connection, name);
    expect(detail.env).toEqual(expect.arrayContaining(['PORT=3000', 'GREETING=hi']));
    expect(detail.command).toEqual(SERVER);
    expect(detail.mounts).toEqual([expect.objectContaining({ type: 'volume', name: volume, destination: '/data' })]);
    expect(await httpBody(port)).toBe('ok');
    expect(await containersNamed(name)).toEqual([name]);
  });

  it('rebuilds the settings of a container Berth did not create', async () => {
    const name = litter.container(uniqueName('foreign'));
    const port = await freePort();
    await docker(
      'run',
      '-d',
      '--name',
      name,
      '-e',
      'PORT=3000',
      '-p',
      `127.0.0.1:${port}:3000`,
      '-v',
      `${volume}:/data`,
      image,
      ...SERVER,
    );
    await httpBody(port);
    const after = await recreateContainer(connection, name, { stopTimeoutSeconds: 1 });
    expect(after).toMatchObject({
      name,
      state: 'running',
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 3000 }],
    });
    expect((await inspectContainer(connection, name)).env).toContain('PORT=3000');
    expect(await httpBody(port)).toBe('ok');
    expect(await containersNamed(name)).toEqual([name]);
  });

  it('gives the old container its name back when the new one cannot run', async () => {
    const name = litter.container(uniqueName('keep'));
    const port = await freePort();
    const id = await docker('create', '--name', name, '-p', `127.0.0.1:${port}:3000`, image, ...SERVER);
    const server = await listen(port);
    try {
      const error = await refusal(recreateContainer(connection, name, { stopTimeoutSeconds: 1 }));
      expect(error.code).toBe('PORT_TAKEN');
    } finally {
      server.close();
    }
    expect((await inspectContainer(connection, name)).id).toBe(id);
    expect(await containersNamed(name)).toEqual([name]);
  });
});

import { createServer, type Server } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, freePort, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { httpGet } from '../../../test/http-get';
import { BerthError } from '../../contract';
import { editContainer, inspectContainer, previewEdit, runContainer } from './index';

const connection = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const image = inject('nodeImage');
const litter = new EngineLitter();
/** How long a freshly started node server may take to answer on a busy 2-core machine. */
const ANSWER_DEADLINE_MS = 30_000;
/** Serves the text of /data/kept, so the test sees the volume's data through the published port. */
const SERVE_KEPT = [
  'node',
  '-e',
  "require('http').createServer((q,s)=>s.end(require('fs').readFileSync('/data/kept','utf8'))).listen(3000)",
];

afterAll(() => litter.cleanup());

/** The body of an HTTP 200 on the port; rejects on anything else. */
async function bodyOf(port: number): Promise<string> {
  const { status, body } = await httpGet(port);
  if (status !== 200) throw new Error(`HTTP ${status}: ${body}`);
  return body;
}

const answer = (port: number) => waitFor(() => bodyOf(port), ANSWER_DEADLINE_MS, `an answer on port ${port}`);

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function containersNamed(name: string): Promise<string[]> {
  return (await docker('ps', '-a', '--format', '{{.Names}}')).split('\n').filter((n) => n.startsWith(name));
}

describe('editing and recreating a container', () => {
  const volume = litter.volume(uniqueName('edit-vol'));
  const secret = uniqueName('data');
  beforeAll(async () => {
    await docker('volume', 'create', volume);
    await docker('run', '--rm', '-v', `${volume}:/data`, image, 'sh', '-c', `printf ${secret} > /data/kept`);
  });

  it('a changed port: the diff first, then the new container answers on the new port with the volume’s data', async () => {
    const name = litter.container(uniqueName('edit'));
    const [oldPort, newPort] = [await freePort(), await freePort()];
    const before = await runContainer(connection, {
      image,
      name,
      env: { GREETING: 'hi' },
      ports: [{ hostPort: oldPort, containerPort: 3000 }],
      volumes: [{ source: volume, target: '/data' }],
      command: SERVE_KEPT,
    });
    expect(await answer(oldPort)).toBe(secret);

    const changes = { ports: [{ hostPort: newPort, containerPort: 3000 }], restart: 'unless-stopped' as const };
    const preview = await previewEdit(connection, name, changes);
    expect(preview.changes).toEqual([
      { setting: 'ports', removed: [`127.0.0.1:${oldPort}->3000/tcp`], added: [`127.0.0.1:${newPort}->3000/tcp`] },
      { setting: 'restart', removed: ['no'], added: ['unless-stopped'] },
    ]);
    // The preview changed nothing.
    expect((await inspectContainer(connection, name)).id).toBe(before.id);

    const after = await editContainer(connection, name, changes, { stopTimeoutSeconds: 1 });
    expect(after.id).not.toBe(before.id);
    expect(after).toMatchObject({ name, state: 'running' });
    expect(after.ports).toEqual([expect.objectContaining({ hostPort: newPort, containerPort: 3000 })]);
    expect(await answer(newPort)).toBe(secret);
    await expect(bodyOf(oldPort)).rejects.toThrow();
    const detail = await inspectContainer(connection, name);
    expect(detail.env).toContain('GREETING=hi');
    expect(await docker('inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', name)).toBe('unless-stopped');
    expect(await containersNamed(name)).toEqual([name]);
  });

  it('a port already taken: refused with PORT_TAKEN and the old container is back, running, under its name', async () => {
    const name = litter.container(uniqueName('edit-fail'));
    const [port, taken] = [await freePort(), await freePort()];
    const before = await runContainer(connection, {
      image,
      name,
      ports: [{ hostPort: port, containerPort: 3000 }],
      volumes: [{ source: volume, target: '/data' }],
      command: SERVE_KEPT,
    });
    await answer(port);
    const server = await listen(taken);
    let error: unknown;
    try {
      error = await editContainer(
        connection,
        name,
        { ports: [{ hostPort: taken, containerPort: 3000 }] },
        { stopTimeoutSeconds: 1 },
      ).catch((e: unknown) => e);
    } finally {
      server.close();
    }
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).code).toBe('PORT_TAKEN');
    const back = await inspectContainer(connection, name);
    expect(back.id).toBe(before.id);
    expect(back.state).toBe('running');
    expect(await answer(port)).toBe(secret);
    expect(await containersNamed(name)).toEqual([name]);
  });

  it('a bad field is refused before anything is touched', async () => {
    const name = litter.container(uniqueName('edit-bad'));
    const before = await runContainer(connection, { image, name, command: ['sleep', '600'] });
    const error = await editContainer(connection, name, {
      volumes: [{ source: 'ok', target: 'relative' }],
    } as never).catch((e: unknown) => e);
    expect((error as BerthError).code).toBe('INVALID_INPUT');
    const still = await inspectContainer(connection, name);
    expect(still).toMatchObject({ id: before.id, state: 'running', name });
  });
});

import { rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../contract';
import { dockerClient } from './docker-client';
import { unsafePath } from './request-guard';

/**
 * A fake engine on a unix socket that answers every request with a 301 pointing at a local TCP listener,
 * the way dockerd answers an unclean path; the listener must never hear from Berth.
 */
const socketPath = join(tmpdir(), `berth-redirect-${process.pid}.sock`);
let fakeEngine: HttpServer;
let listener: Server;
let listenerPort = 0;
const engineRequests: string[] = [];
const listenerConnections: string[] = [];

beforeAll(async () => {
  listener = createServer((socket) => {
    listenerConnections.push('connection');
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as { port: number }).port;
  rmSync(socketPath, { force: true });
  fakeEngine = createHttpServer((request, response) => {
    engineRequests.push(`${request.method} ${request.url}`);
    response.writeHead(301, { Location: `http://127.0.0.1:${listenerPort}/x/json` });
    response.end('<a href="/x">Moved Permanently</a>.');
  });
  await new Promise<void>((resolve) => fakeEngine.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => fakeEngine.close(() => resolve()));
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  rmSync(socketPath, { force: true });
});

const client = () => dockerClient({ context: 'default', host: `unix://${socketPath}`, source: 'chosen' });

async function refusal(work: Promise<unknown>): Promise<BerthError> {
  const error = await work.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
}

describe('engine requests never follow a redirect', () => {
  it('fails a call the engine answers with 301 and never calls the redirect target', async () => {
    const error = await refusal(client().getContainer('0123456789ab').inspect());
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/redirect/);
    expect(error.fix).toBeTruthy();
    expect(engineRequests.at(-1)).toMatch(/^GET \/containers\/0123456789ab\/json/);
    expect(listenerConnections).toEqual([]);
  });

  it('fails a streaming call (logs) the engine answers with 301, without calling the target', async () => {
    const docker = client();
    const error = await refusal(
      new Promise((resolve, reject) =>
        docker.modem.dial(
          { path: '/containers/0123456789ab/logs?', method: 'GET', isStream: true, statusCodes: { 200: true } },
          (e, result) => (e ? reject(e) : resolve(result)),
        ),
      ),
    );
    expect(error.message).toMatch(/redirect/);
    expect(listenerConnections).toEqual([]);
  });

  it.each([
    '../../images/json',
    '../../127.0.0.1:18899/x',
    '%2e%2e/%2e%2e/images/json',
    'a/../../b',
    './x',
    'x%2f..%2fy',
  ])('refuses the id %j before anything is sent', async (id) => {
    const before = engineRequests.length;
    for (const work of [
      client().getContainer(id).inspect(),
      client().getContainer(id).remove({ force: true }),
      client().getImage(id).inspect(),
    ]) {
      const error = await refusal(work);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.fix).toMatch(/id/);
    }
    expect(engineRequests.length).toBe(before);
    expect(listenerConnections).toEqual([]);
  });
});

describe('unsafePath', () => {
  it.each([
    ['/containers/abc/json?', null],
    ['/images/127.0.0.1:5000/notas-iv:1.0/json', null],
    ['/v1.41/images/sha256:0123/json', null],
    ['/containers/../images/json', 'dot'],
    ['/containers/%2E%2E/json', 'dot'],
    ['/containers//json', 'empty'],
    ['/containers/a%2Fb/json', 'slash'],
    ['/containers/a#b/json', 'hash'],
    ['/containers/%zz/json', 'escape'],
  ])('%s', (path, kind) => {
    const why = unsafePath(path);
    if (kind === null) expect(why).toBeNull();
    else expect(why).toBeTruthy();
  });
});

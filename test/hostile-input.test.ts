/**
 * The hostile-input table through the real router and handlers, with a fake engine behind them: every case
 * must come back as an error with a code, a message and a fix, without a single request reaching the engine
 * (besides the connection's own pings) and without the local listener hearing anything. The real engine run
 * of the same table is hostile-input.engine.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, createBackend } from '../electron/api/backend';
import { BerthError } from '../electron/contract';
import { checkContext } from '../electron/core/build/context';
import { suggestFreePort } from '../electron/core/containers';
import { Engine } from '../electron/core/engine';
import { checkCredentials, MemorySecretStore, requireRegistryHost } from '../electron/core/registry';
import {
  checkHostileError,
  HOSTILE_CASES,
  type HostileEnv,
  isHealthCheck,
  makeHostileFixtures,
  removeHostileFixtures,
  runHostileCase,
} from './hostile-input';

const work = mkdtempSync(join(tmpdir(), 'berth-hostile-unit-'));
const socketPath = join(work, 'engine.sock');
const engineRequests: string[] = [];
const listenerHeard: string[] = [];
const opened: string[] = [];
let fakeEngine: HttpServer;
let listener: Server;
let backend: Backend;
let engine: Engine;
let env: HostileEnv;

const isPing = isHealthCheck;

beforeAll(async () => {
  listener = createServer((socket) => {
    listenerHeard.push('connection');
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const listenerPort = (listener.address() as { port: number }).port;
  fakeEngine = createHttpServer((request, response) => {
    const line = `${request.method} ${request.url}`;
    engineRequests.push(line);
    if (/\/_ping/.test(line)) return void response.end('OK');
    if (/^GET \/(v[\d.]+\/)?info\b/.test(line)) {
      response.setHeader('Content-Type', 'application/json');
      return void response.end(JSON.stringify({ Swarm: { LocalNodeState: 'inactive', ControlAvailable: false } }));
    }
    if (/\/version/.test(line)) {
      response.setHeader('Content-Type', 'application/json');
      return void response.end(JSON.stringify({ Version: '20.10.0', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64' }));
    }
    // Like dockerd for an unclean path: a redirect (here, to the listener that must never be called).
    response.writeHead(301, { Location: `http://127.0.0.1:${listenerPort}/x/json` });
    response.end();
  });
  await new Promise<void>((resolve) => fakeEngine.listen(socketPath, resolve));
  engine = new Engine({ env: { DOCKER_HOST: `unix://${socketPath}` }, configDir: work });
  backend = createBackend({
    dataDir: join(work, 'data'),
    secretStore: new MemorySecretStore(),
    engine,
    projectDir: work,
    openExternal: async (url) => {
      opened.push(url.href);
    },
  });
  env = { listenerPort, fixtures: makeHostileFixtures() };
  // Berth's own reads on connecting (the sweep of crashed instances' terminals) happen before any case.
  await engine.status();
  await backend.settled();
});

afterAll(async () => {
  await backend.close();
  await new Promise<void>((resolve) => fakeEngine.close(() => resolve()));
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  removeHostileFixtures(env.fixtures);
  rmSync(work, { recursive: true, force: true });
});

describe('hostile input through the router (fake engine)', () => {
  it('has at least 100 cases, and one for each of holes 2, 5, 6 (records: see records.test.ts) and 7', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(100);
    for (const hole of [2, 5, 7]) expect(HOSTILE_CASES.some((c) => c.hole === hole)).toBe(true);
    expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = engineRequests.filter((line) => !isPing(line)).length;
    const error = await runHostileCase(backend.router, c, env);
    expect(checkHostileError(c, error)).toEqual([]);
    expect(engineRequests.filter((line) => !isPing(line)).slice(before)).toEqual([]);
    expect(listenerHeard).toEqual([]);
    expect(opened).toEqual([]);
  });
});

describe('the core refuses the same input when called without the contract', () => {
  it('hole 7: suggestFreePort refuses a host name or "" before any lookup', async () => {
    const noEngine = { docker: null as never, endpoint: 'unix:///nowhere.sock' };
    for (const hostIp of ['not an ip', '', 'localhost']) {
      await expect(suggestFreePort(noEngine, 8080, hostIp)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        fields: { hostIp: ['not an IP address'] },
      });
    }
  });

  it('hole 5: login refuses a registry that is not a host, and never asks the engine', async () => {
    const before = engineRequests.length;
    for (const registry of ['file:///etc/passwd', ' ', '', 'https://evil.example/v2/']) {
      await expect(checkCredentials(engine, { registry, username: 'u', password: 'p' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        fields: { registry: ['not a registry host'] },
      });
      expect(() => requireRegistryHost(registry)).toThrow(BerthError);
    }
    expect(engineRequests.slice(before).filter((line) => !isPing(line))).toEqual([]);
  });

  it('hole 7: checkContext resolves symlinks before the inside-the-context check', async () => {
    await expect(checkContext(env.fixtures.dockerfileLink)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { dockerfile: ['outside the context folder'] },
    });
    await expect(checkContext(env.fixtures.folderLink, 'etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(checkContext(env.fixtures.plain)).resolves.toMatchObject({ inside: 'Dockerfile' });
  });
});

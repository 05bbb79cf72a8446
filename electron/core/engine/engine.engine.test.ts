import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, freePort, waitFor } from '../../../test/engine-harness';
import { SocketProxy } from '../../../test/socket-proxy';
import { EngineStatus } from '../../contract';
import { listImages } from '../images/image-list';
import { Engine } from './engine';

let configDir: string;
const engines: Engine[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

function open(env: Record<string, string>): Engine {
  const engine = new Engine({ env, configDir });
  engines.push(engine);
  return engine;
}

function storeContext(name: string, host: string): void {
  const dir = join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
}

beforeEach(() => {
  configDir = mkdtempSync(join(tmpdir(), 'berth-engine-config-'));
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  process.off('unhandledRejection', onUnhandled);
  rmSync(configDir, { recursive: true, force: true });
});

describe('the engine status', () => {
  it('reports the real engine: version, API version, OS, arch and BuildKit', async () => {
    const status = await open({}).status();
    expect(EngineStatus.parse(status)).toEqual(status);
    const [version, api, os, arch] = (
      await docker('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}} {{.Server.Arch}}')
    ).split(' ');
    expect(status).toMatchObject({
      state: 'connected',
      endpoint: 'unix:///var/run/docker.sock',
      context: 'default',
      version,
      apiVersion: api,
      os,
      arch,
      buildkit: true,
    });
  });

  it('says ENGINE_UNREACHABLE, naming the socket and the fix, when the socket does not exist', async () => {
    const address = `unix://${join(configDir, 'no-such-docker.sock')}`;
    const engine = open({ DOCKER_HOST: address });
    const status = await engine.status();
    expect(EngineStatus.parse(status)).toEqual(status);
    expect(status.state).toBe('disconnected');
    expect(status.error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: expect.stringContaining(address) });
    expect(status.error?.fix).toMatch(/Start Docker.*DOCKER_HOST/);
    await expect(listImages(engine)).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    await new Promise((r) => setTimeout(r, 600)); // let a retry or two run
    expect(unhandled).toEqual([]);
  });

  it('says ENGINE_UNREACHABLE for a closed tcp port', async () => {
    const address = `tcp://127.0.0.1:${await freePort()}`;
    const status = await open({ DOCKER_HOST: address }).status();
    expect(status.error).toMatchObject({ code: 'ENGINE_UNREACHABLE', message: expect.stringContaining(address) });
    expect(status.error?.message).toContain('ECONNREFUSED');
    expect(unhandled).toEqual([]);
  });

  it('retries on its own and tells subscribers when the engine comes back', async () => {
    const proxy = new SocketProxy(join(configDir, 'engine.sock'));
    const engine = open({ DOCKER_HOST: proxy.endpoint });
    const states: string[] = [];
    engine.onStatus((s) => states.push(s.state));
    await waitFor(async () => (engine.current().state === 'disconnected' ? true : undefined), 5000, 'disconnected');
    await proxy.start();
    try {
      await waitFor(async () => (engine.current().state === 'connected' ? true : undefined), 8000, 'reconnection');
      expect(states).toEqual(['disconnected', 'connected']);
      expect(engine.current().version).toBeTruthy();
    } finally {
      await proxy.stop();
    }
  });
});

describe('docker contexts', () => {
  it('lists default and the stored contexts, and switches in-process without touching config.json', async () => {
    storeContext('berth-test-dead', `unix://${join(configDir, 'dead.sock')}`);
    storeContext('berth-test-local', 'unix:///var/run/docker.sock');
    const configJson = JSON.stringify({ currentContext: 'berth-test-dead' });
    writeFileSync(join(configDir, 'config.json'), configJson);

    const engine = open({});
    expect(engine.context).toBe('berth-test-dead');
    expect((await engine.status()).state).toBe('disconnected');
    expect((await engine.contexts()).map((c) => [c.name, c.current])).toEqual([
      ['default', false],
      ['berth-test-dead', true],
      ['berth-test-local', false],
    ]);

    const before = engine.docker;
    const seen: string[] = [];
    engine.onStatus((s) => seen.push(`${s.context}:${s.state}`));
    const status = await engine.useContext('berth-test-local');
    expect(status).toMatchObject({ state: 'connected', context: 'berth-test-local' });
    expect(seen).toEqual(['berth-test-local:connecting', 'berth-test-local:connected']);
    expect(engine.docker).not.toBe(before);
    expect(await engine.docker.ping()).toBeTruthy();
    expect((await engine.contexts()).find((c) => c.current)?.name).toBe('berth-test-local');
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).toBe(configJson);
  });

  it('refuses an unknown context with NOT_FOUND and keeps the current one', async () => {
    const engine = open({});
    await expect(engine.useContext('berth-test-ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(engine.context).toBe('default');
  });

  it('reports a DOCKER_CONTEXT that does not exist instead of crashing', async () => {
    const status = await open({ DOCKER_CONTEXT: 'berth-test-missing' }).status();
    expect(status).toMatchObject({ state: 'disconnected', error: { code: 'NOT_FOUND' } });
    expect(status.error?.message).toContain('berth-test-missing');
  });
});

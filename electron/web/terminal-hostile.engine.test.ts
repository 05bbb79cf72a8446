/**
 * Hostile input to a terminal in web mode, on the real engine: a second WebSocket (another tab, another
 * client with the token) cannot type into a shell it did not open, and oversized or malformed input is
 * refused with a code while the shell stays open. The docker CLI checks that nothing refused ran.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import { docker, EngineLitter, testLabels, uniqueName, waitFor } from '../../test/engine-harness';
import { type Backend, createBackend } from '../api/backend';
import { MAX_TERMINAL_INPUT_CHARS, type ServerMessage, STREAM_PATH } from '../contract';
import { Engine } from '../core/engine';
import { MemorySecretStore } from '../core/registry';
import { startWebServer, type WebServer } from './server';

/** Generous: opening a shell takes well under a second here, more under load. */
const DEADLINE_MS = 30_000;

const litter = new EngineLitter();
let backend: Backend;
let server: WebServer;
let dataDir: string;
let staticDir: string;
let container: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'berth-terminal-hostile-'));
  staticDir = mkdtempSync(join(tmpdir(), 'berth-terminal-static-'));
  backend = createBackend({
    dataDir,
    secretStore: new MemorySecretStore(),
    engine: new Engine({ labels: testLabels() }),
  });
  server = await startWebServer({ router: backend.router, staticDir });
  container = litter.container(uniqueName('hostile-shell'));
  await docker('run', '-d', '--name', container, inject('nodeImage'), 'sleep', '3600');
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
  await litter.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(staticDir, { recursive: true, force: true });
});

/** An authenticated stream socket, with every message it receives. */
async function socket(): Promise<{ ws: WebSocket; received: ServerMessage[]; send(message: object): void }> {
  const origin = `http://127.0.0.1:${server.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${STREAM_PATH}`, {
    headers: { Authorization: `Bearer ${server.token}`, Origin: origin },
  });
  const received: ServerMessage[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data)) as ServerMessage));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, received, send: (message) => ws.send(JSON.stringify(message)) };
}

const refusalFor = (received: ServerMessage[], sid: string) =>
  waitFor(
    async () => received.find((m): m is { sid: string; refused: never } => 'refused' in m && m.sid === sid),
    DEADLINE_MS,
    `a refusal for ${sid}`,
  );

const exists = (path: string): Promise<boolean> =>
  docker('exec', container, 'test', '-e', path).then(
    () => true,
    () => false,
  );

it('refuses another connection’s keystrokes and oversized or malformed input, with codes; the owner still types', async () => {
  const owner = await socket();
  const intruder = await socket();
  owner.send({
    op: 'subscribe',
    sid: 'shell',
    stream: 'terminal',
    params: { target: { kind: 'exec', container }, size: { cols: 80, rows: 24 } },
  });
  await waitFor(
    async () => owner.received.find((m) => 'event' in m && (m.event as { kind: string }).kind === 'opened'),
    DEADLINE_MS,
    'the shell to open',
  );

  // Same sid, another connection: not its subscription.
  intruder.send({ op: 'send', sid: 'shell', message: { kind: 'data', data: 'touch /tmp/pwned\r' } });
  expect((await refusalFor(intruder.received, 'shell')).refused).toMatchObject({ code: 'NOT_FOUND' });

  owner.send({ op: 'send', sid: 'shell', message: { kind: 'data', data: 'y'.repeat(MAX_TERMINAL_INPUT_CHARS + 1) } });
  const oversized = await refusalFor(owner.received, 'shell');
  expect(oversized.refused).toMatchObject({ code: 'INVALID_INPUT', fields: { data: [expect.any(String)] } });
  owner.received.length = 0;
  owner.send({ op: 'send', sid: 'shell', message: { kind: 'resize', cols: 5000, rows: -1 } });
  expect((await refusalFor(owner.received, 'shell')).refused).toMatchObject({ code: 'INVALID_INPUT' });
  owner.received.length = 0;
  owner.send({ op: 'send', sid: 'shell', message: { kind: 'exec', cmd: 'touch /tmp/pwned' } });
  expect((await refusalFor(owner.received, 'shell')).refused).toMatchObject({ code: 'INVALID_INPUT' });

  owner.send({ op: 'send', sid: 'shell', message: { kind: 'data', data: 'touch /tmp/owner-typed\r' } });
  await waitFor(async () => ((await exists('/tmp/owner-typed')) ? true : undefined), DEADLINE_MS, 'the owner’s file');
  expect(await exists('/tmp/pwned')).toBe(false);

  owner.ws.close();
  intruder.ws.close();
});

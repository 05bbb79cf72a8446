/**
 * Whole-range log export on the real engine, checked against the docker CLI: as a web-mode download
 * (one-time ticket minted through the contract, session cookie, Host and Origin checks) and as the
 * desktop app's file export. Text must equal `docker logs -t` byte for byte; JSON lines must hold the same
 * lines with their fields. Then the hostile side: the download route refuses a missing, malformed, reused
 * or foreign ticket, another browser session's, a wrong Host, a cross-site Origin and a request without
 * the cookies.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../test/engine-harness';
import { type Backend, createBackend } from '../api/backend';
import { CALL_PATH, type LogDownloadTicket, type LogExportRequest, parseJsonObject } from '../contract';
import { Engine } from '../core/engine';
import { exportLogsToFile } from '../core/logs';
import { MemorySecretStore } from '../core/registry';
import { startWebServer, type WebServer } from './server';
import { send } from './test/http-client';

const LINES = 5000;
/** Generous: the export of a few thousand lines takes well under a second here, more under load. */
const DEADLINE_MS = 60_000;

const litter = new EngineLitter();
let backend: Backend;
let server: WebServer;
let work: string;
let container: string;
let cookie: string;

const own = () => `127.0.0.1:${server.port}`;
const browser = (extra: Record<string, string> = {}) => ({ Host: own(), Cookie: cookie, ...extra });

/** `docker logs -t` exactly as the CLI prints it (stdout only: the container prints nothing on stderr). */
async function cliLogs(name: string): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)('docker', ['logs', '-t', name], { maxBuffer: 64 << 20 });
  expect(stderr).toBe('');
  return stdout;
}

/** The cookies a browser gets when it opens a sign-in link: the launch token and its own session. */
async function signIn(): Promise<string> {
  const link = new URL(server.signInUrl());
  const reply = await send(server.port, link.pathname + link.search);
  const cookies = (reply.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]);
  expect(cookies).toEqual([expect.stringMatching(/^berth_token_\d+=/), expect.stringMatching(/^berth_session_\d+=/)]);
  return cookies.join('; ');
}

async function mint(request: LogExportRequest | Record<string, unknown>): Promise<LogDownloadTicket> {
  const reply = await send(server.port, `${CALL_PATH}logs.downloadLink`, {
    method: 'POST',
    headers: browser({ Origin: `http://${own()}`, 'Content-Type': 'application/json' }),
    body: JSON.stringify(request),
  });
  const parsed = JSON.parse(reply.body) as { ok: boolean; value: LogDownloadTicket; error?: unknown };
  if (!parsed.ok) throw Object.assign(new Error('mint refused'), { reply: parsed });
  return parsed.value;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'berth-log-download-'));
  backend = createBackend({
    dataDir: join(work, 'data'),
    secretStore: new MemorySecretStore(),
    engine: new Engine({ labels: testLabels() }),
    projectDir: work,
  });
  server = await startWebServer({
    router: backend.router,
    links: backend.links,
    staticDir: join(work, 'static'),
  });
  cookie = await signIn();
  // Lines that JSON must escape (quotes, backslashes, tabs, an ANSI colour, non-ASCII) among plain ones.
  container = litter.container(uniqueName('log-export'));
  await docker(
    'run',
    '-d',
    '--name',
    container,
    inject('nodeImage'),
    'sh',
    '-c',
    `i=1; while [ $i -le ${LINES} ]; do printf 'line %d "q" \\\\ \\t \\033[32mgreen\\033[0m é\\n' $i; i=$((i+1)); done`,
  );
  await docker('wait', container);
}, DEADLINE_MS);

afterAll(async () => {
  await server?.close();
  await backend?.close();
  await litter.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('log export, whole range, on the engine', () => {
  it('downloads text equal to docker logs -t byte for byte, with a safe attachment name', async () => {
    const ticket = await mint({ selection: { by: 'containers', ids: [container] }, format: 'text' });
    expect(ticket.href).toMatch(/^\/api\/download\/logs\?ticket=[A-Za-z0-9_-]+$/);
    expect(ticket.href).not.toContain(container);
    const reply = await send(server.port, ticket.href, { headers: browser() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="${ticket.fileName}"`);
    expect(ticket.fileName).toMatch(/^[A-Za-z0-9._-]+\.log$/);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    const expected = await cliLogs(container);
    expect(expected.split('\n')).toHaveLength(LINES + 1);
    expect(reply.body).toBe(expected);
  });

  it('downloads JSON lines with the same lines, each with container, stream, ts and text', async () => {
    const ticket = await mint({ selection: { by: 'containers', ids: [container] }, format: 'jsonl' });
    const reply = await send(server.port, ticket.href, { headers: browser() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const rows = reply.body.trimEnd().split('\n').map(parseJsonObject);
    const cli = (await cliLogs(container)).trimEnd().split('\n');
    expect(rows).toHaveLength(LINES);
    rows.forEach((row, i) => {
      const space = cli[i]!.indexOf(' ');
      expect(row).toEqual({
        container,
        stream: 'stdout',
        ts: cli[i]!.slice(0, space),
        text: cli[i]!.slice(space + 1),
      });
    });
  });

  it('exports to a file (the desktop path) equal to docker logs -t, with progress', async () => {
    const file = join(work, 'export.log');
    const progress: number[] = [];
    const result = await exportLogsToFile(
      { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' },
      { selection: { by: 'containers', ids: [container] }, format: 'text' },
      file,
      { onProgress: (lines) => progress.push(lines) },
    );
    expect(result).toMatchObject({ outcome: 'done', lines: LINES });
    expect(readFileSync(file, 'utf8')).toBe(await cliLogs(container));
    expect(result.bytes).toBe(statSync(file).size);
    expect(progress.at(-1)).toBe(LINES);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers a selection of a container that does not exist when the link is asked for', async () => {
    const refused = await mint({ selection: { by: 'containers', ids: [uniqueName('nobody')] } }).catch(
      (e: { reply: unknown }) => e.reply,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fix: expect.any(String) } });
  });
});

describe('the download route against hostile requests', () => {
  const request = () => ({ selection: { by: 'containers', ids: [container] }, format: 'text' });
  const refusedWith = (reply: { status: number; body: string }, status: number, code: string) => {
    expect(reply.status).toBe(status);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    expect(reply.body).not.toContain('line 1 ');
  };

  it("refuses a missing, malformed, reused, foreign or other session's ticket, with a code and a fix", async () => {
    refusedWith(await send(server.port, '/api/download/logs', { headers: browser() }), 400, 'INVALID_INPUT');
    const ticket = await mint(request());
    refusedWith(await send(server.port, `${ticket.href}A`, { headers: browser() }), 400, 'INVALID_INPUT');
    expect((await send(server.port, ticket.href, { headers: browser() })).status).toBe(200);
    const reused = await send(server.port, ticket.href, { headers: browser() });
    refusedWith(reused, 410, 'NOT_FOUND');
    expect(JSON.parse(reused.body).error.fix).toMatch(/Start the export again/);
    // A well-formed ticket this server never minted (another Berth's, or a guess).
    const foreign = `/api/download/logs?ticket=${'A'.repeat(43)}`;
    refusedWith(await send(server.port, foreign, { headers: browser() }), 404, 'NOT_FOUND');
    // Another browser signed in to the same Berth: its session did not ask for this ticket.
    const other = await signIn();
    const stolen = await mint(request());
    refusedWith(await send(server.port, stolen.href, { headers: browser({ Cookie: other }) }), 404, 'NOT_FOUND');
    refusedWith(await send(server.port, stolen.href, { headers: browser() }), 410, 'NOT_FOUND');
  });

  it('refuses a wrong Host, a cross-site Origin and a missing session, and spends no ticket doing so', async () => {
    const ticket = await mint(request());
    const wrongHost = await send(server.port, ticket.href, {
      headers: browser({ Host: `evil.example:${server.port}` }),
    });
    expect(wrongHost.status).toBe(403);
    const crossSite = await send(server.port, ticket.href, { headers: browser({ Origin: 'http://evil.example' }) });
    expect(crossSite.status).toBe(403);
    const noCookie = await send(server.port, ticket.href, { headers: { Host: own() } });
    expect(noCookie.status).toBe(401);
    for (const reply of [wrongHost, crossSite, noCookie]) {
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: expect.any(String) } });
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }
    // The refused requests never reached the ticket: it still works once, from Berth's own page.
    const fromPage = await send(server.port, ticket.href, { headers: browser() });
    expect(fromPage.status).toBe(200);
    expect(fromPage.body).toBe(await cliLogs(container));
  });
});

/**
 * The one-time link rules as web mode serves them, for every kind of link: bound to the browser session
 * that asked (its own cookie beside the launch token), once, until expiry, refused on a wrong Host or
 * Origin without being spent, ids of the wrong shape refused before any lookup, and revoked when the
 * page's stream socket closes or the server closes. No engine: an upload whose announced size does not
 * match is refused after the link is spent and before the engine is touched, which shows the link was
 * accepted. (The engine tests download and upload for real: log-download.engine, file-routes.engine.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { WebSocket } from 'ws';
import { fileHandlers } from '../api/handlers/files';
import { logExportHandlers } from '../api/handlers/logs-export';
import type { LinkKinds, Links } from '../api/links';
import type { Services } from '../api/services';
import { createEchoBackend } from '../api/test/echo-backend';
import { LOG_DOWNLOAD_PATH } from '../contract';
import { UPLOAD_PATH } from '../core/files';
import { LINK_LIFETIME_MS, OneTimeLinks } from '../core/one-time-links';
import { startWebServer, type WebServer } from './server';
import { send } from './test/http-client';

/** Never reached: every request here is refused, or accepted and then refused before the engine. */
const engine = { endpoint: 'unix:///nowhere.sock', docker: {} as Dockerode };
const upload = (sizeBytes = 3): LinkKinds['files.upload'] => ({
  engine,
  request: { id: 'web', folder: '/srv', name: 'notes.txt', sizeBytes },
});

let server: WebServer;
let links: Links;
let now = 1_000_000;

interface Browser {
  session: string;
  cookie: string;
}

async function signIn(): Promise<Browser> {
  const link = new URL(server.signInUrl());
  const reply = await send(server.port, link.pathname + link.search);
  const cookies = (reply.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]!);
  const session = cookies.find((c) => c.startsWith('berth_session_'))?.split('=')[1];
  expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { session: session!, cookie: cookies.join('; ') };
}

const own = () => `127.0.0.1:${server.port}`;
/** PUT 5 bytes to an upload link that announced 3: 400 "announced" means the link was accepted (and spent). */
const putTo = (id: string, browser: Browser, extra: Record<string, string> = {}) =>
  send(server.port, `${UPLOAD_PATH}${id}`, {
    method: 'PUT',
    headers: { Cookie: browser.cookie, 'Content-Length': '5', ...extra },
    body: 'hello',
  });
const refused = (reply: { status: number; body: string }, status: number, code: string, message: RegExp) => {
  expect(reply.status).toBe(status);
  const error = JSON.parse(reply.body).error;
  expect(error).toMatchObject({ code, fix: expect.stringMatching(/again/) });
  expect(error.message).toMatch(message);
};
const accepted = (reply: { status: number; body: string }) => {
  expect(reply.status).toBe(400);
  expect(JSON.parse(reply.body).error.message).toMatch(/were announced/);
};

beforeEach(async () => {
  links = new OneTimeLinks<LinkKinds>({ now: () => now });
  server = await startWebServer({
    router: createEchoBackend().router,
    staticDir: mkdtempSync(join(tmpdir(), 'berth-static-')),
    links,
  });
});
afterEach(async () => {
  await server.close();
});

describe('one-time links over HTTP', () => {
  it('work once for the session that asked; a second use is refused as used', async () => {
    const a = await signIn();
    const { id } = links.issue(a.session, 'files.upload', upload());
    accepted(await putTo(id, a));
    refused(await putTo(id, a), 410, 'NOT_FOUND', /already used/);
  });

  it('are refused after expiry', async () => {
    const a = await signIn();
    const { id } = links.issue(a.session, 'files.upload', upload());
    now += LINK_LIFETIME_MS;
    refused(await putTo(id, a), 410, 'NOT_FOUND', /expired/);
  });

  it('are refused from another session, which kills the leaked link', async () => {
    const a = await signIn();
    const b = await signIn();
    expect(b.session).not.toBe(a.session);
    const { id } = links.issue(a.session, 'files.upload', upload());
    refused(await putTo(id, b), 404, 'NOT_FOUND', /not issued to this browser session/);
    // Tooling with the bearer token is a session of its own, too.
    const tooling = await putTo(id, { session: '', cookie: '' }, { Authorization: `Bearer ${server.token}` });
    expect(tooling.status).toBe(410);
    expect((await putTo(id, a)).status).toBe(410);
  });

  it('are refused on a wrong Host or a cross-site Origin without being spent', async () => {
    const a = await signIn();
    const { id } = links.issue(a.session, 'files.upload', upload());
    expect((await putTo(id, a, { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await putTo(id, a, { Host: `localhost.evil.example:${server.port}` })).status).toBe(403);
    expect((await putTo(id, a, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await putTo(id, { session: '', cookie: '' })).status).toBe(401);
    accepted(await putTo(id, a, { Origin: `http://${own()}` }));
  });

  it('refuse ids of the wrong shape as malformed, on every route', async () => {
    const a = await signIn();
    const headers = { Cookie: a.cookie };
    const { id } = links.issue(a.session, 'logs.export', {
      engine,
      request: { selection: { by: 'containers', ids: ['web'] }, format: 'text' },
      fileName: 'web.log',
    });
    for (const path of [
      LOG_DOWNLOAD_PATH,
      `${LOG_DOWNLOAD_PATH}?ticket=`,
      `${LOG_DOWNLOAD_PATH}?ticket=${id}&ticket=${id}`,
      `${LOG_DOWNLOAD_PATH}?ticket=${id}%00`,
      `${LOG_DOWNLOAD_PATH}?ticket=${id.slice(2)}`,
      `/api/files/download/${'A'.repeat(44)}`,
      '/api/files/download/..%2F..%2Fetc%2Fpasswd',
    ])
      refused(await send(server.port, path, { headers }), 400, 'INVALID_INPUT', /well-formed link id/);
    // A well-formed id nobody minted.
    refused(
      await send(server.port, `/api/files/download/${'A'.repeat(43)}`, { headers }),
      404,
      'NOT_FOUND',
      /not issued/,
    );
    // A link of one kind does not open another kind's route.
    refused(await send(server.port, `/api/files/download/${id}`, { headers }), 404, 'NOT_FOUND', /not issued/);
  });

  it("are revoked when the page's stream socket closes, and all of them when the server closes", async () => {
    const a = await signIn();
    const b = await signIn();
    const revoked = links.issue(a.session, 'files.upload', upload()).id;
    const kept = links.issue(b.session, 'files.upload', upload()).id;
    const ws = new WebSocket(`ws://${own()}/api/stream`, { headers: { Cookie: a.cookie, Origin: `http://${own()}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(links.waiting(a.session)).toBe(1);
    ws.close();
    await vi.waitFor(() => expect(links.waiting(a.session)).toBe(0));
    refused(await putTo(revoked, a), 410, 'NOT_FOUND', /expired/);
    accepted(await putTo(kept, b));
    links.issue(b.session, 'files.upload', upload());
    await server.close();
    expect(links.waiting(b.session)).toBe(0);
  });
});

describe('link procedures on the desktop', () => {
  it('answer UNSUPPORTED without a web session, naming the desktop way instead, and mint nothing', async () => {
    const services = { engine, links } as unknown as Services;
    const logs = logExportHandlers(services);
    const files = fileHandlers(services, { projectDir: '/' });
    const request = { selection: { by: 'containers' as const, ids: ['web'] }, format: 'text' as const };
    await expect(logs['logs.downloadLink'](request, {})).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      fix: expect.stringMatching(/save dialog/),
    });
    await expect(files['files.downloadLink']({ id: 'web', path: '/srv' }, {})).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      fix: expect.stringMatching(/Copy out/),
    });
    await expect(
      files['files.uploadLink']({ id: 'web', folder: '/srv', name: 'a', sizeBytes: 1 }, {}),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(links.waiting('')).toBe(0);
  });
});

/**
 * Hole 1 of issue 9: the sign-in link. It carries a one-time code that dies on first use or after
 * CODE_LIFETIME_MS (on an injected clock); the long-lived token only ever travels in the HttpOnly
 * cookie, never in a URL, a Location header or a log line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEchoBackend } from '../api/test/echo-backend';
import { CODE_LIFETIME_MS } from './launch-codes';
import { startWebServer, type WebServer } from './server';
import { type Reply, type SendOptions, send as sendTo } from './test/http-client';

let server: WebServer;
let now = 5_000_000;
const replies: Reply[] = [];
const logged: string[] = [];

async function send(path: string, options?: SendOptions): Promise<Reply> {
  const reply = await sendTo(server.port, path, options);
  replies.push(reply);
  return reply;
}
const pathOf = (link: string): string => {
  const url = new URL(link);
  return url.pathname + url.search;
};
const cookieOf = (reply: Reply): string => String(reply.headers['set-cookie']?.[0]).split(';')[0]!;

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  const staticDir = mkdtempSync(join(tmpdir(), 'berth-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Berth</title>');
  server = await startWebServer({ router: createEchoBackend().router, staticDir, now: () => now });
});
afterAll(async () => {
  await server.close();
  vi.restoreAllMocks();
});

/** The refusal page a person sees: status 401, HTML, with the message, the fix and the error code. */
function expectRefusalPage(reply: Reply, message: RegExp): void {
  expect(reply.status).toBe(401);
  expect(reply.headers['content-type']).toMatch(/^text\/html/);
  expect(reply.headers['set-cookie']).toBeUndefined();
  expect(reply.body).toMatch(message);
  expect(reply.body).toContain('Error code: <code>INVALID_INPUT</code>');
  expect(reply.body).toMatch(/press Enter in the terminal where Berth runs/);
}

describe('the sign-in link', () => {
  it('signs in once: the code sets the token cookie, and that cookie opens the page', async () => {
    const first = await send(pathOf(server.signInUrl()));
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const page = await send('/', { headers: { Cookie: cookieOf(first) } });
    expect(page.status).toBe(200);
  });

  it('cannot be replayed: three more tries are refused with a page that says what to do', async () => {
    const link = pathOf(server.signInUrl());
    expect((await send(link)).status).toBe(302);
    for (let attempt = 0; attempt < 3; attempt++) {
      const replay = await send(link);
      expectRefusalPage(replay, /already used/);
      expect(replay.body).toMatch(/If you did not open this link yourself, restart Berth/);
    }
  });

  it(`expires after ${CODE_LIFETIME_MS / 1000} s on the server's clock, used or not`, async () => {
    const inTime = pathOf(server.signInUrl());
    const tooLate = pathOf(server.signInUrl());
    now += CODE_LIFETIME_MS - 1;
    expect((await send(inTime)).status).toBe(302);
    now += 1;
    expectRefusalPage(await send(tooLate), /expired/);
  });

  it('refuses a code it never issued', async () => {
    expectRefusalPage(await send('/?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), /not issued by the running Berth/);
  });

  it('works only as GET /: elsewhere it is refused and not spent', async () => {
    const link = pathOf(server.signInUrl());
    const code = new URL(link, 'http://x').searchParams.get('code');
    const elsewhere = await send(`/api/call/engine.status?code=${code}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers['set-cookie']).toBeUndefined();
    expect((await send(`/index.html?code=${code}`)).status).toBe(401);
    expect((await send(link)).status).toBe(302);
  });

  it('spends a code even when the browser is already signed in, and sends it home', async () => {
    const signedIn = cookieOf(await send(pathOf(server.signInUrl())));
    const link = pathOf(server.signInUrl());
    const again = await send(link, { headers: { Cookie: signedIn } });
    expect(again.status).toBe(302);
    expectRefusalPage(await send(link), /already used/);
  });

  it('reflects nothing from the address: the refusal page never echoes the code', async () => {
    const reply = await send('/?code=%3Cscript%3Ealert(1)%3C/script%3E');
    expectRefusalPage(reply, /not issued/);
    expect(reply.body).not.toContain('<script');
  });

  it('never carries the long-lived token in a URL, a Location header, a page or a log line', () => {
    const links = Array.from({ length: 5 }, () => server.signInUrl());
    expect(replies.length).toBeGreaterThan(10);
    for (const link of links) expect(link).not.toContain(server.token);
    for (const reply of replies) {
      expect(String(reply.headers.location ?? '')).not.toContain(server.token);
      expect(reply.body).not.toContain(server.token);
    }
    for (const line of logged) expect(line).not.toContain(server.token);
  });
});

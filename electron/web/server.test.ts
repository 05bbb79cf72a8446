/**
 * Web mode's defences, each against the real server on a real port: the launch token, the Host
 * allowlist, the Origin check (HTTP and WebSocket), no CORS, loopback only, and the security headers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createEchoBackend } from '../api/test/echo-backend';
import { startWebServer, type WebServer } from './server';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: WebServer;
let origin: string;

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = () => ({ Authorization: `Bearer ${server.token}` });
const cookie = () => ({ Cookie: `berth_token_${server.port}=${server.token}` });
const json = { 'Content-Type': 'application/json' };

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/stream`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'berth-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Berth</title>');
  writeFileSync(join(staticDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  server = await startWebServer({ router: createEchoBackend().router, staticDir });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe('the launch token', () => {
  it('is 32 random bytes in base64url, and the sign-in link carries a one-time code instead', () => {
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const link = server.signInUrl();
    expect(link).toMatch(
      new RegExp(`^http://berth-[0-9a-f]{16}\\.localhost:${server.port}/\\?code=[A-Za-z0-9_-]{32}$`),
    );
    expect(new URL(link).hostname).toBe(server.launchHost);
    expect(link).not.toContain(server.token);
  });

  it('is set as a host-only cookie on the launch host, which no other local server answers to', async () => {
    const link = new URL(server.signInUrl());
    const reply = await send(link.pathname + link.search, { headers: { host: link.host } });
    expect(reply.status).toBe(302);
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    // No Domain attribute: the browser keeps it for berth-<random>.localhost alone, not for 127.0.0.1:<any port>.
    expect(cookie).not.toMatch(/domain=/i);
    // The launch host is one of Berth's own names; a look-alike is refused.
    expect((await send('/', { headers: { host: link.host, cookie: cookie.split(';')[0]! } })).status).toBe(200);
    const other = `berth-0000000000000000.localhost:${server.port}`;
    expect((await send('/', { headers: { host: other, cookie: cookie.split(';')[0]! } })).status).toBe(403);
  });

  it('is required: no token is 401 with a JSON error', async () => {
    const reply = await send('/');
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { fix: expect.any(String) } });
  });

  it('must match: a wrong token is 401, in the URL, the cookie or the header', async () => {
    const wrong = `${server.token.slice(0, -1)}${server.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await send(`/?token=${wrong}`)).status).toBe(401);
    expect((await send(`/?code=${wrong}`)).status).toBe(401);
    expect((await send('/', { headers: { Cookie: `berth_token_${server.port}=${wrong}` } })).status).toBe(401);
    expect((await send('/', { headers: { Authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await send('/', { headers: { Authorization: 'Bearer short' } })).status).toBe(401);
  });

  it('is refused in the URL, even when right: 401, no cookie', async () => {
    const reply = await send(`/?token=${server.token}`);
    expect(reply.status).toBe(401);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(reply.body).not.toContain(server.token);
  });

  it('comes from a one-time code: an HttpOnly, SameSite=Strict cookie for this port and a redirect to /', async () => {
    const link = new URL(server.signInUrl());
    const reply = await send(link.pathname + link.search);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
    // Beside the token, a session of this browser's own, which one-time links are bound to.
    expect(reply.headers['set-cookie']).toEqual([
      `berth_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`,
      expect.stringMatching(
        new RegExp(`^berth_session_${server.port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
      ),
    ]);
  });

  it('in the cookie or a Bearer header opens the page and the API', async () => {
    expect((await send('/', { headers: cookie() })).status).toBe(200);
    const call = await send('/api/call/engine.status', {
      method: 'POST',
      headers: { ...bearer(), ...json },
      body: '{}',
    });
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body)).toMatchObject({ ok: true, value: { state: 'disconnected' } });
  });
});

describe('the Host allowlist (DNS rebinding)', () => {
  it.each(['evil.example:PORT', '127.0.0.1.evil.com:PORT', '127.0.0.1', 'localhost', '0.0.0.0:PORT', '[::1]:PORT'])(
    'refuses Host %s with 403',
    async (host) => {
      const reply = await send('/', { headers: { ...cookie(), Host: host.replace('PORT', String(server.port)) } });
      expect(reply.status).toBe(403);
    },
  );

  it('refuses the right host on another port', async () => {
    expect((await send('/', { headers: { ...cookie(), Host: `127.0.0.1:${server.port + 1}` } })).status).toBe(403);
  });

  it('accepts localhost:PORT', async () => {
    expect((await send('/', { headers: { ...cookie(), Host: `localhost:${server.port}` } })).status).toBe(200);
  });
});

describe('the Origin check', () => {
  it('refuses a cross-origin POST even with a valid cookie', async () => {
    const reply = await send('/api/call/engine.status', {
      method: 'POST',
      headers: { ...cookie(), ...json, Origin: 'http://evil.example' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
  });

  it('accepts a same-origin POST', async () => {
    const reply = await send('/api/call/engine.status', {
      method: 'POST',
      headers: { ...cookie(), ...json, Origin: origin },
      body: '{}',
    });
    expect(reply.status).toBe(200);
  });

  it('refuses a cross-origin WebSocket with 403', async () => {
    expect(await upgradeStatus({ ...cookie(), Origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ ...cookie(), Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
  });

  it('refuses a WebSocket without an Origin', async () => {
    expect(await upgradeStatus(cookie())).toBe(403);
  });

  it('refuses a WebSocket without the token with 401', async () => {
    expect(await upgradeStatus({ Origin: origin })).toBe(401);
  });

  it('opens a same-origin WebSocket with the cookie', async () => {
    expect(await upgradeStatus({ ...cookie(), Origin: origin })).toBe(101);
  });
});

describe('the API', () => {
  it('requires a JSON body (415 otherwise)', async () => {
    const reply = await send('/api/call/engine.status', {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(reply.status).toBe(415);
  });

  it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
    const call = (body: string) =>
      send('/api/call/ports.suggest', { method: 'POST', headers: { ...bearer(), ...json }, body });
    expect((await call('{nope')).status).toBe(400);
    expect((await call(JSON.stringify({ pad: 'x'.repeat(1_100_000) }))).status).toBe(413);
  });

  it('maps error codes to HTTP statuses', async () => {
    const call = (name: string, body: unknown) =>
      send(`/api/call/${name}`, { method: 'POST', headers: { ...bearer(), ...json }, body: JSON.stringify(body) });
    expect((await call('ports.suggest', { preferred: 'x' })).status).toBe(400);
    expect((await call('images.tag', { source: 'a', target: 'b' })).status).toBe(404);
    expect((await call('no.such', {})).status).toBe(404);
  });

  it('answers invalid stream messages with an error and keeps the connection', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/stream`, { headers: { ...cookie(), Origin: origin } });
    const replies: unknown[] = [];
    await new Promise((resolve) => ws.on('open', resolve));
    ws.on('message', (data) => replies.push(JSON.parse(String(data))));
    ws.send('not json');
    ws.send(Buffer.from('{}'), { binary: true });
    ws.send(JSON.stringify({ op: 'subscribe', sid: 'bad sid!', stream: 'logs', params: {} }));
    ws.send(JSON.stringify({ op: 'dance', sid: 'a' }));
    ws.send(JSON.stringify({ op: 'subscribe', sid: 's1', stream: 'logs', params: { id: 'c1', tail: 1 } }));
    await vi.waitFor(() => expect(replies.length).toBeGreaterThanOrEqual(6));
    ws.close();
    // Every refusal has a code, a message and a fix.
    const refused = (sid: string | null) => ({
      sid,
      error: expect.objectContaining({ code: 'INVALID_INPUT', message: expect.any(String), fix: expect.any(String) }),
    });
    expect(replies.slice(0, 4)).toEqual([refused(null), refused(null), refused(null), refused('a')]);
    expect(replies.slice(4)).toContainEqual({ sid: 's1', event: expect.objectContaining({ kind: 'batch' }) });
  });
});

describe('headers', () => {
  it('never sends CORS headers, on pages, API calls, errors or OPTIONS', async () => {
    const replies = await Promise.all([
      send('/', { headers: cookie() }),
      send('/', { headers: { Origin: 'http://evil.example' } }),
      send('/api/call/engine.status', { method: 'POST', headers: { ...bearer(), ...json }, body: '{}' }),
      send('/api/call/engine.status', { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } }),
      send('/api/call/engine.status', {
        method: 'OPTIONS',
        headers: { ...cookie(), Origin: origin, 'Access-Control-Request-Method': 'POST' },
      }),
      send('/missing', { headers: cookie() }),
    ]);
    for (const reply of replies) {
      expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('serves HTML with the CSP and the other security headers', async () => {
    const reply = await send('/', { headers: cookie() });
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['x-powered-by']).toBeUndefined();
  });
});

describe('the favicon', () => {
  it('answers /favicon.ico with the SVG icon, behind the token and with the CSP', async () => {
    expect((await send('/favicon.ico')).status).toBe(401);
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const reply = await send(path, { headers: cookie() });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(reply.body).toContain('<svg');
      expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });
});

describe('the listening address', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;
  if (!external) console.log('[skip] this machine has no non-loopback IPv4 address to test from');

  it.skipIf(!external)('is not reachable on a non-loopback address', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(server.port, external!);
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

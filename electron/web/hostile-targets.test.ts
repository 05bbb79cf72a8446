/**
 * Hole 4 of issue 9: request targets and requests that URL parsing or the HTTP parser chokes on. Each
 * case sends exact bytes over a raw socket and expects a 4xx with a code, a message and a fix (or a
 * closed socket where HTTP has no answer), nothing logged with a stack trace, and the server alive.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEchoBackend } from '../api/test/echo-backend';
import { startWebServer, type WebServer } from './server';
import { parseRawReply, rawExchange, send } from './test/http-client';

/** Generous: every answer here is immediate, and the server closes the socket after it. */
const ANSWER_DEADLINE_MS = 10_000;

let server: WebServer;
const logged: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? '') : String(arg))).join(' '));
    });
  }
  const staticDir = mkdtempSync(join(tmpdir(), 'berth-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Berth</title>');
  server = await startWebServer({ router: createEchoBackend().router, staticDir });
});
afterAll(async () => {
  await server.close();
  vi.restoreAllMocks();
});

const host = () => `Host: 127.0.0.1:${server.port}\r\n`;
const token = () => `Cookie: berth_token_${server.port}=${server.token}\r\n`;
const origin = () => `Origin: http://127.0.0.1:${server.port}\r\n`;
const upgrade = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n';
const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

interface Case {
  name: string;
  bytes: () => string;
  status: number;
}

const CASES: Case[] = [
  // The two reproductions from the issue.
  {
    name: 'WebSocket upgrade to "http://[" with a valid token',
    bytes: () => `GET http://[ HTTP/1.1\r\n${host()}${token()}${origin()}${upgrade}${key}\r\n`,
    status: 400,
  },
  { name: 'GET //[/ without a token', bytes: () => `GET //[/ HTTP/1.1\r\n${host()}\r\n`, status: 400 },
  // Their neighbours.
  { name: 'GET //[/ with a valid token', bytes: () => `GET //[/ HTTP/1.1\r\n${host()}${token()}\r\n`, status: 400 },
  {
    name: 'GET http://[ with a valid token',
    bytes: () => `GET http://[ HTTP/1.1\r\n${host()}${token()}\r\n`,
    status: 400,
  },
  {
    name: 'absolute-form target for Berth itself',
    bytes: () => `GET http://127.0.0.1:${server.port}/ HTTP/1.1\r\n${host()}${token()}\r\n`,
    status: 400,
  },
  { name: 'asterisk-form target', bytes: () => `OPTIONS * HTTP/1.1\r\n${host()}${token()}\r\n`, status: 400 },
  { name: 'backslash path', bytes: () => `GET /\\evil.example/ HTTP/1.1\r\n${host()}${token()}\r\n`, status: 400 },
  {
    name: 'upgrade to "//[/" with a valid token',
    bytes: () => `GET //[/ HTTP/1.1\r\n${host()}${token()}${origin()}${upgrade}${key}\r\n`,
    status: 400,
  },
  {
    name: 'upgrade to "/api/stream?%" with a valid token but no key',
    bytes: () => `GET /api/stream?% HTTP/1.1\r\n${host()}${token()}${origin()}${upgrade}\r\n`,
    status: 400,
  },
  {
    name: 'undecodable procedure name with a valid token',
    bytes: () =>
      `POST /api/call/%E0%A4%A HTTP/1.1\r\n${host()}${token()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    status: 400,
  },
  { name: 'not HTTP at all', bytes: () => 'HELLO\r\n\r\n', status: 400 },
  {
    name: 'an HTTP/1.1 request without Host, with a valid token',
    bytes: () =>
      `POST /api/call/engine.status HTTP/1.1\r\n${token()}${origin()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    status: 403,
  },
  {
    name: 'a WebSocket upgrade without Host, with a valid token',
    bytes: () => `GET /api/stream HTTP/1.1\r\n${token()}${origin()}${upgrade}${key}\r\n`,
    status: 403,
  },
  { name: 'a header without a colon', bytes: () => `GET / HTTP/1.1\r\n${host()}nonsense\r\n\r\n`, status: 400 },
  {
    name: 'headers larger than the parser allows',
    bytes: () => `GET / HTTP/1.1\r\n${host()}X-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 431,
  },
];

describe('hostile request targets', () => {
  it.each(CASES)('$name: answered $status with a code, a message and a fix', async ({ bytes, status }) => {
    const exchange = await rawExchange(server.port, bytes(), ANSWER_DEADLINE_MS);
    expect(exchange.closed).toBe(true);
    expect(parseRawReply(exchange.response)).toEqual({
      status,
      body: {
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.any(String), fix: expect.any(String) },
      },
    });
    expect((await send(server.port, '/', { headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(200);
  });

  it('CONNECT is closed without an answer, and the server stays up', async () => {
    const exchange = await rawExchange(
      server.port,
      `CONNECT 127.0.0.1:1 HTTP/1.1\r\n${host()}${token()}\r\n`,
      ANSWER_DEADLINE_MS,
    );
    expect(exchange.closed).toBe(true);
    expect((await send(server.port, '/', { headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(200);
  });

  it('wrote no stack trace to the log, and never the token', () => {
    for (const line of logged) {
      expect(line).not.toMatch(/\n\s+at /);
      expect(line).not.toContain(server.token);
    }
  });
});

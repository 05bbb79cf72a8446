/**
 * Hole 3 of issue 9: sockets without the token cannot exhaust the server. Idle and slowloris sockets
 * are closed by the pending deadline, refused requests lose their connection, the number of pending
 * sockets is capped (the oldest makes room), and a request with the token still gets through. Limits
 * are injected small; every wait is bounded by a named deadline, loopback only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEchoBackend } from '../api/test/echo-backend';
import type { ConnectionLimits } from './connection-guard';
import { startWebServer, type WebServer } from './server';
import { closed, openSocket, parseRawReply, rawExchange, send } from './test/http-client';

/** How long the server may take to close what it should close (its own limits are far shorter). */
const CLOSE_DEADLINE_MS = 15_000;
const IDLE_SOCKETS = 500;
const PENDING_CAP = 40;
const SLOWLORIS_INTERVAL_MS = 100;

const staticDir = mkdtempSync(join(tmpdir(), 'berth-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Berth</title>');

async function serverWith(limits: Partial<ConnectionLimits>): Promise<WebServer> {
  return startWebServer({ router: createEchoBackend().router, staticDir, limits });
}

/** Resolves true when every socket is closed within the deadline, false otherwise. */
async function allClosedWithin(sockets: Socket[], deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const done = Promise.all(sockets.map(closed)).then(() => true as const);
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  return outcome;
}

async function openMany(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await openSocket(port);
    socket.on('error', () => {});
    sockets.push(socket);
  }
  return sockets;
}

const authorized = (server: WebServer) => ({ Authorization: `Bearer ${server.token}` });
const stillServes = async (server: WebServer): Promise<number> =>
  (await send(server.port, '/', { headers: authorized(server) })).status;

/** Starts a request and then sends one more header line every SLOWLORIS_INTERVAL_MS, until the socket is closed or the deadline. */
async function dribbleHeaders(socket: Socket, port: number): Promise<{ wasClosed: boolean; sent: number }> {
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
  let sent = 0;
  const dribble = setInterval(() => {
    if (!socket.destroyed) socket.write(`X-Slow-${sent++}: a\r\n`);
  }, SLOWLORIS_INTERVAL_MS);
  const wasClosed = await allClosedWithin([socket], CLOSE_DEADLINE_MS);
  clearInterval(dribble);
  return { wasClosed, sent };
}

describe('sockets without the token', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await serverWith({ pendingDeadlineMs: 500, maxPendingSockets: PENDING_CAP });
  });
  afterAll(() => server.close());

  it(`are closed when idle: ${IDLE_SOCKETS} sockets that never send a byte`, async () => {
    const sockets = await openMany(server.port, IDLE_SOCKETS);
    expect(server.connectionCounts().pending).toBeLessThanOrEqual(PENDING_CAP);
    expect(await allClosedWithin(sockets, CLOSE_DEADLINE_MS)).toBe(true);
    // The server side learns of the last closes a moment after the clients do.
    await vi.waitFor(() => expect(server.connectionCounts().pending).toBe(0), { timeout: CLOSE_DEADLINE_MS });
    expect(await stillServes(server)).toBe(200);
  });

  it('are closed when they dribble headers (slowloris)', async () => {
    const socket = await openSocket(server.port);
    socket.on('error', () => {});
    const { wasClosed, sent } = await dribbleHeaders(socket, server.port);
    expect(wasClosed).toBe(true);
    // It was still sending when it was cut off: the deadline, not its own pause, ended it.
    expect(sent).toBeGreaterThan(1);
    expect(await stillServes(server)).toBe(200);
  });

  it('get an answer to a request, then lose the connection even when asking to keep it', async () => {
    const exchange = await rawExchange(
      server.port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`,
      CLOSE_DEADLINE_MS,
    );
    expect(exchange.closed).toBe(true);
    expect(parseRawReply(exchange.response)).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String), fix: expect.any(String) } },
    });
    expect(exchange.response).toMatch(/\r\nConnection: close\r\n/i);
  });
});

describe('a token holder', () => {
  it('still gets through when the unauthenticated sockets fill their cap', async () => {
    // A deadline far longer than the test: only the cap can make room.
    const server = await serverWith({ pendingDeadlineMs: 600_000, maxPendingSockets: PENDING_CAP });
    try {
      const squatters = await openMany(server.port, PENDING_CAP);
      await vi.waitFor(() => expect(server.connectionCounts().pending).toBe(PENDING_CAP), {
        timeout: CLOSE_DEADLINE_MS,
      });
      expect(await stillServes(server)).toBe(200);
      const call = await send(server.port, '/api/call/engine.status', {
        method: 'POST',
        headers: { ...authorized(server), 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(call.status).toBe(200);
      // The requests above made room by closing the oldest squatters, never by refusing a newcomer.
      expect(squatters[0]!.destroyed || (await allClosedWithin([squatters[0]!], CLOSE_DEADLINE_MS))).toBe(true);
      expect(server.connectionCounts().pending).toBeLessThanOrEqual(PENDING_CAP);
      for (const socket of squatters) socket.destroy();
    } finally {
      await server.close();
    }
  });

  it('keeps an idle keep-alive connection only for the keep-alive timeout', async () => {
    const server = await serverWith({ keepAliveTimeoutMs: 300 });
    try {
      const exchange = await rawExchange(
        server.port,
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`,
        CLOSE_DEADLINE_MS,
      );
      expect(exchange.response).toMatch(/^HTTP\/1\.1 200/);
      expect(exchange.closed).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('cannot dribble the headers of a second request on a signed-in socket (headers timeout)', async () => {
    const server = await serverWith({
      headersTimeoutMs: 500,
      requestTimeoutMs: 800,
      keepAliveTimeoutMs: 600_000,
      timeoutCheckIntervalMs: 100,
    });
    try {
      const socket = await openSocket(server.port);
      socket.on('error', () => {});
      let answered = '';
      socket.on('data', (chunk) => {
        answered += chunk;
      });
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      await vi.waitFor(() => expect(answered).toMatch(/^HTTP\/1\.1 200/), { timeout: CLOSE_DEADLINE_MS });
      expect(server.connectionCounts().authenticated).toBe(1);
      const { wasClosed, sent } = await dribbleHeaders(socket, server.port);
      expect(wasClosed).toBe(true);
      expect(sent).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  it('cannot hold a socket open with a body that never finishes (request timeout)', async () => {
    const server = await serverWith({ headersTimeoutMs: 500, requestTimeoutMs: 800, timeoutCheckIntervalMs: 100 });
    try {
      const exchange = await rawExchange(
        server.port,
        `POST /api/call/engine.status HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
          `Authorization: Bearer ${server.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        CLOSE_DEADLINE_MS,
      );
      expect(exchange.closed).toBe(true);
      expect(await stillServes(server)).toBe(200);
    } finally {
      await server.close();
    }
  });
});

/**
 * The hostile-input table through a real web-mode server (issue 9, "Results"): the server of
 * electron/web/server.ts on 127.0.0.1, over a real backend on the real engine, signed in the way a
 * browser is (a one-time code redeemed for the HttpOnly cookie), every call sent as the renderer sends
 * it (POST /api/call/NAME, JSON, Host, Origin and the cookie) and every stream subscribed over a real
 * WebSocket at /api/stream. On top of the table come transport-level cases: bad tokens, Hosts and
 * Origins, bodies that are too big or not JSON, unknown procedures and streams, bad stream messages,
 * too many subscriptions.
 *
 * Each case must come back as an error with a code, a message and a fix; then the server must still
 * answer an authenticated call, Berth must have sent dockerd nothing that changes anything (every
 * request goes through a recording proxy), and `docker ps -a`, `docker images` and `docker volume ls`
 * must read the same as before.
 *
 * No vitest here: test/hostile-web.engine.test.ts runs the cases one by one, and bench/ can call
 * runHostileWebSuite() (or `npx tsx test/hostile-web.ts`, which prints the summary as JSON).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { type Backend, createBackend } from '../electron/api/backend';
import { BerthError, type ErrorCode, type ErrorShape, type ServerMessage, STREAM_PATH } from '../electron/contract';
import { Engine } from '../electron/core/engine';
import { MemorySecretStore } from '../electron/core/registry';
import { startWebServer, type WebServer } from '../electron/web/server';
import { parseRawReply, rawExchange, type SendOptions, send } from '../electron/web/test/http-client';
import { docker } from './engine-harness';
import {
  checkHostileError,
  HOSTILE_CASES,
  type HostileCase,
  type HostileEnv,
  isHealthCheck,
  makeHostileFixtures,
  removeHostileFixtures,
} from './hostile-input';
import { SocketProxy } from './socket-proxy';

/** How long a stream reply or a refused handshake may take on a loaded machine; reached only on failure. */
export const WEB_REPLY_DEADLINE_MS = 15_000;
/** How long the engine may take to connect when the server starts. */
const ENGINE_CONNECT_DEADLINE_MS = 20_000;
/** The server's cap on open subscriptions per WebSocket (electron/web/stream-socket.ts). */
const MAX_SUBSCRIPTIONS = 256;
const BODY_LIMIT_BYTES = 1024 * 1024;

/** The server, signed in, with what a case needs around it. */
export interface WebTarget {
  server: WebServer;
  backend: Backend;
  /** Berth's requests to dockerd go through this proxy, which records every request line. */
  proxy: SocketProxy;
  env: HostileEnv;
  /** Connections the local listener of the table received: must stay empty. */
  heard: string[];
  /** URLs Berth was asked to open in a browser: must stay empty. */
  opened: string[];
  /** The session cookie, `berth_token_PORT=...`, as the browser got it from the sign-in redirect. */
  cookie: string;
  /** What a browser on Berth's own page sends with every request. */
  browserHeaders(): Record<string, string>;
  close(): Promise<void>;
}

export async function startHostileWebTarget(): Promise<WebTarget> {
  const work = mkdtempSync(join(tmpdir(), 'berth-hostile-web-'));
  const heard: string[] = [];
  const opened: string[] = [];
  const listener: Server = createServer((socket) => {
    heard.push('connection');
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const env: HostileEnv = {
    listenerPort: (listener.address() as { port: number }).port,
    fixtures: makeHostileFixtures(),
  };
  const proxy = new SocketProxy(join(work, 'engine.sock'));
  await proxy.start();
  const engine = new Engine({ env: { DOCKER_HOST: proxy.endpoint } });
  const backend = createBackend({
    dataDir: join(work, 'data'),
    secretStore: new MemorySecretStore(),
    engine,
    projectDir: work,
    openExternal: async (url) => {
      opened.push(url.href);
    },
  });
  // The API needs no renderer bundle; an empty folder keeps this independent of `npm run build`.
  const server = await startWebServer({ router: backend.router, port: 0, staticDir: join(work, 'static') });
  const started = Date.now();
  while (engine.current().state !== 'connected') {
    if (Date.now() - started > ENGINE_CONNECT_DEADLINE_MS) throw new Error('the engine did not connect');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Berth's own reads on connecting (the sweep of crashed instances' terminals) happen before any case.
  await backend.settled();
  // Sign in as a browser does: open the one-time link, keep the cookie from the redirect.
  const link = new URL(server.signInUrl());
  const signIn = await send(server.port, link.pathname + link.search);
  const cookie = /(berth_token_\d+=[A-Za-z0-9_-]+);/.exec(String(signIn.headers['set-cookie']))?.[1];
  if (signIn.status !== 302 || !cookie) throw new Error(`sign-in failed: ${signIn.status} ${signIn.body}`);
  const own = `127.0.0.1:${server.port}`;
  return {
    server,
    backend,
    proxy,
    env,
    heard,
    opened,
    cookie,
    browserHeaders: () => ({ Host: own, Origin: `http://${own}`, Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' }),
    async close() {
      await server.close();
      await backend.close();
      await proxy.stop();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      removeHostileFixtures(env.fixtures);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// ───────────────────────────── Transports ─────────────────────────────

/** An error as the client received it, with the HTTP status when there was one. */
interface Received {
  status?: number;
  error?: ErrorShape;
  /** What came instead of an error. */
  other?: string;
}

function errorOf(body: unknown): ErrorShape | undefined {
  const reply = body as { ok?: unknown; error?: ErrorShape } | undefined;
  return reply && reply.ok === false && typeof reply.error === 'object' ? reply.error : undefined;
}

/** A refused sign-in link is answered with a page for a person: its heading, its advice and its code. */
function errorOfPage(html: string): ErrorShape | undefined {
  const message = /<h1>([^<]*)<\/h1>/.exec(html)?.[1];
  const fix = /<\/h1>\n<p>([^<]*)<\/p>/.exec(html)?.[1];
  const code = /Error code: <code>([A-Z_]+)<\/code>/.exec(html)?.[1];
  if (!message || !code) return undefined;
  return { code: code as ErrorCode, message, ...(fix && { fix }) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One procedure call as the renderer makes it, with extra or replaced headers. */
async function callOver(
  t: WebTarget,
  procedure: string,
  body: string,
  headers: Record<string, string | undefined> = {},
  options: Omit<SendOptions, 'headers' | 'body'> & { path?: string } = {},
): Promise<Received> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...t.browserHeaders(),
    'Content-Type': 'application/json',
    ...headers,
  })) {
    if (value !== undefined) merged[key] = value;
  }
  const reply = await send(t.server.port, options.path ?? `/api/call/${procedure}`, {
    method: options.method ?? 'POST',
    headers: merged,
    body,
  });
  const isPage = String(reply.headers['content-type']).startsWith('text/html');
  const error = isPage ? errorOfPage(reply.body) : errorOf(parseJson(reply.body));
  return error ? { status: reply.status, error } : { status: reply.status, other: reply.body.slice(0, 300) };
}

/** An open, authenticated stream socket, as the renderer opens it. */
function openStream(t: WebTarget, headers: Record<string, string> = {}): Promise<WebSocket> {
  const { Host: _host, ...rest } = t.browserHeaders();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.server.port}${STREAM_PATH}`, { headers: { ...rest, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      reject(new Error(`the stream socket was refused: ${res.statusCode}`));
    });
  });
}

/** Sends raw frames and resolves with the first error for `sid` (null: errors not tied to a sid). */
function streamError(ws: WebSocket, sid: string | null, frames: Array<string | Buffer>): Promise<Received> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      cleanup();
      resolve({ other: `no reply within ${WEB_REPLY_DEADLINE_MS} ms` });
    }, WEB_REPLY_DEADLINE_MS);
    const onMessage = (data: Buffer): void => {
      const message = parseJson(data.toString()) as ServerMessage;
      if (message.sid !== sid) return;
      cleanup();
      if ('error' in message) resolve({ error: message.error });
      else resolve({ other: JSON.stringify(message).slice(0, 300) });
    };
    const onClose = (): void => {
      cleanup();
      resolve({ other: 'the socket closed' });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    for (const frame of frames) ws.send(frame, { binary: typeof frame !== 'string' });
  });
}

async function withStream(t: WebTarget, use: (ws: WebSocket) => Promise<Received>): Promise<Received> {
  const ws = await openStream(t);
  try {
    return await use(ws);
  } finally {
    ws.terminate();
  }
}

/** A WebSocket handshake with the given headers, expected to be refused; the refusal as received. */
function refusedUpgrade(t: WebTarget, path: string, headers: Record<string, string>): Promise<Received> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.server.port}${path}`, { headers });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ other: `no answer within ${WEB_REPLY_DEADLINE_MS} ms` });
    }, WEB_REPLY_DEADLINE_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      ws.terminate();
      resolve({ other: 'the handshake was accepted' });
    });
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        clearTimeout(timer);
        const error = errorOf(parseJson(body));
        resolve(error ? { status: res.statusCode, error } : { status: res.statusCode, other: body.slice(0, 300) });
      });
    });
  });
}

// ───────────────────────────── Cases ─────────────────────────────

export interface WebCase {
  name: string;
  /** `table`: a case of test/hostile-input.ts; `transport`: one about the web transport itself. */
  layer: 'table' | 'transport';
  hole?: number;
  /** Sends the case; resolves with the error the client received (or what came instead). */
  send(t: WebTarget): Promise<Received>;
  code: ErrorCode;
  /** The HTTP status expected, for answers over HTTP. */
  status?: number;
  /** For table cases: the field and secrets checks of the table. */
  table?: HostileCase;
  /** Text the error must contain, to show it is the refusal meant and not another. */
  message?: RegExp;
}

let sidCounter = 0;
const nextSid = (): string => `hostile-${++sidCounter}`;

function tableCase(c: HostileCase): WebCase {
  const code = c.code ?? 'INVALID_INPUT';
  if (c.kind === 'call') {
    return {
      name: c.name,
      layer: 'table',
      ...(c.hole && { hole: c.hole }),
      code,
      status: code === 'INVALID_INPUT' ? 400 : undefined,
      table: c,
      send: (t) => callOver(t, c.target, JSON.stringify(c.input(t.env))),
    };
  }
  return {
    name: c.name,
    layer: 'table',
    ...(c.hole && { hole: c.hole }),
    code,
    table: c,
    send: (t) =>
      withStream(t, (ws) => {
        const sid = nextSid();
        return streamError(ws, sid, [
          JSON.stringify({ op: 'subscribe', sid, stream: c.target, params: c.input(t.env) }),
        ]);
      }),
  };
}

const own = (t: WebTarget): string => `127.0.0.1:${t.server.port}`;
const status = '{}';

function transportCases(): WebCase[] {
  const list: WebCase[] = [];
  const http = (
    name: string,
    code: ErrorCode,
    httpStatus: number,
    sendIt: (t: WebTarget) => Promise<Received>,
    message?: RegExp,
  ): void => {
    list.push({ name, layer: 'transport', code, status: httpStatus, send: sendIt, ...(message && { message }) });
  };
  const NO_TOKEN = /launch token/;
  http(
    'a call with no token',
    'INVALID_INPUT',
    401,
    (t) => callOver(t, 'engine.status', status, { Cookie: undefined }),
    NO_TOKEN,
  );
  http(
    'a call with a wrong token in the cookie',
    'INVALID_INPUT',
    401,
    (t) => callOver(t, 'engine.status', status, { Cookie: `berth_token_${t.server.port}=${'A'.repeat(43)}` }),
    NO_TOKEN,
  );
  http(
    'a call with the token under another port’s cookie name',
    'INVALID_INPUT',
    401,
    (t) => callOver(t, 'engine.status', status, { Cookie: t.cookie.replace(/^berth_token_\d+/, 'berth_token_1') }),
    NO_TOKEN,
  );
  http(
    'a call with a truncated token',
    'INVALID_INPUT',
    401,
    (t) => callOver(t, 'engine.status', status, { Cookie: t.cookie.slice(0, -1) }),
    NO_TOKEN,
  );
  http(
    'a call with a wrong bearer token',
    'INVALID_INPUT',
    401,
    (t) => callOver(t, 'engine.status', status, { Cookie: undefined, Authorization: `Bearer ${'B'.repeat(43)}` }),
    NO_TOKEN,
  );
  http(
    'a call with the token in the address',
    'INVALID_INPUT',
    401,
    (t) =>
      callOver(
        t,
        'engine.status',
        status,
        { Cookie: undefined },
        {
          path: `/api/call/engine.status?token=${t.server.token}`,
        },
      ),
    /never accepted in an address/,
  );
  const HOST = /only answers requests addressed to/;
  http(
    'a call with Host evil.example',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Host: 'evil.example' }),
    HOST,
  );
  http(
    'a call with a rebinding Host (localhost.evil.example:PORT)',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Host: `localhost.evil.example:${t.server.port}` }),
    HOST,
  );
  http(
    'a call with Host 127.0.0.1 on another port',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Host: `127.0.0.1:${t.server.port + 1}` }),
    HOST,
  );
  http(
    'a call with Host 0.0.0.0:PORT',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Host: `0.0.0.0:${t.server.port}` }),
    HOST,
  );
  const ORIGIN = /other web pages/;
  http(
    'a call from a cross-site Origin',
    'INVALID_INPUT',
    403,
    (t) =>
      callOver(t, 'containers.remove', JSON.stringify({ id: 'berth-hostile-never', force: true }), {
        Origin: 'http://evil.example',
      }),
    ORIGIN,
  );
  http(
    'a call with Origin null (sandboxed page)',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Origin: 'null' }),
    ORIGIN,
  );
  http(
    'a call from https on Berth’s own address',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Origin: `https://${own(t)}` }),
    ORIGIN,
  );
  http(
    'a call from Berth’s host on another port',
    'INVALID_INPUT',
    403,
    (t) => callOver(t, 'engine.status', status, { Origin: `http://127.0.0.1:${t.server.port + 1}` }),
    ORIGIN,
  );
  http(
    'a body over 1 MB',
    'INVALID_INPUT',
    413,
    (t) =>
      callOver(
        t,
        'containers.run',
        JSON.stringify({ image: 'berth-hostile-never:1', pad: 'x'.repeat(BODY_LIMIT_BYTES) }),
      ),
    /larger than 1 MB/,
  );
  http(
    'malformed JSON',
    'INVALID_INPUT',
    400,
    (t) => callOver(t, 'containers.remove', '{"id": "x",'),
    /not valid JSON/,
  );
  http('JSON that is a bare string', 'INVALID_INPUT', 400, (t) => callOver(t, 'engine.status', '"x"'));
  http(
    'a body sent as text/plain (a form post from another page)',
    'INVALID_INPUT',
    415,
    (t) =>
      callOver(t, 'containers.remove', JSON.stringify({ id: 'berth-hostile-never' }), { 'Content-Type': 'text/plain' }),
    /must be JSON/,
  );
  http(
    'a body sent as a form',
    'INVALID_INPUT',
    415,
    (t) =>
      callOver(t, 'containers.remove', 'id=berth-hostile-never', {
        'Content-Type': 'application/x-www-form-urlencoded',
      }),
    /must be JSON/,
  );
  const UNKNOWN = /No such procedure/;
  http('an unknown procedure', 'NOT_FOUND', 404, (t) => callOver(t, 'containers.exec', status), UNKNOWN);
  http('a procedure named __proto__', 'NOT_FOUND', 404, (t) => callOver(t, '__proto__', status), UNKNOWN);
  http('a procedure named constructor', 'NOT_FOUND', 404, (t) => callOver(t, 'constructor', status), UNKNOWN);
  http('a procedure named toString', 'NOT_FOUND', 404, (t) => callOver(t, 'toString', status), UNKNOWN);
  http('a procedure path with an encoded ../', 'NOT_FOUND', 404, (t) =>
    callOver(t, '', status, {}, { path: '/api/call/..%2Fcontainers.remove' }),
  );
  http('a procedure path that does not decode', 'INVALID_INPUT', 400, (t) =>
    callOver(t, '', status, {}, { path: '/api/call/%E0%A4%A' }),
  );
  http('a procedure called with GET', 'NOT_FOUND', 404, (t) => callOver(t, 'engine.status', '', {}, { method: 'GET' }));
  http('a procedure input that is an array', 'INVALID_INPUT', 400, (t) =>
    callOver(t, 'containers.stop', JSON.stringify([{ id: 'berth-hostile-never' }])),
  );
  http('a procedure input with a __proto__ key', 'INVALID_INPUT', 400, (t) =>
    callOver(t, 'containers.stop', '{"id":"berth-hostile-never","__proto__":{"force":true}}'),
  );
  http('a sign-in link with an unknown code', 'INVALID_INPUT', 401, (t) =>
    callOver(
      t,
      '',
      '',
      { Cookie: undefined, 'Content-Type': undefined },
      { method: 'GET', path: `/?code=${'C'.repeat(32)}` },
    ),
  );
  http('a sign-in link used twice', 'INVALID_INPUT', 401, async (t) => {
    const link = new URL(t.server.signInUrl());
    await send(t.server.port, link.pathname + link.search);
    return callOver(
      t,
      '',
      '',
      { Cookie: undefined, 'Content-Type': undefined },
      {
        method: 'GET',
        path: link.pathname + link.search,
      },
    );
  });
  const raw =
    (bytes: (t: WebTarget) => string) =>
    async (t: WebTarget): Promise<Received> => {
      const exchange = await rawExchange(t.server.port, bytes(t), WEB_REPLY_DEADLINE_MS);
      const reply = parseRawReply(exchange.response);
      const error = errorOf(reply.body);
      return error ? { status: reply.status, error } : { status: reply.status, other: exchange.response.slice(0, 300) };
    };
  http(
    'a request that is not HTTP',
    'INVALID_INPUT',
    400,
    raw(() => 'HELLO THERE\r\n\r\n'),
  );
  http(
    'a request with a bad header line',
    'INVALID_INPUT',
    400,
    raw((t) => `POST /api/call/engine.status HTTP/1.1\r\nHost: ${own(t)}\r\nBad Header\r\n\r\n`),
  );
  http(
    'headers over the size limit',
    'INVALID_INPUT',
    431,
    raw((t) => `GET / HTTP/1.1\r\nHost: ${own(t)}\r\nX-Pad: ${'p'.repeat(20 * 1024)}\r\n\r\n`),
  );
  http(
    'an HTTP/1.1 request with no Host',
    'INVALID_INPUT',
    403,
    raw(
      (t) =>
        `POST /api/call/engine.status HTTP/1.1\r\nCookie: ${t.cookie}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    ),
    HOST,
  );
  http(
    'a stream socket handshake with no Host',
    'INVALID_INPUT',
    403,
    raw(
      (t) =>
        `GET ${STREAM_PATH} HTTP/1.1\r\nCookie: ${t.cookie}\r\nOrigin: http://${own(t)}\r\nConnection: Upgrade\r\n` +
        'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    ),
    HOST,
  );

  // WebSocket handshakes.
  const upgrade = (
    name: string,
    httpStatus: number,
    headers: (t: WebTarget) => Record<string, string>,
    path = STREAM_PATH,
    code: ErrorCode = 'INVALID_INPUT',
  ): void => {
    list.push({
      name: `a stream socket ${name}`,
      layer: 'transport',
      code,
      status: httpStatus,
      send: (t) => refusedUpgrade(t, path, headers(t)),
    });
  };
  const browserWs = (t: WebTarget): Record<string, string> => {
    const { Host: _host, ...rest } = t.browserHeaders();
    return rest;
  };
  upgrade('with no token', 401, (t) => ({ Origin: `http://${own(t)}` }));
  upgrade('with a wrong token', 401, (t) => ({
    ...browserWs(t),
    Cookie: `berth_token_${t.server.port}=${'A'.repeat(43)}`,
  }));
  upgrade('with Host evil.example', 403, (t) => ({ ...browserWs(t), Host: 'evil.example' }));
  upgrade('from a cross-site Origin', 403, (t) => ({ ...browserWs(t), Origin: 'http://evil.example' }));
  upgrade('with no Origin', 403, (t) => ({ Cookie: t.cookie }));
  upgrade('to another path', 404, (t) => browserWs(t), '/api/streams', 'NOT_FOUND');
  upgrade('with the token in the address', 401, (t) => ({ Origin: `http://${own(t)}` }), `${STREAM_PATH}?token=x`);

  // Messages on an open stream socket.
  const message = (
    name: string,
    code: ErrorCode,
    frames: (sid: string) => Array<string | Buffer>,
    replySid: 'sid' | null,
    text?: RegExp,
  ): void => {
    list.push({
      name: `a stream message: ${name}`,
      layer: 'transport',
      code,
      ...(text && { message: text }),
      send: (t) =>
        withStream(t, (ws) => {
          const sid = nextSid();
          return streamError(ws, replySid === 'sid' ? sid : null, frames(sid));
        }),
    });
  };
  message(
    'a subscription to an unknown stream',
    'NOT_FOUND',
    (sid) => [
      JSON.stringify({ op: 'subscribe', sid, stream: 'exec', params: { id: 'berth-hostile-never', cmd: ['sh'] } }),
    ],
    'sid',
    /No such stream/,
  );
  message(
    'a subscription to a stream named __proto__',
    'NOT_FOUND',
    (sid) => [JSON.stringify({ op: 'subscribe', sid, stream: '__proto__', params: {} })],
    'sid',
    /No such stream/,
  );
  message('malformed JSON', 'INVALID_INPUT', () => ['{"op":"subscribe",'], null, /not valid JSON/);
  message('a binary frame', 'INVALID_INPUT', () => [Buffer.from('{"op":"subscribe"}')], null, /JSON text/);
  message('JSON null', 'INVALID_INPUT', () => ['null'], null);
  message('an unknown op', 'INVALID_INPUT', (sid) => [JSON.stringify({ op: 'exec', sid })], 'sid');
  message(
    'a sid with a slash',
    'INVALID_INPUT',
    () => [JSON.stringify({ op: 'subscribe', sid: '../x', stream: 'engine', params: {} })],
    null,
  );
  message(
    'an extra field',
    'INVALID_INPUT',
    (sid) => [JSON.stringify({ op: 'subscribe', sid, stream: 'engine', params: {}, admin: true })],
    'sid',
  );
  message(
    'a sid already in use',
    'CONFLICT',
    (sid) => [
      JSON.stringify({ op: 'subscribe', sid, stream: 'engine', params: {} }),
      JSON.stringify({ op: 'subscribe', sid, stream: 'engine', params: {} }),
    ],
    'sid',
    /already exists/,
  );
  list.push({
    name: `a stream message: subscription number ${MAX_SUBSCRIPTIONS + 1} on one socket`,
    layer: 'transport',
    code: 'CONFLICT',
    message: /Too many open subscriptions/,
    send: (t) =>
      withStream(t, (ws) => {
        const sids = Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, () => nextSid());
        const frames = sids.map((sid) => JSON.stringify({ op: 'subscribe', sid, stream: 'engine', params: {} }));
        return streamError(ws, sids.at(-1)!, frames);
      }),
  });
  return list;
}

export const HOSTILE_WEB_CASES: readonly WebCase[] = [...HOSTILE_CASES.map(tableCase), ...transportCases()];

// ───────────────────────────── Checks ─────────────────────────────

/** Code, message, fix (and, for table cases, the field named and nothing secret shown). */
export function checkReceived(c: WebCase, received: Received): string[] {
  if (!received.error) return [`no error came back: ${received.other ?? '(nothing)'}`];
  const problems: string[] = [];
  if (c.status !== undefined && received.status !== c.status)
    problems.push(`HTTP ${received.status}, expected ${c.status}`);
  const error = BerthError.fromShape(received.error);
  if (c.table) {
    problems.push(...checkHostileError(c.table, error));
  } else {
    if (error.code !== c.code) problems.push(`code ${error.code}, expected ${c.code} (${error.message})`);
    if (!error.message.trim()) problems.push('empty message');
    if (!error.fix?.trim()) problems.push(`no fix (${error.message})`);
    if (/\n\s+at /.test(JSON.stringify(received.error))) problems.push('the error carries a stack trace');
  }
  if (c.message && !c.message.test(error.message))
    problems.push(`message ${JSON.stringify(error.message)} is not ${c.message}`);
  return problems;
}

/** The server still answers a signed-in call, and the engine behind it is connected. */
export async function checkAlive(t: WebTarget): Promise<string[]> {
  try {
    const reply = await send(t.server.port, '/api/call/engine.status', {
      method: 'POST',
      headers: { ...t.browserHeaders(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    const body = parseJson(reply.body) as { ok?: boolean; value?: { state?: string } };
    if (reply.status !== 200 || body.ok !== true)
      return [`the server answered ${reply.status}: ${reply.body.slice(0, 200)}`];
    if (body.value?.state !== 'connected') return [`the engine is ${body.value?.state}`];
    return [];
  } catch (error) {
    return [`the server did not answer: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** The connection's own health checks, the only requests a table case may cause. */
const isPing = isHealthCheck;
/** Reading the engine's events (the `engine` stream) changes nothing; any other method might. */
const isReadOnly = (line: string): boolean => /^(GET|HEAD) /.test(line);

/** What `docker ps -a`, `docker images` and `docker volume ls` show, in a stable form. */
export async function engineState(): Promise<string> {
  const [containers, images, volumes] = await Promise.all([
    docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.Image}} {{.State}}'),
    docker('images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'),
    docker('volume', 'ls', '--format', '{{.Name}}'),
  ]);
  const sorted = (text: string): string => text.split('\n').filter(Boolean).sort().join('\n');
  return `containers:\n${sorted(containers)}\nimages:\n${sorted(images)}\nvolumes:\n${sorted(volumes)}`;
}

export interface CaseOutcome {
  problems: string[];
  /** Requests Berth sent dockerd during the case, health checks left out. */
  sent: string[];
}

/** Runs one case and every check but the engine state (which the caller compares). */
export async function runWebCase(t: WebTarget, c: WebCase): Promise<CaseOutcome> {
  const sentBefore = t.proxy.requests.length;
  let problems: string[];
  try {
    problems = checkReceived(c, await c.send(t));
  } catch (error) {
    problems = [`the case failed to run: ${error instanceof Error ? error.message : String(error)}`];
  }
  problems.push(...(await checkAlive(t)));
  if (t.heard.length > 0) problems.push(`the local listener was called ${t.heard.length} times`);
  if (t.opened.length > 0) problems.push(`Berth opened ${t.opened.join(', ')}`);
  const sent = t.proxy.requests.slice(sentBefore).filter((line) => !isPing(line));
  // Table cases are refused before the engine; transport cases may only read (the engine stream).
  const forbidden = c.layer === 'table' ? sent : sent.filter((line) => !isReadOnly(line));
  if (forbidden.length > 0) problems.push(`Berth sent dockerd: ${forbidden.join('; ')}`);
  return { problems, sent };
}

const STATE_CHANGED = 'the engine state changed';

export interface HostileWebSummary {
  /** Cases run through the web server, table and transport together. */
  cases: number;
  passed: number;
  tableCases: number;
  transportCases: number;
  failures: Array<{ name: string; problems: string[] }>;
  /** No case changed `docker ps -a`, `docker images` or `docker volume ls` through Berth. */
  engineUnchanged: boolean;
  /** Those three read exactly the same after the suite as before it (false also if another process changed them). */
  engineSameAtEnd: boolean;
  /** Cases during which the engine changed while Berth sent it nothing (another process sharing dockerd). */
  outsideChanges: string[];
  durationMs: number;
}

/**
 * The whole suite, for bench/ and the command line: starts its own server, runs every case with the
 * engine state compared around each one, and stops the server. Must run under the engine lock.
 */
export async function runHostileWebSuite(): Promise<HostileWebSummary> {
  const started = Date.now();
  const t = await startHostileWebTarget();
  const failures: HostileWebSummary['failures'] = [];
  const outsideChanges: string[] = [];
  let firstState = '';
  let lastState = '';
  try {
    firstState = await engineState();
    let state = firstState;
    for (const c of HOSTILE_WEB_CASES) {
      const outcome = await runWebCase(t, c);
      const after = await engineState();
      if (after !== state) {
        if (outcome.sent.some((line) => !isReadOnly(line))) outcome.problems.push(STATE_CHANGED);
        else outsideChanges.push(c.name);
      }
      state = after;
      if (outcome.problems.length > 0) failures.push({ name: c.name, problems: outcome.problems });
    }
    lastState = state;
  } finally {
    await t.close();
  }
  return {
    cases: HOSTILE_WEB_CASES.length,
    passed: HOSTILE_WEB_CASES.length - failures.length,
    tableCases: HOSTILE_WEB_CASES.filter((c) => c.layer === 'table').length,
    transportCases: HOSTILE_WEB_CASES.filter((c) => c.layer === 'transport').length,
    failures,
    engineUnchanged: !failures.some((f) => f.problems.includes(STATE_CHANGED)),
    engineSameAtEnd: firstState === lastState,
    outsideChanges,
    durationMs: Date.now() - started,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runHostileWebSuite().then(
    (summary) => {
      console.log(JSON.stringify(summary, null, 2));
      process.exit(summary.passed === summary.cases ? 0 : 1);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}

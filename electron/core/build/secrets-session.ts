/**
 * BuildKit secrets (issue 9, hole 6): a build arg's value stays in the image history, a BuildKit secret
 * does not. The engine takes secrets only through a BuildKit session: the client opens `POST /session`
 * (upgraded to h2c) and serves gRPC on that connection; the build names the session (`session=<id>`) and
 * the engine calls `moby.buildkit.secrets.v1.Secrets/GetSecret` for each `RUN --mount=type=secret,id=X`.
 *
 * Here: the gRPC framing and the handler (pure, unit-tested) and the session over a hijacked engine
 * connection. The values live only in this module's closure: never logged, never put in an error.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { Socket } from 'node:net';
import type Dockerode from 'dockerode';
import protobuf from 'protobufjs';
import { BerthError } from '../../contract';

export const GET_SECRET = '/moby.buildkit.secrets.v1.Secrets/GetSecret';
/** The engine checks the session's health every second or so and drops it after two failures. */
export const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
/** The gRPC methods the session serves: sent to the engine in X-Docker-Expose-Session-Grpc-Method. */
export const SESSION_METHODS = [GET_SECRET, HEALTH_CHECK] as const;

/** gRPC status codes used here (grpc/codes). */
export const GrpcStatus = { OK: 0, INVALID_ARGUMENT: 3, NOT_FOUND: 5, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

/** How long the engine may take to accept the session before the build is refused (generous: a busy engine). */
export const SESSION_OPEN_TIMEOUT_MS = 30_000;
/** A gRPC request bigger than this is refused: the engine's requests are a few bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

const root = new protobuf.Root();
const GetSecretRequest = new protobuf.Type('GetSecretRequest')
  .add(new protobuf.Field('ID', 1, 'string'))
  .add(new protobuf.MapField('annotations', 2, 'string', 'string'));
const GetSecretResponse = new protobuf.Type('GetSecretResponse').add(new protobuf.Field('data', 1, 'bytes'));
const HealthCheckResponse = new protobuf.Type('HealthCheckResponse').add(new protobuf.Field('status', 1, 'int32'));
root.add(GetSecretRequest).add(GetSecretResponse).add(HealthCheckResponse);
const SERVING = 1;

// ───────────────────────────── gRPC framing ─────────────────────────────

/** One length-prefixed gRPC message: 1 byte "compressed" flag (0), 4 bytes big-endian length, the message. */
export function frameMessage(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** The messages in a request body; throws on a compressed or truncated frame (no compression is offered). */
export function unframeMessages(body: Uint8Array): Buffer[] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const messages: Buffer[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < 5) throw new Error('truncated gRPC frame header');
    if (buffer.readUInt8(offset) !== 0) throw new Error('compressed gRPC messages are not accepted');
    const length = buffer.readUInt32BE(offset + 1);
    if (buffer.length - offset - 5 < length) throw new Error('truncated gRPC message');
    messages.push(buffer.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  return messages;
}

// ───────────────────────────── the handler ─────────────────────────────

export interface GrpcReply {
  status: number;
  /** The framed response body (only with status OK). */
  body?: Buffer;
  /** Why not OK; never holds a secret value. */
  message?: string;
}

/** What the session answers to one unary call: GetSecret for exactly the given ids, health, nothing else. */
export function handleCall(method: string, body: Uint8Array, secrets: ReadonlyMap<string, Uint8Array>): GrpcReply {
  if (method === HEALTH_CHECK) {
    return { status: GrpcStatus.OK, body: frameMessage(HealthCheckResponse.encode({ status: SERVING }).finish()) };
  }
  if (method !== GET_SECRET) return { status: GrpcStatus.UNIMPLEMENTED, message: `unknown method ${method}` };
  let id: string;
  try {
    const messages = unframeMessages(body);
    if (messages.length !== 1) throw new Error(`expected one request message, got ${messages.length}`);
    id = (GetSecretRequest.decode(messages[0]!) as unknown as { ID: string }).ID;
  } catch (error) {
    return { status: GrpcStatus.INVALID_ARGUMENT, message: `bad GetSecret request: ${(error as Error).message}` };
  }
  const value = secrets.get(id);
  // The message names the id only (the engine shows it in the build error), never a value.
  if (value === undefined) return { status: GrpcStatus.NOT_FOUND, message: `secret ${id} not found` };
  return { status: GrpcStatus.OK, body: frameMessage(GetSecretResponse.encode({ data: value }).finish()) };
}

/** Serves the handler as gRPC on an HTTP/2 server session (each call: headers, one framed message, trailers). */
export function serveGrpc(session: http2.ServerHttp2Session, secrets: ReadonlyMap<string, Uint8Array>): void {
  session.on('stream', (stream, headers) => {
    const method = String(headers[':path'] ?? '');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('error', () => {}); // a call the engine drops ends with the stream; nothing to report
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (stream.destroyed || stream.closed) return;
      const reply = handleCall(method, Buffer.concat(chunks), secrets);
      if (reply.status !== GrpcStatus.OK || !reply.body) {
        // Trailers-only response: the status rides in the headers.
        stream.respond(
          {
            ':status': 200,
            'content-type': 'application/grpc',
            'grpc-status': String(reply.status),
            'grpc-message': encodeURIComponent(reply.message ?? ''),
          },
          { endStream: true },
        );
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(GrpcStatus.OK) }));
      stream.end(reply.body);
    });
  });
}

// ───────────────────────────── the session ─────────────────────────────

export interface SecretsSession {
  /** Goes in the build request as `session=<id>`. */
  readonly id: string;
  /** Ends the session and its connection; safe to call more than once. */
  close(): Promise<void>;
}

interface ModemFields {
  socketPath?: string | (() => string | Promise<string>);
  host?: string;
  port?: number | string;
  protocol?: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
}

/** The `POST /session` request on the engine dockerode talks to (unix socket, http or https; not ssh). */
async function sessionRequest(docker: Dockerode, headers: http.OutgoingHttpHeaders): Promise<http.ClientRequest> {
  const modem = docker.modem as unknown as ModemFields;
  const options: https.RequestOptions = { method: 'POST', path: '/session', headers };
  if (modem.socketPath) {
    options.socketPath = typeof modem.socketPath === 'function' ? await modem.socketPath() : modem.socketPath;
    return http.request(options);
  }
  if (modem.protocol === 'http' || modem.protocol === 'https') {
    Object.assign(options, { host: modem.host, port: modem.port });
    if (modem.protocol === 'http') return http.request(options);
    Object.assign(options, { ca: modem.ca, cert: modem.cert, key: modem.key });
    return https.request(options);
  }
  throw new BerthError(
    'UNSUPPORTED',
    `BuildKit secrets cannot be passed over a ${modem.protocol ?? 'this'} engine connection.`,
    'Connect to the engine over its unix socket or TCP (DOCKER_HOST=unix://... or tcp://...), or pass the value another way.',
  );
}

/**
 * Opens a BuildKit session on the engine that serves the given secrets; resolves once the engine has
 * switched the connection to HTTP/2 (so a build naming the session finds it).
 */
export async function openSecretsSession(
  docker: Dockerode,
  secrets: ReadonlyArray<{ id: string; value: string }>,
  signal?: AbortSignal,
): Promise<SecretsSession> {
  const values = new Map(secrets.map((s) => [s.id, Buffer.from(s.value, 'utf8')]));
  const id = randomUUID();
  const request = await sessionRequest(docker, {
    Connection: 'Upgrade',
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': 'berth',
    'X-Docker-Expose-Session-Sharedkey': id,
    'X-Docker-Expose-Session-Grpc-Method': [...SESSION_METHODS],
  });
  const socket = await new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(
        new BerthError(
          'ENGINE_UNREACHABLE',
          'The engine did not accept the BuildKit session for the secrets in time.',
          'Check that the engine is running and retry the build.',
        ),
      );
    }, SESSION_OPEN_TIMEOUT_MS);
    const onAbort = () => {
      request.destroy();
      reject(new BerthError('CANCELLED', 'The build was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    request.on('upgrade', (_response, upgraded: Socket, head: Buffer) => {
      settle();
      if (head.length > 0) upgraded.unshift(head);
      resolve(upgraded);
    });
    request.on('response', (response) => {
      settle();
      response.resume();
      reject(
        new BerthError(
          'BUILD_FAILED',
          `The engine refused the BuildKit session for the secrets (HTTP ${response.statusCode}).`,
          'Build with an engine whose BuildKit accepts sessions (Docker 18.09 or later), or pass the value another way.',
        ),
      );
    });
    request.on('error', (error) => {
      settle();
      reject(error);
    });
    request.end();
  });
  const server = http2.createServer();
  let session: http2.ServerHttp2Session | null = null;
  server.on('session', (s) => {
    session = s;
    s.on('error', () => {}); // the engine closing its side ends the session; the build reports any failure
    serveGrpc(s, values);
  });
  server.emit('connection', socket);
  let closed: Promise<void> | null = null;
  return {
    id,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        const done = () => {
          values.clear();
          socket.destroy();
          resolve();
        };
        if (!session || session.destroyed) return done();
        session.close(done);
        // The engine may keep its side open: do not wait for it long.
        setTimeout(() => {
          session?.destroy();
          done();
        }, 1000).unref();
      });
      return closed;
    },
  };
}

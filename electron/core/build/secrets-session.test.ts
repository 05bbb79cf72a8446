import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import protobuf from 'protobufjs';
import { BuildRequest, MASKED } from '../../contract';
import { maskedRequest, maskValuesInModel } from './secret-mask';
import {
  frameMessage,
  GET_SECRET,
  GrpcStatus,
  HEALTH_CHECK,
  handleCall,
  openSecretsSession,
  serveGrpc,
  unframeMessages,
} from './secrets-session';

// The engine's side of the wire, written independently of the module under test.
const Request = new protobuf.Type('GetSecretRequest')
  .add(new protobuf.Field('ID', 1, 'string'))
  .add(new protobuf.MapField('annotations', 2, 'string', 'string'));
const Response = new protobuf.Type('GetSecretResponse').add(new protobuf.Field('data', 1, 'bytes'));
new protobuf.Root().add(Request).add(Response);
const ask = (id: string) => frameMessage(Request.encode({ ID: id, annotations: { a: 'b' } }).finish());
const secrets = new Map([['tok', Buffer.from('v4lue-of-tok')]]);

describe('gRPC framing', () => {
  it('is a zero flag, a big-endian length and the message, and reads back', () => {
    const frame = frameMessage(Buffer.from('abc'));
    expect([...frame]).toEqual([0, 0, 0, 0, 3, 97, 98, 99]);
    const two = Buffer.concat([frame, frameMessage(Buffer.alloc(0))]);
    expect(unframeMessages(two).map((m) => m.toString())).toEqual(['abc', '']);
  });

  it('refuses truncated and compressed frames', () => {
    expect(() => unframeMessages(Buffer.from([0, 0, 0]))).toThrow(/truncated/);
    expect(() => unframeMessages(Buffer.from([0, 0, 0, 0, 9, 1]))).toThrow(/truncated/);
    expect(() => unframeMessages(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
  });
});

describe('the session handler', () => {
  it('answers GetSecret with the value of exactly the given ids', () => {
    const reply = handleCall(GET_SECRET, ask('tok'), secrets);
    expect(reply.status).toBe(GrpcStatus.OK);
    const [message] = unframeMessages(reply.body!);
    expect(Buffer.from((Response.decode(message!) as unknown as { data: Uint8Array }).data).toString()).toBe(
      'v4lue-of-tok',
    );
  });

  it('answers NotFound for an unknown id, naming the id and no value', () => {
    const reply = handleCall(GET_SECRET, ask('other'), secrets);
    expect(reply).toEqual({ status: GrpcStatus.NOT_FOUND, message: 'secret other not found' });
  });

  it('refuses a malformed request and an unknown method, and answers health as SERVING', () => {
    expect(handleCall(GET_SECRET, Buffer.from([0, 0, 0]), secrets).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(handleCall(GET_SECRET, Buffer.concat([ask('tok'), ask('tok')]), secrets).status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
    expect(handleCall('/moby.filesync.v1.Auth/Credentials', Buffer.alloc(0), secrets).status).toBe(
      GrpcStatus.UNIMPLEMENTED,
    );
    const health = handleCall(HEALTH_CHECK, frameMessage(Buffer.alloc(0)), secrets);
    expect([...unframeMessages(health.body!)[0]!]).toEqual([0x08, 0x01]);
  });
});

describe('gRPC served over HTTP/2 on a plain socket (as on the hijacked engine connection)', () => {
  it('sends the message and grpc-status in trailers, or a trailers-only NotFound', async () => {
    const server = net.createServer((socket) => {
      const h2 = http2.createServer();
      h2.on('session', (session) => serveGrpc(session, secrets));
      h2.emit('connection', socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = http2.connect(`http://127.0.0.1:${port}`);
    const call = (id: string) =>
      new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          const stream = client.request({ ':method': 'POST', ':path': GET_SECRET, 'content-type': 'application/grpc' });
          const chunks: Buffer[] = [];
          let headers: http2.IncomingHttpHeaders = {};
          let trailers: http2.IncomingHttpHeaders = {};
          stream.on('response', (h) => (headers = h));
          stream.on('trailers', (t) => (trailers = t));
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve({ headers, trailers, body: Buffer.concat(chunks) }));
          stream.on('error', reject);
          stream.end(ask(id));
        },
      );
    try {
      const found = await call('tok');
      expect(found.headers['content-type']).toBe('application/grpc');
      expect(found.trailers['grpc-status']).toBe('0');
      expect(unframeMessages(found.body)).toHaveLength(1);
      const missing = await call('nope');
      expect(missing.headers['grpc-status']).toBe(String(GrpcStatus.NOT_FOUND));
      expect(missing.body.length).toBe(0);
    } finally {
      client.close();
      server.close();
    }
  });
});

describe('secrets in the build request', () => {
  const base = { contextDir: '/x', buildArgs: { NODE_IMAGE: 'node' } };

  it('are validated: id pattern, size, duplicates, build-arg clashes, legacy builder', () => {
    const issues = (input: object) =>
      BuildRequest.safeParse({ ...base, ...input }).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ secrets: [{ id: 'tok', value: 'v' }] })).toEqual([]);
    expect(issues({ secrets: [{ id: '1bad/id', value: 'v' }] })).toEqual(['secrets.0.id']);
    expect(issues({ secrets: [{ id: 'tok', value: '' }] })).toEqual(['secrets.0.value']);
    expect(issues({ secrets: [{ id: 'tok', value: 'x'.repeat(64 * 1024 + 1) }] })).toEqual(['secrets.0.value']);
    expect(
      issues({
        secrets: [
          { id: 't', value: 'a' },
          { id: 't', value: 'b' },
        ],
      }),
    ).toEqual(['secrets.1.id']);
    expect(issues({ secrets: [{ id: 'NODE_IMAGE', value: 'v' }] })).toEqual(['secrets.0.id']);
    expect(issues({ builder: 'legacy', secrets: [{ id: 'tok', value: 'v' }] })).toEqual(['builder']);
  });

  it('show in the model by id only, and their values are masked in every text', () => {
    const request = BuildRequest.parse({ ...base, secrets: [{ id: 'tok', value: 'v4lue-of-tok' }] });
    expect(maskedRequest(request).secrets).toEqual([{ id: 'tok', value: MASKED }]);
    const model = {
      ...{ buildId: 'b', request: maskedRequest(request), builder: 'buildkit' as const, state: 'failed' as const },
      ...{ context: null, startedAt: 1, endedAt: 2, imageId: null },
      steps: [],
      warnings: ['saw v4lue-of-tok here'],
      failure: { code: 'BUILD_FAILED' as const, message: 'v4lue-of-tok!', stepId: null, exitCode: 1 },
    };
    const masked = maskValuesInModel(model, [{ value: 'v4lue-of-tok' }]);
    expect(JSON.stringify(masked)).not.toContain('v4lue-of-tok');
    expect(masked.warnings).toEqual([`saw ${MASKED} here`]);
  });
});

describe('openSecretsSession', () => {
  it('asks for an h2c session with its id and methods, serves it, and closes its connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-session-'));
    const socketPath = join(dir, 'engine.sock');
    let seen: http.IncomingHttpHeaders = {};
    let engineSide: net.Socket | null = null;
    // A stand-in for the engine's /session endpoint: switch protocols, then act as the gRPC client.
    const server = http.createServer();
    server.on('upgrade', (request, socket) => {
      seen = request.headers;
      engineSide = socket as net.Socket;
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const session = await openSecretsSession(new Dockerode({ socketPath }), [{ id: 'tok', value: 'v4lue-of-tok' }]);
      expect(seen.upgrade).toBe('h2c');
      expect(seen['x-docker-expose-session-uuid']).toBe(session.id);
      expect(seen['x-docker-expose-session-grpc-method']).toContain(GET_SECRET);
      const client = http2.connect('http://engine', { createConnection: () => engineSide! });
      const body = await new Promise<Buffer>((resolve, reject) => {
        const stream = client.request({ ':method': 'POST', ':path': GET_SECRET, 'content-type': 'application/grpc' });
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
        stream.end(ask('tok'));
      });
      const data = (Response.decode(unframeMessages(body)[0]!) as unknown as { data: Uint8Array }).data;
      expect(Buffer.from(data).toString()).toBe('v4lue-of-tok');
      const closed = new Promise<void>((resolve) => engineSide!.once('close', () => resolve()));
      await session.close();
      await closed; // the engine sees the connection end: no socket is left open
      client.destroy();
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

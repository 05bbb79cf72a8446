/**
 * Backpressure against the real engine, in web mode: a container prints many numbered lines while a
 * WebSocket client that does not read holds up the log stream. What Berth reads from the engine (counted
 * by a unix-socket proxy in front of the engine's socket) must stay within a named bound of what the
 * client has taken, both while the client reads nothing at all and while it then reads slowly, and the
 * client must still receive every line once, in order.
 *
 * The WebSocket runs over a unix socket so the kernel's share of the bound is a fixed send buffer (see
 * stream-backpressure.test.ts); everything else is the production path: createBackend's router, the
 * logs handler, readLogs on the engine, serveStreams and SocketOutbox with their default limits.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { docker, EngineLitter, uniqueName } from '../../test/engine-harness';
import { type Backend, createBackend } from '../api/backend';
import { lineNumber, numberedLine } from '../api/test/numbered-log-backend';
import type { LogStreamEvent, ServerMessage } from '../contract';
import { Engine } from '../core/engine';
import { DEFAULT_BATCH_LIMITS } from '../core/logs';
import { MemorySecretStore } from '../core/registry';
import { DEFAULT_OUTBOX_LIMITS } from './socket-outbox';
import { serveStreams } from './stream-socket';

const image = inject('nodeImage');
const LINES = 100_000; // the logs stream's largest tail, so the whole history comes whenever we subscribe
const WIDTH = 300;
/**
 * A follow always asks the engine for timestamps (they are how a resumed follow finds its place), so each
 * frame carries one: RFC 3339 with nanoseconds at fixed width, and a space.
 */
const TIMESTAMP_BYTES = '2006-01-02T15:04:05.000000000Z '.length;
const FRAME_BYTES = 8 + TIMESTAMP_BYTES + WIDTH + 1;
/** How long the slow client stays paused after each message. */
const CLIENT_PAUSE_MS = 1;
/** Generous: printing and reading ~30 MB normally takes seconds, even on a loaded machine. */
const DEADLINE_MS = 100_000;
/** What the kernel holds on one unix socket connection: its send buffer. */
const UNIX_SOCKET_BYTES = Number(readFileSync('/proc/sys/net/core/wmem_default', 'utf8').trim());
/** One read from a socket. */
const READ_BYTES = 64 * 1024;
const LABEL = `berth.test=${uniqueName('backpressure')}`;
/**
 * The engine sends log frames as HTTP chunks (its size in hex, CRLF, the data, CRLF), one frame per chunk
 * or several coalesced. So all the lines together carry at most this much chunk framing on the wire.
 */
const WIRE_BYTES_PER_LINE = FRAME_BYTES + FRAME_BYTES.toString(16).length + 4;
const CHUNK_FRAMING_BYTES = LINES * (WIRE_BYTES_PER_LINE - FRAME_BYTES);

/**
 * The most Berth may have read from the engine beyond what the client has taken: the proxy's pipe and
 * the socket to dockerode, the response stream, the batcher's two batches (in flight and filling, each
 * at most a full batch plus one read), the outbox up to its high-water mark plus the message that
 * crossed it (JSON, so larger than its frames), the socket to the client and one read by it, and the
 * HTTP chunk headers.
 */
const batchBytes = DEFAULT_BATCH_LIMITS.maxLines * FRAME_BYTES + READ_BYTES;
const BOUND =
  2 * READ_BYTES + // the proxy: one read in hand, its writable buffer
  UNIX_SOCKET_BYTES + // proxy → dockerode
  2 * READ_BYTES + // dockerode's response: one read, the stream's buffer
  2 * batchBytes +
  DEFAULT_OUTBOX_LIMITS.highWaterBytes +
  2 * batchBytes + // the message that crossed the high-water mark, as JSON
  UNIX_SOCKET_BYTES + // server → client
  READ_BYTES + // the client's last read
  64 * 1024 + // HTTP headers, and the other requests that share the logs connection
  CHUNK_FRAMING_BYTES; // counted on the wire, not in what the client takes

/**
 * A unix-socket proxy in front of the engine that counts the bytes of log responses read through it, in all
 * and per logs request (HTTP/1.1 answers one request before the next is sent on a connection).
 */
async function countingProxy(
  path: string,
): Promise<{ server: Server; logBytes(): number; perRequest: number[]; onRead: (() => void) | undefined }> {
  let logBytes = 0;
  const perRequest: number[] = [];
  const server = createServer((client) => {
    const upstream = connect('/var/run/docker.sock');
    let request = -1; // this connection's current logs request, as an index into perRequest
    client.on('data', (chunk: Buffer) => {
      if (/^GET \S*\/containers\/\S+\/logs\?/m.test(chunk.toString('latin1'))) {
        request = perRequest.length;
        perRequest.push(0);
      } else if (/^[A-Z]+ \S+ HTTP\/1\.1/m.test(chunk.toString('latin1'))) {
        request = -1;
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (request < 0) return;
      logBytes += chunk.length;
      perRequest[request] = (perRequest[request] ?? 0) + chunk.length;
      counting.onRead?.();
    });
    for (const s of [client, upstream]) s.on('error', () => undefined);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const counting = {
    server,
    logBytes: () => logBytes,
    perRequest,
    onRead: undefined as (() => void) | undefined,
  };
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return counting;
}

const litter = new EngineLitter();
let dir = '';
let proxy: Server | undefined;
let http: HttpServer | undefined;
let wss: WebSocketServer | undefined;
let backend: Backend | undefined;

afterAll(async () => {
  for (const client of wss?.clients ?? []) client.terminate();
  wss?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  await backend?.close();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await litter.cleanup();
  const left = await docker('ps', '-aq', '--filter', `label=${LABEL}`);
  if (left) await docker('rm', '-f', '-v', ...left.split('\n'));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('web mode backpressure against the engine', () => {
  it(
    'a client that reads nothing, then slowly, keeps what is read from the engine bounded and gets every line in order',
    async () => {
      expect(LINES * FRAME_BYTES).toBeGreaterThan(5 * BOUND); // the bound means something
      dir = mkdtempSync(join(tmpdir(), 'berth-bp-engine-'));
      const counting = await countingProxy(join(dir, 'engine.sock'));
      proxy = counting.server;
      backend = createBackend({
        dataDir: dir,
        secretStore: new MemorySecretStore(),
        projectDir: dir,
        engine: new Engine({ env: { DOCKER_HOST: `unix://${join(dir, 'engine.sock')}` } }),
      });
      const router = backend.router;
      http = createHttpServer();
      wss = new WebSocketServer({ server: http });
      wss.on('connection', (ws) => serveStreams(ws, router));
      const webSocket = join(dir, 'web.sock');
      await new Promise<void>((resolve) => http?.listen(webSocket, resolve));

      const name = litter.container(uniqueName('backpressure'));
      const script = `const W=${WIDTH},N=${LINES};let i=1;const w=()=>{while(i<=N){const ok=process.stdout.write(('line '+String(i).padStart(9,'0')+' ').padEnd(W,'x')+'\\n');i++;if(!ok)return void process.stdout.once('drain',w);}};w();`;
      expect(numberedLine(7, WIDTH)).toBe(`line 000000007 `.padEnd(WIDTH, 'x')); // the script's format
      await docker('run', '-d', '--label', LABEL, '--name', name, image, 'node', '-e', script);

      let taken = 0; // frame bytes of the lines the client has taken
      let maxAhead = 0;
      let expected = 1;
      const outOfOrder: string[] = [];
      const client = new WebSocket(`ws+unix://${webSocket}:/api/stream`);
      counting.onRead = () => {
        maxAhead = Math.max(maxAhead, counting.logBytes() - taken);
      };
      let onMessage: (data: unknown) => void = () => {};
      client.on('message', (data) => onMessage(data));
      await new Promise<void>((resolve, reject) => {
        client.once('open', resolve);
        client.once('error', reject);
      });
      client.pause(); // reads nothing until the container is done printing
      client.send(
        JSON.stringify({ op: 'subscribe', sid: 's1', stream: 'logs', params: { id: name, tail: LINES, follow: true } }),
      );
      let timer: NodeJS.Timeout | undefined;
      const ended = new Promise<ServerMessage>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no end within ${DEADLINE_MS} ms`)), DEADLINE_MS);
        client.once('error', reject);
        onMessage = (data) => {
          const message = JSON.parse(String(data)) as ServerMessage;
          if (!('event' in message)) return resolve(message);
          const event = message.event as LogStreamEvent;
          if (event.kind === 'batch') {
            for (const text of event.text) {
              if (lineNumber(text) !== expected && outOfOrder.length < 10) {
                outOfOrder.push(`${expected}: ${text.slice(0, 14)}`);
              }
              expected += 1;
              taken += FRAME_BYTES;
            }
          }
          client.pause();
          setTimeout(() => client.resume(), CLIENT_PAUSE_MS);
        };
      });

      await docker('wait', name);
      const readWhilePaused = counting.logBytes();
      expect(taken).toBe(0);
      expect(readWhilePaused).toBeLessThanOrEqual(BOUND);

      client.resume();
      const last = await ended.finally(() => clearTimeout(timer));
      client.close();
      expect(last).toEqual({ sid: 's1', end: true });
      expect(outOfOrder).toEqual([]);
      expect(expected - 1).toBe(LINES);
      expect(maxAhead).toBeLessThanOrEqual(BOUND);
      expect(counting.logBytes()).toBeGreaterThanOrEqual(LINES * FRAME_BYTES);
      // The follow, then one read from its last line (log-follow.ts: dockerd 20.10 may end a follow early once
      // the container has exited and the reader is behind). Each is within the framing described.
      expect(counting.perRequest).toHaveLength(2);
      for (const bytes of counting.perRequest)
        expect(bytes).toBeLessThanOrEqual(LINES * WIRE_BYTES_PER_LINE + 64 * 1024);
      console.info(
        `engine backpressure: ${counting.logBytes()} bytes read from the engine in all (${counting.perRequest.join(' + ')}); ${readWhilePaused} while the client read nothing; at most ${maxAhead} ahead of the client (bound ${BOUND})`,
      );
    },
    DEADLINE_MS + 30_000,
  );
});

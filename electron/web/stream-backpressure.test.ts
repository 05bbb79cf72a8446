/**
 * Web mode's backpressure, end to end: a real `ws` client that reads slowly (its socket is paused after
 * every message) subscribes to a log stream whose source counts what is read from it. The source must
 * stay within a fixed distance of what the client has taken, the server's socket buffer must stay
 * bounded, and every line must arrive once and in order.
 *
 * The connection runs over a unix socket: the server side (serveStreams, SocketOutbox, ws) is exactly
 * web mode's, but the kernel holds a fixed, small amount (net.core.wmem_default) in between, where
 * loopback TCP autotunes its buffers up to tcp_rmem's maximum (32 MB on some machines) and would make
 * the bound a property of the machine.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { Handlers } from '../api/handler-types';
import { createRouter, type Router } from '../api/router';
import { lineNumber, type NumberedSource, numberedLogRouter, numberedSource } from '../api/test/numbered-log-backend';
import type { LogStreamEvent, ServerMessage } from '../contract';
import type { BatchLimits } from '../core/logs/log-batcher';
import type { OutboxLimits } from './socket-outbox';
import { serveStreams } from './stream-socket';

const LINES = 200_000;
const WIDTH = 100;
const LINES_PER_CHUNK = 512;
const LIMITS: BatchLimits = { intervalMs: 25, maxLines: 500, maxChars: 1 << 30 };
const OUTBOX: OutboxLimits = { highWaterBytes: 256 * 1024, lowWaterBytes: 64 * 1024, maxBufferedBytes: 32 << 20 };
/** How long the slow client stays paused after each message. */
const CLIENT_PAUSE_MS = 1;
/** Generous: the whole stream normally takes a couple of seconds even on a loaded machine. */
const DEADLINE_MS = 90_000;
/** The largest message: one batch (a full one plus the chunk that overfilled it) as JSON. */
const MESSAGE_BYTES = (LIMITS.maxLines + LINES_PER_CHUNK) * (WIDTH + 40);
/** What the kernel holds on one unix socket connection (its send buffer), plus one 64 KB read by the client. */
const SOCKET_BYTES = Number(readFileSync('/proc/sys/net/core/wmem_default', 'utf8').trim()) + 64 * 1024;

let dir = '';
let http: Server | undefined;
let wss: WebSocketServer | undefined;
afterEach(async () => {
  for (const client of wss?.clients ?? []) client.terminate();
  wss?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** serveStreams over a unix socket for `router`; reports what the server's socket holds after each send. */
async function serve(router: Router, onBuffered: (bytes: number) => void, limits = OUTBOX): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'berth-bp-'));
  const socketPath = join(dir, 'web.sock');
  const server = createServer();
  http = server;
  wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    const send = ws.send.bind(ws) as (data: string, cb?: (error?: Error) => void) => void;
    (ws as { send: typeof send }).send = (data, cb) => {
      send(data, cb);
      onBuffered(ws.bufferedAmount);
    };
    serveStreams(ws, router, limits);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return socketPath;
}

/** The most the server may hold beyond what the client has taken, in source bytes. */
function boundFor(source: NumberedSource): number {
  const batchBytes = (LIMITS.maxLines + LINES_PER_CHUNK) * source.frameBytes;
  return (
    2 * source.chunkBytes + // the source stream's buffer and the chunk being split into lines
    2 * batchBytes + // one batch being sent, one filling
    OUTBOX.highWaterBytes +
    MESSAGE_BYTES + // ws's buffer: up to the high-water mark plus the message that crossed it
    SOCKET_BYTES
  );
}

const subscribe = (client: WebSocket) =>
  client.send(JSON.stringify({ op: 'subscribe', sid: 's1', stream: 'logs', params: { id: 'c1' } }));

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${DEADLINE_MS} ms for ${what}`)), DEADLINE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('web mode backpressure', () => {
  it(
    'a slowly reading client holds the source back, the socket buffer stays bounded, and no line is lost or reordered',
    async () => {
      const source = numberedSource({ lines: LINES, width: WIDTH, linesPerChunk: LINES_PER_CHUNK });
      const BOUND = boundFor(source);
      expect(LINES * source.frameBytes).toBeGreaterThan(10 * BOUND); // the bound means something

      let maxServerBuffered = 0;
      const socketPath = await serve(numberedLogRouter(source, LIMITS), (bytes) => {
        maxServerBuffered = Math.max(maxServerBuffered, bytes);
      });

      let taken = 0; // source bytes of the lines the client has taken
      let maxAhead = 0;
      source.onRead = () => {
        maxAhead = Math.max(maxAhead, source.bytesRead - taken);
      };
      let expected = 1;
      const outOfOrder: string[] = [];
      const client = new WebSocket(`ws+unix://${socketPath}:/api/stream`);
      const ended = new Promise<LogStreamEvent | ServerMessage>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no end within ${DEADLINE_MS} ms`)), DEADLINE_MS);
        client.on('open', () =>
          client.send(JSON.stringify({ op: 'subscribe', sid: 's1', stream: 'logs', params: { id: 'c1' } })),
        );
        client.on('error', reject);
        client.on('message', (data) => {
          const message = JSON.parse(String(data)) as ServerMessage;
          if (!('event' in message)) {
            clearTimeout(timer);
            resolve(message);
            return;
          }
          const event = message.event as LogStreamEvent;
          if (event.kind === 'batch') {
            for (const text of event.text) {
              if (lineNumber(text) !== expected && outOfOrder.length < 10)
                outOfOrder.push(`${expected}: ${text.slice(0, 14)}`);
              expected += 1;
              taken += source.frameBytes;
            }
          }
          client.pause();
          setTimeout(() => client.resume(), CLIENT_PAUSE_MS);
        });
      });
      expect(await ended).toEqual({ sid: 's1', end: true });
      client.close();

      expect(outOfOrder).toEqual([]);
      expect(expected - 1).toBe(LINES);
      expect(source.bytesRead).toBe(LINES * source.frameBytes);
      expect(maxAhead).toBeLessThanOrEqual(BOUND);
      expect(maxServerBuffered).toBeLessThanOrEqual(OUTBOX.highWaterBytes + MESSAGE_BYTES);
      console.info(
        `web backpressure: ${LINES * source.frameBytes} bytes read in all, at most ${maxAhead} ahead of the client (bound ${BOUND}); server socket buffer at most ${maxServerBuffered}`,
      );
    },
    DEADLINE_MS + 10_000,
  );

  it('a client that goes away while the server waits for it ends the subscription and closes the source', async () => {
    const source = numberedSource({ lines: LINES, width: WIDTH, linesPerChunk: LINES_PER_CHUNK });
    let full: () => void = () => {};
    const waiting = new Promise<void>((resolve) => {
      full = resolve;
    });
    const socketPath = await serve(numberedLogRouter(source, LIMITS), (bytes) => {
      if (bytes >= OUTBOX.highWaterBytes) full();
    });
    const client = new WebSocket(`ws+unix://${socketPath}:/api/stream`);
    await new Promise<void>((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    client.pause(); // reads nothing: the server's buffer reaches its high-water mark and the handler waits
    subscribe(client);
    const closed = new Promise<void>((resolve) => source.stream.once('close', resolve));
    await withDeadline(waiting, 'the server buffer to fill');
    client.terminate();
    await withDeadline(closed, 'the source to close');
    expect(source.stream.destroyed).toBe(true);
    expect(source.bytesRead).toBeLessThanOrEqual(boundFor(source)); // the client took nothing
  });

  it('a stream that cannot wait, to a client that reads nothing, is cut off at the outbox limit (1013)', async () => {
    const limits: OutboxLimits = { ...OUTBOX, maxBufferedBytes: 2 << 20 };
    const status = {
      state: 'disconnected',
      endpoint: 'unix:///test.sock',
      context: 'default',
      buildkit: false,
    } as const;
    let aborted: () => void = () => {};
    const handlerAborted = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const unsupported = async (): Promise<void> => {
      throw new Error('not in this test');
    };
    // Like the engine stream: it emits as things happen and ignores the transport's readiness.
    const router = createRouter({} as Handlers, {
      engine: (_params, emit, signal) => {
        const burst = (): void => {
          if (signal.aborted) return;
          for (let i = 0; i < 200; i++) emit({ kind: 'status', status });
          setImmediate(burst);
        };
        burst();
        signal.addEventListener('abort', () => aborted(), { once: true });
      },
      logs: unsupported,
      build: unsupported,
      push: unsupported,
      terminal: unsupported,
      pipeline: unsupported,
      watch: unsupported,
      'logs.merged': unsupported,
      'logs.export': unsupported,
      'services.logStream': unsupported,
      azureSignIn: unsupported,
      deploy: unsupported,
      stats: unsupported,
    });
    let maxBuffered = 0;
    const socketPath = await serve(
      router,
      (bytes) => {
        maxBuffered = Math.max(maxBuffered, bytes);
      },
      limits,
    );
    const client = new WebSocket(`ws+unix://${socketPath}:/api/stream`);
    await new Promise<void>((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    let serverClosing: () => void = () => {};
    const closing = new Promise<void>((resolve) => {
      serverClosing = resolve;
    });
    for (const ws of wss?.clients ?? []) {
      const close = ws.close.bind(ws);
      ws.close = (code?: number, reason?: string | Buffer) => {
        serverClosing();
        close(code, reason);
      };
    }
    const closeCode = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    client.pause();
    client.send(JSON.stringify({ op: 'subscribe', sid: 's1', stream: 'engine', params: {} }));
    await withDeadline(closing, 'the server to give up on the client');
    client.resume(); // reads what was buffered, then the close frame
    expect(await withDeadline(closeCode, 'the close frame')).toBe(1013);
    await withDeadline(handlerAborted, 'the subscription to end');
    expect(maxBuffered).toBeLessThanOrEqual(limits.maxBufferedBytes + 1024);
  });
});

/**
 * IPC backpressure, end to end through the real main-side transport and preload logic over the
 * in-memory ipcMain/ipcRenderer: webContents.send never pushes back, so events go out on credit, and a
 * renderer that acknowledges slowly must hold the log source back.
 */
import { createIpcTransport } from '../../renderer/api/ipc-transport';
import { lineNumber, numberedLogRouter, numberedSource } from '../api/test/numbered-log-backend';
import type { LogStreamEvent } from '../contract';
import type { BatchLimits } from '../core/logs/log-batcher';
import { isAppFrame } from './app-origin';
import { ACK_CHANNEL, IPC_STREAM_WINDOW } from './ipc-channels';
import { installIpcTransport } from './ipc-transport';
import { createPreloadApi } from './preload-api';
import { InMemoryIpc } from './test/in-memory-ipc';

const WIDTH = 100;
const LINES_PER_CHUNK = 512;
const LIMITS: BatchLimits = { intervalMs: 25, maxLines: 500, maxChars: 1 << 30 };
/** How long the slow renderer takes before it acknowledges an event. */
const ACK_DELAY_MS = 1;
/** Generous: each stream normally takes a second or two even on a loaded machine. */
const DEADLINE_MS = 90_000;

function setup(lines: number) {
  const source = numberedSource({ lines, width: WIDTH, linesPerChunk: LINES_PER_CHUNK });
  const ipc = new InMemoryIpc();
  const uninstall = installIpcTransport({
    ipcMain: ipc.ipcMain,
    router: numberedLogRouter(source, LIMITS),
    isTrustedSender: isAppFrame,
  });
  const { ipcRenderer, webContents } = ipc.renderer(1, 'app://berth/index.html');
  const batchBytes = (LIMITS.maxLines + LINES_PER_CHUNK) * source.frameBytes;
  /** The most the main process may hold or have in flight beyond what the renderer has taken. */
  const bound =
    2 * source.chunkBytes + // the source stream's buffer and the chunk being split into lines
    2 * batchBytes + // one batch being sent, one filling
    IPC_STREAM_WINDOW * batchBytes; // sent and not yet acknowledged
  return { source, bridge: createPreloadApi(ipcRenderer), ipcRenderer, uninstall, bound, ipc, webContents };
}

/** Checks numbered lines as they come: all of them, once each, in order. */
function lineChecker() {
  let expected = 1;
  const outOfOrder: string[] = [];
  return {
    take(event: LogStreamEvent): number {
      if (event.kind !== 'batch') return 0;
      for (const text of event.text) {
        if (lineNumber(text) !== expected && outOfOrder.length < 10) {
          outOfOrder.push(`${expected}: ${text.slice(0, 14)}`);
        }
        expected += 1;
      }
      return event.text.length;
    },
    get count() {
      return expected - 1;
    },
    outOfOrder,
  };
}

function deadline(what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

describe('IPC backpressure', () => {
  it(
    'a renderer that acknowledges slowly holds the source back, in flight stays within the window, and no line is lost or reordered',
    async () => {
      const LINES = 200_000;
      const { source, bridge, uninstall, bound } = setup(LINES);
      expect(LINES * source.frameBytes).toBeGreaterThan(10 * bound); // the bound means something

      let taken = 0; // source bytes of the lines the renderer has taken
      let maxAhead = 0;
      source.onRead = () => {
        maxAhead = Math.max(maxAhead, source.bytesRead - taken);
      };
      const lines = lineChecker();
      let acked = 0;
      let maxUnacknowledged = 0;
      const limit = deadline('the slowly acknowledged stream');
      const ended = new Promise<void>((resolve, reject) => {
        const id = bridge.subscribe(
          'logs',
          { id: 'c1' },
          (event, seq) => {
            taken += lines.take(event as LogStreamEvent) * source.frameBytes;
            maxUnacknowledged = Math.max(maxUnacknowledged, seq - acked);
            setTimeout(() => {
              acked = Math.max(acked, seq);
              bridge.ack(id, seq);
            }, ACK_DELAY_MS);
          },
          (error) => reject(new Error(JSON.stringify(error))),
          resolve,
        );
      });
      await Promise.race([ended, limit.promise]).finally(limit.clear);
      uninstall();

      expect(lines.outOfOrder).toEqual([]);
      expect(lines.count).toBe(LINES);
      expect(source.bytesRead).toBe(LINES * source.frameBytes);
      expect(maxUnacknowledged).toBeLessThanOrEqual(IPC_STREAM_WINDOW);
      expect(maxAhead).toBeLessThanOrEqual(bound);
      console.info(
        `IPC backpressure: ${source.bytesRead} bytes read in all, at most ${maxAhead} ahead of the renderer (bound ${bound}); at most ${maxUnacknowledged} events unacknowledged`,
      );
    },
    DEADLINE_MS + 10_000,
  );

  it('a renderer that never acknowledges gets only the window, the source stops, and leaving closes it', async () => {
    const { source, bridge, ipcRenderer, uninstall, bound } = setup(200_000);
    const received: number[] = [];
    let onReceived = (): void => {};
    let sid = '';
    const window = new Promise<void>((resolve) => {
      sid = bridge.subscribe('logs', { id: 'c1' }, (_event, seq) => {
        received.push(seq);
        onReceived();
        if (received.length === IPC_STREAM_WINDOW) resolve();
      });
    });
    const limit = deadline('the first window');
    await Promise.race([window, limit.promise]).finally(limit.clear);
    // The main process answered "wait" with the window full: the handler is parked on that promise, so a
    // macrotask later (every pending microtask, IPC delivery included, has run) nothing more has come.
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(Array.from({ length: IPC_STREAM_WINDOW }, (_, i) => i + 1));
    expect(source.bytesRead).toBeLessThanOrEqual(bound);
    // An ack of events never sent, or a malformed one, gives no credit.
    ipcRenderer.send(ACK_CHANNEL, { sid, seq: IPC_STREAM_WINDOW + 1 });
    ipcRenderer.send(ACK_CHANNEL, { sid, seq: 1.5 });
    ipcRenderer.send(ACK_CHANNEL, { sid, seq: 1, extra: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toHaveLength(IPC_STREAM_WINDOW);
    // An ack of the first event frees one place: exactly one more event comes.
    const more = new Promise<void>((resolve) => {
      onReceived = resolve;
    });
    bridge.ack(sid, 1);
    const again = deadline('the event after an ack');
    await Promise.race([more, again.promise]).finally(again.clear);
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual(Array.from({ length: IPC_STREAM_WINDOW + 1 }, (_, i) => i + 1));

    // Leaving while the handler waits for credit ends it: the source is closed, nothing is left waiting.
    const closed = new Promise<void>((resolve) => source.stream.once('close', resolve));
    bridge.unsubscribe(sid);
    const gone = deadline('the source to close');
    await Promise.race([closed, gone.promise]).finally(gone.clear);
    expect(source.stream.destroyed).toBe(true);
    uninstall();
  });

  it(
    'the renderer transport acknowledges every event it hands on, so a stream far longer than the window flows to its end',
    async () => {
      const LINES = 50_000;
      const { source, bridge, uninstall } = setup(LINES);
      const api = createIpcTransport(bridge);
      const lines = lineChecker();
      const limit = deadline('the stream through the renderer transport');
      const ended = new Promise<void>((resolve, reject) => {
        api.subscribe(
          'logs',
          { id: 'c1' },
          (event) => {
            lines.take(event);
            if (event.kind === 'end') resolve();
          },
          reject,
        );
      });
      await Promise.race([ended, limit.promise]).finally(limit.clear);
      uninstall();
      expect(LINES / LIMITS.maxLines).toBeGreaterThan(10 * IPC_STREAM_WINDOW);
      expect(lines.outOfOrder).toEqual([]);
      expect(lines.count).toBe(LINES);
      expect(source.bytesRead).toBe(LINES * source.frameBytes);
    },
    DEADLINE_MS + 10_000,
  );

  it.each(['reloads', 'crashes and reloads'])(
    'a window that %s (same webContents, a fresh page) ends the old page’s streams, and the new page’s own subscriptions work',
    async (what) => {
      const { source, bridge, ipc, webContents, uninstall } = setup(200_000);
      const first = new Promise<void>((resolve) => bridge.subscribe('logs', { id: 'c1' }, () => resolve()));
      const limit = deadline('the first event');
      await Promise.race([first, limit.promise]).finally(limit.clear);
      // The page never acknowledges: its stream is parked on credit, holding the source open.
      const closed = new Promise<void>((resolve) => source.stream.once('close', resolve));
      if (what === 'crashes and reloads') webContents.crash();
      webContents.navigate();
      const gone = deadline('the old page’s source to close');
      await Promise.race([closed, gone.promise]).finally(gone.clear);
      expect(source.stream.destroyed).toBe(true);

      // The reloaded page gets a fresh preload on the same webContents, whose sids start over at p1. Its
      // first subscription reaches the stream's handler (this router's engine stream answers UNSUPPORTED)
      // rather than colliding with the old page's p1 (CONFLICT).
      const { ipcRenderer } = ipc.renderer(1, 'app://berth/index.html', webContents);
      const reloaded = createPreloadApi(ipcRenderer);
      const outcome = new Promise<string>((resolve) => {
        reloaded.subscribe(
          'engine',
          {},
          () => resolve('event'),
          (error) => resolve(error.code),
        );
      });
      const again = deadline('the reloaded page’s first answer');
      expect(await Promise.race([outcome, again.promise]).finally(again.clear)).toBe('UNSUPPORTED');
      uninstall();
    },
    DEADLINE_MS + 10_000,
  );
});

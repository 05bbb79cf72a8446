/**
 * Test support for backpressure: an engine log stand-in that produces numbered lines only when it is
 * read (and counts what was read from it), and a router whose `logs` stream runs the real core pipeline
 * (pipeLogs + LogBatcher) over it with the transport's emit as the sink, as handlers/streams.ts does.
 */
import { Readable } from 'node:stream';
import { BerthError, type ProcedureName, packLogEvent } from '../../contract';
import { type BatchLimits, LogBatcher } from '../../core/logs/log-batcher';
import { pipeLogs } from '../../core/logs/log-pipeline';
import type { Handlers, StreamHandlers } from '../handler-types';
import { createRouter, type Router } from '../router';

/** The text of line `n` (1-based), padded to `width` characters so every frame has the same size. */
export const numberedLine = (n: number, width: number): string =>
  `line ${String(n).padStart(9, '0')} `.padEnd(width, 'x');

/** Reads the number back out of a numbered line's text, or NaN. */
export const lineNumber = (text: string): number => Number(/^line (\d{9}) /.exec(text)?.[1] ?? Number.NaN);

export interface NumberedSourceOptions {
  lines: number;
  /** Characters of text per line (without the newline). */
  width: number;
  /** Lines per chunk pushed into the stream. */
  linesPerChunk: number;
}

export interface NumberedSource {
  stream: Readable;
  /** Bytes the consumer has pulled out of the source so far (what "read from the engine" means here). */
  readonly bytesRead: number;
  /** Bytes of one multiplexed frame (header + text + newline). */
  readonly frameBytes: number;
  readonly chunkBytes: number;
  /** Called every time the consumer pulls another chunk out. */
  onRead?: () => void;
}

/**
 * A multiplexed stdout stream, like the engine's for a non-TTY container: `lines` numbered lines in
 * chunks of `linesPerChunk` frames. A chunk is made only when the stream is read, and its highWaterMark
 * is one chunk, so `bytesRead` can run at most one chunk ahead of what the consumer took.
 */
export function numberedSource({ lines, width, linesPerChunk }: NumberedSourceOptions): NumberedSource {
  const frameBytes = 8 + width + 1;
  let next = 1;
  let produced = 0;
  const source: NumberedSource = {
    stream: new Readable({
      highWaterMark: linesPerChunk * frameBytes,
      read() {
        if (next > lines) return void this.push(null);
        const count = Math.min(linesPerChunk, lines - next + 1);
        const chunk = Buffer.alloc(count * frameBytes);
        for (let i = 0; i < count; i++, next++) {
          const at = i * frameBytes;
          chunk[at] = 1; // stdout
          chunk.writeUInt32BE(width + 1, at + 4);
          chunk.write(`${numberedLine(next, width)}\n`, at + 8, 'latin1');
        }
        produced += chunk.length;
        this.push(chunk);
        source.onRead?.();
      },
    }),
    get bytesRead() {
      return produced;
    },
    frameBytes,
    chunkBytes: linesPerChunk * frameBytes,
  };
  return source;
}

/** A router whose `logs` stream reads `source` (whatever the params say) through the real pipeline. */
export function numberedLogRouter(source: NumberedSource, limits: BatchLimits): Router {
  const handlers = new Proxy({} as Handlers, {
    get: (_target, name: ProcedureName) => () => {
      throw new BerthError('UNSUPPORTED', `${String(name)} is not in this test`);
    },
  });
  const unsupported = async (): Promise<void> => {
    throw new BerthError('UNSUPPORTED', 'not in this test');
  };
  const streamHandlers: StreamHandlers = {
    logs: async (_params, emit, signal) => {
      const batcher = new LogBatcher({ deliver: (event) => emit(packLogEvent(event)) }, limits);
      const stop = () => source.stream.destroy();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await pipeLogs(source.stream, { tty: false, timestamps: false }, batcher);
        await batcher.end('done');
      } catch (error) {
        if (!signal.aborted) throw error; // aborting destroys the source: that is no failure
      } finally {
        batcher.close();
        signal.removeEventListener('abort', stop);
      }
    },
    engine: unsupported,
    terminal: unsupported,
    build: unsupported,
    push: unsupported,
    pipeline: unsupported,
    watch: unsupported,
    'logs.merged': unsupported,
    'logs.export': unsupported,
    'services.logStream': unsupported,
    azureSignIn: unsupported,
    deploy: unsupported,
    stats: unsupported,
  };
  return createRouter(handlers, streamHandlers);
}

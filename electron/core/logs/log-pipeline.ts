import type { LogLine } from '../../contract';
import { ContinuationStamp } from './continuation-stamp';
import { FrameDemuxer, type LogStreamName } from './frame-demuxer';
import { LineSplitter } from './line-splitter';
import type { LogBatcher } from './log-batcher';
import { splitTimestamp } from './log-timestamp';

export interface LogFormat {
  /** The container has a TTY: the stream is raw bytes, all stdout. Otherwise it is multiplexed. */
  tty: boolean;
  /** Each line starts with the engine's RFC 3339 timestamp and a space. */
  timestamps: boolean;
}

const STREAMS: LogStreamName[] = ['stdout', 'stderr'];

/** One output stream's bytes on their way to lines. */
class StreamLines {
  readonly splitter = new LineSplitter();
  readonly stamp = new ContinuationStamp();
  readonly emit: (text: string) => void;

  constructor(stream: LogStreamName, timestamps: boolean, batcher: LogBatcher) {
    this.emit = timestamps
      ? (line) => {
          const { ts, text } = splitTimestamp(line);
          const entry: LogLine = ts === undefined ? { stream, text } : { stream, text, ts };
          batcher.add(entry);
        }
      : (text) => batcher.add({ stream, text });
  }

  push(data: Buffer): void {
    if (data.length) this.splitter.push(data, this.emit);
  }
}

/**
 * Reads an engine log stream to its end: demultiplexes it (unless TTY), splits it into lines and hands
 * them to the batcher. It pulls the next chunk only when the batcher has room, and the batcher has room
 * only while its sink is ready. In the app the sink is the stream transport (api/handlers/streams.ts):
 * the web outbox is ready while the WebSocket's buffer is under its high-water mark, IPC while the
 * renderer has acknowledged all but a few deliveries. So a slow consumer stops this loop; the Node
 * stream from the engine, no longer read, stays paused, and its socket's flow control holds the engine
 * back. What is read from the engine but not yet consumed is bounded by the socket buffers, the
 * stream's own high-water mark, the batcher's two batches and the transport's window.
 */
export async function pipeLogs(source: AsyncIterable<Buffer>, format: LogFormat, batcher: LogBatcher): Promise<void> {
  const demuxer = format.tty ? null : new FrameDemuxer();
  const lines = {
    stdout: new StreamLines('stdout', format.timestamps, batcher),
    stderr: new StreamLines('stderr', format.timestamps, batcher),
  };
  const trimStamps = format.timestamps && demuxer !== null;

  for await (const chunk of source) {
    if (!demuxer) {
      lines.stdout.push(chunk);
    } else {
      for (const piece of demuxer.push(chunk)) {
        const target = lines[piece.stream];
        if (trimStamps && piece.frameStart) {
          for (const name of STREAMS) lines[name].push(lines[name].stamp.release());
          if (target.splitter.midLine) target.stamp.expect();
        }
        target.push(trimStamps ? target.stamp.take(piece.data) : piece.data);
      }
    }
    await batcher.whenRoom();
  }
  for (const name of STREAMS) {
    lines[name].push(lines[name].stamp.release());
    lines[name].splitter.end(lines[name].emit);
  }
}

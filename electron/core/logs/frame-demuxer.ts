import { BerthError } from '../../contract';

export type LogStreamName = 'stdout' | 'stderr';

/** A run of bytes from one output stream; a frame may arrive as several pieces. */
export interface LogPiece {
  stream: LogStreamName;
  data: Buffer;
  /** This piece starts a frame (the engine writes one frame per log message, or per 16 KB of a long one). */
  frameStart: boolean;
}

const HEADER_BYTES = 8;

/**
 * Splits the engine's multiplexed log stream (no TTY) into stdout and stderr bytes.
 * Each frame is an 8-byte header (byte 0: 0 stdin, 1 stdout, 2 stderr; bytes 1-3 zero; bytes 4-7 the
 * payload length, big-endian) followed by the payload. Frames may be split across chunks and a chunk may
 * hold many frames; payload bytes are handed on as soon as they arrive, so a large frame is never held whole.
 */
export class FrameDemuxer {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private remaining = 0;
  private stream: LogStreamName = 'stdout';
  private fresh = false;

  push(chunk: Buffer): LogPiece[] {
    const pieces: LogPiece[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        this.readHeader();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      pieces.push({ stream: this.stream, data: chunk.subarray(at, at + take), frameStart: this.fresh });
      this.fresh = false;
      this.remaining -= take;
      at += take;
    }
    return pieces;
  }

  /** True when the stream stopped inside a frame (a truncated stream). */
  get midFrame(): boolean {
    return this.headerFill > 0 || this.remaining > 0;
  }

  private readHeader(): void {
    const type = this.header[0];
    if ((type !== 0 && type !== 1 && type !== 2) || this.header[1] || this.header[2] || this.header[3]) {
      throw new BerthError(
        'INTERNAL',
        `The engine's log stream is not multiplexed as expected (frame header ${this.header.toString('hex')}).`,
        'Try again; if the container uses a TTY, its logs are read raw.',
      );
    }
    this.stream = type === 2 ? 'stderr' : 'stdout';
    this.remaining = this.header.readUInt32BE(4);
    this.fresh = true;
  }
}

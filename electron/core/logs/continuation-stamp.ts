import { RFC3339 } from './log-timestamp';

const SPACE = 0x20;
/** Longest timestamp prefix the engine writes ("2024-05-01T10:00:00.123456789+02:00 "), with room to spare. */
const MAX_PREFIX = 40;
const EMPTY = Buffer.alloc(0);

/**
 * With timestamps on, the engine prefixes every frame, including a frame that continues a line (a message
 * longer than 16 KB, or output that paused before its newline). Only the line's first timestamp belongs to
 * it: this drops the prefix of a continuing frame, even when that prefix is split across chunks.
 */
export class ContinuationStamp {
  private active = false;
  private held: Buffer = EMPTY;

  /** Call when a frame starts in the middle of a line. */
  expect(): void {
    this.active = true;
    this.held = EMPTY;
  }

  /** The bytes of the frame to keep, once its prefix is dropped; may hold bytes back until the prefix ends. */
  take(data: Buffer): Buffer {
    if (!this.active) return data;
    const joined = this.held.length ? Buffer.concat([this.held, data]) : data;
    const space = joined.indexOf(SPACE);
    if (space === -1 && joined.length < MAX_PREFIX) {
      this.held = Buffer.from(joined);
      return EMPTY;
    }
    this.active = false;
    this.held = EMPTY;
    if (space === -1) return joined;
    return RFC3339.test(joined.toString('latin1', 0, space)) ? joined.subarray(space + 1) : joined;
  }

  /** Bytes held back when the frame ended before its prefix did: they were text after all. */
  release(): Buffer {
    const held = this.held;
    this.active = false;
    this.held = EMPTY;
    return held;
  }
}

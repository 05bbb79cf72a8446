import { describe, expect, it } from 'vitest';
import { FrameDemuxer, type LogPiece } from './frame-demuxer';

function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Joins the pieces back per stream, in order of arrival, merging pieces of one frame. */
function collect(pieces: LogPiece[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (last && !piece.frameStart && last[0] === piece.stream) last[1] += piece.data.toString('latin1');
    else out.push([piece.stream, piece.data.toString('latin1')]);
  }
  return out;
}

const STREAM = Buffer.concat([
  frame(1, 'hello\n'),
  frame(2, 'oops\n'),
  frame(1, ''),
  frame(1, 'ünï ✓\n'),
  frame(0, 'stdin counts as stdout\n'),
  frame(2, 'a'),
]);
const EXPECTED: Array<[string, string]> = [
  ['stdout', 'hello\n'],
  ['stderr', 'oops\n'],
  ['stdout', Buffer.from('ünï ✓\n').toString('latin1')],
  ['stdout', 'stdin counts as stdout\n'],
  ['stderr', 'a'],
];

describe('FrameDemuxer', () => {
  it('reads many frames from one chunk and tells stdout from stderr', () => {
    const demuxer = new FrameDemuxer();
    expect(collect(demuxer.push(STREAM))).toEqual(EXPECTED);
    expect(demuxer.midFrame).toBe(false);
  });

  it('gives the same result whichever byte the stream is split at', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const demuxer = new FrameDemuxer();
      const pieces = [...demuxer.push(STREAM.subarray(0, cut)), ...demuxer.push(STREAM.subarray(cut))];
      expect(collect(pieces), `split at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same result when fed one byte at a time', () => {
    const demuxer = new FrameDemuxer();
    const pieces: LogPiece[] = [];
    for (let i = 0; i < STREAM.length; i++) pieces.push(...demuxer.push(STREAM.subarray(i, i + 1)));
    expect(collect(pieces)).toEqual(EXPECTED);
  });

  it('passes a 1 MB frame through in pieces without holding it whole', () => {
    const big = Buffer.alloc(1 << 20, 'z');
    big[big.length - 1] = 0x0a;
    const stream = Buffer.concat([frame(2, big), frame(1, 'after\n')]);
    const demuxer = new FrameDemuxer();
    const pieces: LogPiece[] = [];
    for (let at = 0; at < stream.length; at += 65536) pieces.push(...demuxer.push(stream.subarray(at, at + 65536)));
    const stderr = Buffer.concat(pieces.filter((p) => p.stream === 'stderr').map((p) => p.data));
    expect(stderr.equals(big)).toBe(true);
    expect(Math.max(...pieces.map((p) => p.data.length))).toBeLessThanOrEqual(65536);
    expect(pieces.at(-1)).toMatchObject({ stream: 'stdout', frameStart: true });
    expect(pieces.at(-1)?.data.toString()).toBe('after\n');
  });

  it('says when the stream stopped inside a frame', () => {
    const demuxer = new FrameDemuxer();
    demuxer.push(frame(1, 'cut short').subarray(0, 12));
    expect(demuxer.midFrame).toBe(true);
  });

  it('refuses a stream that is not multiplexed instead of guessing', () => {
    expect(() => new FrameDemuxer().push(Buffer.from('plain text from a TTY\n'))).toThrow(/not multiplexed/);
  });
});

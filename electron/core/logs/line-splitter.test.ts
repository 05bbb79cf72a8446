import { describe, expect, it } from 'vitest';
import { LineSplitter, utf8Boundary } from './line-splitter';

function split(chunks: Buffer[], max?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter(max);
  for (const chunk of chunks) splitter.push(chunk, (line) => lines.push(line));
  splitter.end((line) => lines.push(line));
  return lines;
}

const TEXT = Buffer.from('one\ntwo\r\n\x1b[31mred\x1b[0m ✓ 日本\n\nlast');
const LINES = ['one', 'two', '\x1b[31mred\x1b[0m ✓ 日本', '', 'last'];

describe('LineSplitter', () => {
  it('splits on newlines, drops a trailing CR, keeps ANSI escapes and empty lines', () => {
    expect(split([TEXT])).toEqual(LINES);
  });

  it('keeps partial lines (and split UTF-8 characters) until the newline, at every split point', () => {
    for (let cut = 0; cut <= TEXT.length; cut++) {
      expect(split([TEXT.subarray(0, cut), TEXT.subarray(cut)]), `split at ${cut}`).toEqual(LINES);
    }
    const bytes = [...TEXT].map((b) => Buffer.from([b]));
    expect(split(bytes)).toEqual(LINES);
  });

  it('emits the last line only at the end when it has no newline', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('a\nb'), (l) => lines.push(l));
    expect(lines).toEqual(['a']);
    expect(splitter.midLine).toBe(true);
    splitter.end((l) => lines.push(l));
    expect(lines).toEqual(['a', 'b']);
    expect(splitter.midLine).toBe(false);
  });

  it('cuts a line longer than the limit, without splitting a character', () => {
    const long = Buffer.from(`${'é'.repeat(10)}\n`); // 20 bytes + newline
    const lines = split([long.subarray(0, 7), long.subarray(7)], 5);
    expect(lines.join('')).toBe('é'.repeat(10));
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(5);
    expect(lines.every((l) => !l.includes('\uFFFD'))).toBe(true);
  });

  it('finds a UTF-8 boundary at or before the limit', () => {
    const bytes = Buffer.from('a日b');
    expect(utf8Boundary(bytes, 2)).toBe(1);
    expect(utf8Boundary(bytes, 4)).toBe(4);
    expect(utf8Boundary(bytes, 10)).toBe(5);
  });
});

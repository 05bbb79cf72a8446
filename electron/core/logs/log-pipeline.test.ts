import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogEvent, LogLine } from '../../contract';
import { LogBatcher } from './log-batcher';
import { type LogFormat, pipeLogs } from './log-pipeline';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

async function linesOf(chunks: Buffer[], format: LogFormat): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const batcher = new LogBatcher(
    { deliver: (e: LogEvent) => e.kind === 'lines' && lines.push(...e.lines) },
    { intervalMs: 5, maxLines: 50, maxChars: 1e5 },
  );
  await pipeLogs(Readable.from(chunks), format, batcher);
  await batcher.end('done');
  return lines;
}

function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

const MUX_LINES: LogLine[] = [
  { stream: 'stdout', text: 'plain line' },
  { stream: 'stdout', text: '\x1b[32mgreen ANSI\x1b[0m and ünïcödé ✓ 日本' },
  { stream: 'stderr', text: 'an error line' },
  { stream: 'stdout', text: 'no newline at first, then the rest' },
  ...Array.from({ length: 7 }, (_, i) => ({ stream: 'stdout' as const, text: `line ${i} ${'x'.repeat(i * 10)}` })),
  { stream: 'stderr', text: 'err 2' },
  ...Array.from({ length: 13 }, (_, i) => ({
    stream: 'stdout' as const,
    text: `line ${i + 7} ${'x'.repeat((i + 7) * 10)}`,
  })),
  { stream: 'stdout', text: `long ${'y'.repeat(20000)}` },
  { stream: 'stdout', text: 'last line without newline' },
];

describe('pipeLogs on recorded engine streams', () => {
  it('demultiplexes and splits a real stream into the lines the container wrote', async () => {
    expect(await linesOf([fixture('mux-ts0.bin')], { tty: false, timestamps: false })).toEqual(MUX_LINES);
  });

  it('parses timestamps and drops the one the engine repeats inside a line cut at 16 KB', async () => {
    const lines = await linesOf([fixture('mux-ts1.bin')], { tty: false, timestamps: true });
    expect(lines.map(({ stream, text }) => ({ stream, text }))).toEqual(MUX_LINES);
    for (const l of lines) expect(l.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it('gives the same lines whatever the chunk size', async () => {
    for (const name of ['mux-ts0.bin', 'mux-ts1.bin']) {
      const bytes = fixture(name);
      const format = { tty: false, timestamps: name.includes('ts1') };
      const whole = await linesOf([bytes], format);
      for (const size of [1, 7, 8, 9, 33, 1000, 16384]) {
        expect(await linesOf(chunked(bytes, size), format), `${name} in chunks of ${size}`).toEqual(whole);
      }
      for (let cut = 0; cut < 400; cut++) {
        expect(await linesOf([bytes.subarray(0, cut), bytes.subarray(cut)], format), `${name} cut at ${cut}`).toEqual(
          whole,
        );
      }
    }
  });

  it('reads a TTY stream raw: everything is stdout, CRLF ends lines', async () => {
    expect(await linesOf([fixture('tty-ts0.bin')], { tty: true, timestamps: false })).toEqual([
      { stream: 'stdout', text: 'tty out' },
      { stream: 'stdout', text: 'tty err' },
      { stream: 'stdout', text: '\x1b[1mbold\x1b[0m' },
    ]);
    const stamped = await linesOf([fixture('tty-ts1.bin')], { tty: true, timestamps: true });
    expect(stamped.map((l) => l.text)).toEqual(['tty out', 'tty err', '\x1b[1mbold\x1b[0m']);
    expect(stamped.every((l) => l.ts !== undefined)).toBe(true);
  });
});

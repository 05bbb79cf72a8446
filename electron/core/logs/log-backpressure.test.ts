import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../contract';
import { LogBatcher } from './log-batcher';
import { pipeLogs } from './log-pipeline';

const MB = 1 << 20;

/** 64 KB of multiplexed frames, each one 60-byte stdout line; pushed again and again as fast as it is read. */
function framesChunk(): { chunk: Buffer; lines: number } {
  const payload = Buffer.from(`${'x'.repeat(59)}\n`);
  const frame = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, payload.length]), payload]);
  const lines = Math.floor((64 * 1024) / frame.length);
  return { chunk: Buffer.concat(Array.from({ length: lines }, () => frame)), lines };
}

/** An endless engine stand-in that counts what it produced; it only produces when read. */
function endlessSource(limitBytes: number) {
  const { chunk, lines } = framesChunk();
  const produced = { bytes: 0, lines: 0 };
  const stream = new Readable({
    read() {
      if (produced.bytes >= limitBytes) return void this.push(null);
      produced.bytes += chunk.length;
      produced.lines += lines;
      this.push(chunk);
    },
  });
  return { stream, produced, frameBytes: chunk.length / lines };
}

describe('log backpressure', () => {
  it('a slow consumer pauses a fast source: what is read stays close to what is delivered', async () => {
    const { stream, produced, frameBytes } = endlessSource(10_000 * MB);
    let delivered = 0;
    let maxAhead = 0;
    let maxBatch = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let maxHeapGrowth = 0;
    const batcher = new LogBatcher(
      {
        // ~2,000 lines per 10 ms: far slower than the source could go.
        deliver: (event: LogEvent) => {
          if (event.kind !== 'lines') return;
          delivered += event.lines.length;
          maxBatch = Math.max(maxBatch, event.lines.length);
          return new Promise((r) => setTimeout(r, 10));
        },
      },
      { intervalMs: 25, maxLines: 2000, maxChars: 512 * 1024 },
    );
    const sampler = setInterval(() => {
      maxAhead = Math.max(maxAhead, (produced.lines - delivered) * frameBytes);
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
    }, 5);
    const piping = pipeLogs(stream, { tty: false, timestamps: false }, batcher).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    stream.destroy();
    await piping;
    batcher.close();
    clearInterval(sampler);

    expect(delivered).toBeGreaterThan(50_000);
    // Without backpressure the source would have produced gigabytes by now.
    expect(produced.bytes).toBeLessThan(delivered * frameBytes + 8 * MB);
    expect(maxAhead).toBeLessThan(8 * MB);
    expect(maxBatch).toBeLessThan(2000 + (64 * 1024) / frameBytes); // one engine chunk past the cap, at most
    expect(maxHeapGrowth).toBeLessThan(50 * MB);
  });

  it('a consumer answering false is given time, and nothing is lost', async () => {
    const { stream, produced } = endlessSource(20 * MB);
    let delivered = 0;
    let ready = true;
    const batcher = new LogBatcher(
      {
        deliver: (event: LogEvent) => {
          if (event.kind === 'lines') delivered += event.lines.length;
          ready = !ready; // every other batch: "not ready", with no drained(): one interval later
          return ready;
        },
      },
      { intervalMs: 2, maxLines: 5000, maxChars: 1e6 },
    );
    await pipeLogs(stream, { tty: false, timestamps: false }, batcher);
    await batcher.end('done');
    expect(delivered).toBe(produced.lines);
  });
});

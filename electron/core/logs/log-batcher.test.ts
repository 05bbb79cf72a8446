import { describe, expect, it, vi } from 'vitest';
import type { LogEvent, LogLine } from '../../contract';
import { LogBatcher, type LogSink } from './log-batcher';

const line = (text: string): LogLine => ({ stream: 'stdout', text });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A generous deadline for a timer-driven batch to go out on a busy machine. */
const BATCH_DEADLINE_MS = 10_000;

function recorder(deliver: (event: LogEvent) => unknown = () => undefined) {
  const events: LogEvent[] = [];
  const sink: LogSink = {
    deliver: (event) => {
      events.push(event);
      return deliver(event);
    },
  };
  return { events, sink };
}

describe('LogBatcher', () => {
  it('sends a partial batch after the interval, not line by line', async () => {
    const { events, sink } = recorder();
    const batcher = new LogBatcher(sink, { intervalMs: 20, maxLines: 100, maxChars: 1e6 });
    for (let i = 0; i < 10; i++) batcher.add(line(`l${i}`));
    expect(events).toHaveLength(0);
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0), { timeout: BATCH_DEADLINE_MS });
    expect(events).toEqual([{ kind: 'lines', lines: Array.from({ length: 10 }, (_, i) => line(`l${i}`)) }]);
    await batcher.end('done');
    expect(events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });

  it('sends at once when a batch is full, by lines or by characters', async () => {
    const { events, sink } = recorder();
    const batcher = new LogBatcher(sink, { intervalMs: 10_000, maxLines: 3, maxChars: 10 });
    batcher.add(line('a'));
    batcher.add(line('b'));
    expect(batcher.full).toBe(false);
    batcher.add(line('c'));
    await batcher.whenRoom();
    batcher.add(line('0123456789'));
    await batcher.whenRoom();
    await batcher.end('done');
    expect(events.map((e) => (e.kind === 'lines' ? e.lines.length : e.kind === 'end' ? e.reason : e.kind))).toEqual([
      3,
      1,
      'done',
    ]);
  });

  it('holds the next batch until a Promise from the consumer settles', async () => {
    let release = () => {};
    const { events, sink } = recorder(() => new Promise<void>((r) => (release = r)));
    const batcher = new LogBatcher(sink, { intervalMs: 5, maxLines: 1, maxChars: 1e6 });
    batcher.add(line('first'));
    await batcher.whenRoom();
    batcher.add(line('second'));
    let roomed = false;
    const room = batcher.whenRoom().then(() => (roomed = true));
    await sleep(40);
    expect(events).toHaveLength(1);
    expect(roomed).toBe(false);
    release();
    await room;
    expect(events).toHaveLength(2);
    release();
    batcher.close();
  });

  it('waits for drained() after the consumer answers false', async () => {
    let drain = () => {};
    const events: LogEvent[] = [];
    const sink: LogSink = {
      deliver: (event) => {
        events.push(event);
        return false;
      },
      drained: () => new Promise<void>((r) => (drain = r)),
    };
    const batcher = new LogBatcher(sink, { intervalMs: 5, maxLines: 1, maxChars: 1e6 });
    batcher.add(line('first'));
    await batcher.whenRoom();
    batcher.add(line('second'));
    const room = batcher.whenRoom();
    await sleep(30);
    expect(events).toHaveLength(1);
    drain();
    await room;
    expect(events).toHaveLength(2);
    batcher.close();
  });

  it('stops with the consumer error when delivery fails', async () => {
    const { sink } = recorder(() => Promise.reject(new Error('socket gone')));
    const batcher = new LogBatcher(sink, { intervalMs: 5, maxLines: 1, maxChars: 1e6 });
    batcher.add(line('x'));
    await batcher.whenRoom();
    batcher.add(line('y'));
    await expect(batcher.whenRoom()).rejects.toThrow('socket gone');
    batcher.close();
  });
});

import { describe, expect, it } from 'vitest';
import type { LogLine, MergedLogEvent, MergedLogLine } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { readMergedLogs } from './log-merged';

/** An engine that knows containers by their id (all that resolving a selection asks of it). */
const engine = {
  docker: { getContainer: (id: string) => ({ inspect: async () => ({ Id: id, Name: `/${id}` }) }) },
  endpoint: 'unix:///var/run/docker.sock',
} as unknown as EngineHandle;

const ts = (n: number) => `2026-01-01T00:00:00.${String(n).padStart(9, '0')}Z`;

describe('readMergedLogs, following', () => {
  it('sends the batches the containers push together as one release, in order, none lost, and waits for the sink', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const BATCHES = 20;
    const PER_BATCH = 50;
    const events: MergedLogEvent[] = [];
    let pushes = 0;
    let sinkBusy = false;
    let overlapped = false;
    const done = await readMergedLogs(
      engine,
      { selection: { by: 'containers', ids }, tail: 0, follow: true },
      {
        deliver: async (event) => {
          if (sinkBusy) overlapped = true;
          sinkBusy = true;
          events.push(event);
          await new Promise((resolve) => setTimeout(resolve, 1));
          sinkBusy = false;
        },
      },
      {
        readOne: async (request, sink) => {
          const source = ids.indexOf(request.id);
          for (let b = 0; b < BATCHES; b++) {
            const lines: LogLine[] = Array.from({ length: PER_BATCH }, (_, i) => {
              const n = (b * PER_BATCH + i) * ids.length + source;
              return { stream: 'stdout', text: `${request.id} ${n}`, ts: ts(n) };
            });
            pushes += 1;
            await sink.deliver({ kind: 'lines', lines });
          }
          return 'container-stopped';
        },
      },
    );
    expect(done).toBe('done');
    expect(overlapped).toBe(false);
    const lines = events.flatMap((e) => (e.kind === 'lines' ? e.lines : [])) as MergedLogLine[];
    expect(lines.map((l) => Number(l.text.split(' ')[1]))).toEqual(
      Array.from({ length: ids.length * BATCHES * PER_BATCH }, (_, n) => n),
    );
    // The five readers push in the same turn, so each release takes all five containers' batches.
    expect(events.filter((e) => e.kind === 'lines').length).toBeLessThanOrEqual(BATCHES + 1);
    expect(pushes).toBe(ids.length * BATCHES);
    expect(events.filter((e) => e.kind === 'source-end')).toHaveLength(ids.length);
    expect(events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });
});

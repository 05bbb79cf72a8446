import {
  batchLine,
  LogBatch,
  LogStreamEvent,
  MergedLogBatch,
  MergedLogStreamEvent,
  packLines,
  packLogEvent,
  packMergedLines,
} from './log-batch';
import type { LogLine } from './logs';
import type { MergedLogLine } from './logs-merged';

describe('log batches on the wire', () => {
  const lines: LogLine[] = [
    { stream: 'stdout', text: 'one', ts: '2026-11-30T10:00:00.000000001Z' },
    { stream: 'stderr', text: '\x1b[31mtwo\x1b[0m' },
    { stream: 'stdout', text: '' },
  ];

  it('packs lines into columns and reads every line back as it was', () => {
    const batch = packLines(lines);
    expect(batch).toEqual({
      kind: 'batch',
      text: ['one', '\x1b[31mtwo\x1b[0m', ''],
      streams: 'oeo',
      ts: ['2026-11-30T10:00:00.000000001Z', '', ''],
    });
    const stamped = [
      { stream: 'stdout', text: 'a', ts: '2026-11-30T10:00:59.900000000Z' },
      { stream: 'stdout', text: 'b', ts: '2026-11-30T10:01:00.100000000Z' },
    ] satisfies LogLine[];
    const shared = packLines(stamped);
    expect(shared).toMatchObject({ tsPrefix: '2026-11-30T10:0', ts: ['0:59.900000000Z', '1:00.100000000Z'] });
    expect(stamped.map((_, i) => batchLine(shared, i))).toEqual(stamped);
    expect(LogBatch.parse(batch)).toEqual(batch);
    expect(lines.map((_, i) => batchLine(batch, i))).toEqual(lines);
    expect(packLines([{ stream: 'stdout', text: 'x' }])).not.toHaveProperty('ts');
  });

  it('packs merged lines with their sources and late marks', () => {
    const merged: MergedLogLine[] = [
      { stream: 'stdout', text: 'a', source: 2 },
      { stream: 'stderr', text: 'b', source: 0, late: true },
    ];
    const batch = packMergedLines(merged);
    expect(batch).toMatchObject({ source: [2, 0], late: [1], streams: 'oe' });
    expect(MergedLogBatch.parse(batch)).toEqual(batch);
    expect(merged.map((_, i) => batchLine(batch, i))).toEqual(merged);
  });

  it('refuses a batch whose columns disagree, or a stream mark it does not know', () => {
    const good = packLines(lines);
    expect(LogBatch.safeParse({ ...good, streams: 'oe' }).success).toBe(false);
    expect(LogBatch.safeParse({ ...good, ts: ['x'] }).success).toBe(false);
    expect(LogBatch.safeParse({ ...good, streams: 'oxo' }).success).toBe(false);
    expect(LogBatch.safeParse({ ...good, text: ['one', 2, ''] }).success).toBe(false);
    const merged = packMergedLines([{ stream: 'stdout', text: 'a', source: 0 }]);
    expect(MergedLogBatch.safeParse({ ...merged, source: [] }).success).toBe(false);
    expect(MergedLogBatch.safeParse({ ...merged, late: [1] }).success).toBe(false);
    expect(MergedLogBatch.safeParse({ ...merged, source: [-1] }).success).toBe(false);
  });

  it('the streams carry lines only as batches; other events pass unchanged', () => {
    expect(LogStreamEvent.safeParse({ kind: 'lines', lines }).success).toBe(false);
    expect(LogStreamEvent.parse(packLogEvent({ kind: 'lines', lines }))).toEqual(packLines(lines));
    expect(LogStreamEvent.parse(packLogEvent({ kind: 'end', reason: 'done' }))).toEqual({
      kind: 'end',
      reason: 'done',
    });
    expect(MergedLogStreamEvent.safeParse({ kind: 'lines', lines: [{ ...lines[0], source: 0 }] }).success).toBe(false);
    expect(MergedLogStreamEvent.parse({ kind: 'sources', sources: [{ id: 'a', name: 'web' }] })).toBeTruthy();
  });
});

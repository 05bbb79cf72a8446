import { describe, expect, it } from 'vitest';
import { ContinuationStamp } from './continuation-stamp';
import { sinceParam, splitTimestamp, timestampMillis, timestampNanos } from './log-timestamp';

describe('splitTimestamp', () => {
  it('takes the RFC 3339 prefix the engine writes', () => {
    expect(splitTimestamp('2024-05-01T10:00:00.123456789Z hello world')).toEqual({
      ts: '2024-05-01T10:00:00.123456789Z',
      text: 'hello world',
    });
    expect(splitTimestamp('2024-05-01T10:00:00Z ')).toEqual({ ts: '2024-05-01T10:00:00Z', text: '' });
    expect(splitTimestamp('2024-05-01T10:00:00.5+02:00 x')).toEqual({ ts: '2024-05-01T10:00:00.5+02:00', text: 'x' });
  });

  it('leaves a line without a timestamp as text', () => {
    expect(splitTimestamp('hello world')).toEqual({ text: 'hello world' });
    expect(splitTimestamp('2024-05-01 10:00:00 not rfc3339 at all')).toEqual({
      text: '2024-05-01 10:00:00 not rfc3339 at all',
    });
    expect(splitTimestamp('')).toEqual({ text: '' });
    for (const almost of ['2024-05-01T10:00:00.Z x', '2024-05-01T10:0a:00.1Z x', '2024-05-01T10:00:00.1234567890Z x']) {
      expect(splitTimestamp(almost), almost).toEqual({ text: almost });
    }
  });

  it('converts to milliseconds and to the engine since parameter', () => {
    expect(timestampMillis('2024-01-01T00:00:00.123456789Z')).toBe(1704067200123);
    expect(sinceParam(1704067200123)).toBe('1704067200.123');
  });
});

describe('ContinuationStamp', () => {
  const frame = Buffer.from('2024-05-01T10:00:00.123456789Z rest of the line\n');

  it('drops the timestamp of a frame that continues a line, however the frame is cut', () => {
    for (let cut = 0; cut <= frame.length; cut++) {
      const stamp = new ContinuationStamp();
      stamp.expect();
      const kept = Buffer.concat([stamp.take(frame.subarray(0, cut)), stamp.take(frame.subarray(cut))]);
      expect(kept.toString(), `cut at ${cut}`).toBe('rest of the line\n');
    }
  });

  it('keeps text that does not start with a timestamp', () => {
    const stamp = new ContinuationStamp();
    stamp.expect();
    expect(stamp.take(Buffer.from('no stamp here')).toString()).toBe('no stamp here');
    stamp.expect();
    expect(stamp.take(Buffer.from('short')).toString()).toBe('');
    expect(stamp.release().toString()).toBe('short');
  });

  it('passes data through when no continuation is expected', () => {
    expect(new ContinuationStamp().take(frame)).toBe(frame);
  });
});

describe('timestampNanos', () => {
  it('reads the engine shape on its fast path exactly as the general rule does', () => {
    const cases = [
      '2024-05-01T10:00:00.123456789Z',
      '2024-05-01T10:00:00.123456788Z',
      '2024-05-01T10:00:00.1Z',
      '2024-05-01T10:00:00.000000001Z',
      '2024-05-01T10:00:00Z',
      '2024-05-01T10:00:01.5Z',
      '2024-12-31T23:59:59.999999999Z',
      '1970-01-01T00:00:00.000000000Z',
    ];
    const general = (ts: string) => {
      const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts)!;
      return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
    };
    for (const ts of cases) expect(timestampNanos(ts), ts).toBe(general(ts));
    expect(timestampNanos('2024-05-01T10:00:00.5+02:00')).toBe(general('2024-05-01T10:00:00.5+02:00'));
  });

  it('refuses what is not an engine timestamp, before and after a cached second', () => {
    for (const bad of [
      '',
      'hello',
      '2024-05-01T10:00:00.Z',
      '2024-05-01T10:00:00.1234567890Z',
      '2024-13-01T10:00:00Z',
    ]) {
      expect(timestampNanos('2024-05-01T10:00:00.1Z')).toBeDefined();
      expect(timestampNanos(bad), bad).toBeUndefined();
    }
    expect(timestampNanos('2024-05-01T10:00:00.12a4Z')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseJsonObject } from '../../contract';
import { exportLine } from './log-export';

const sources = [
  { id: 'a', name: 'web' },
  { id: 'b', name: 'db' },
];
const line = { stream: 'stderr' as const, text: 'hello "you"', ts: '2026-01-01T00:00:01.5Z', source: 1 };

describe('exportLine', () => {
  it('writes docker logs -t text, naming the container only when several are merged', () => {
    expect(exportLine(line, sources, 'text')).toBe('2026-01-01T00:00:01.5Z db hello "you"\n');
    expect(exportLine({ ...line, source: 0 }, [sources[0]!], 'text')).toBe('2026-01-01T00:00:01.5Z hello "you"\n');
  });

  it('writes one JSON object per line that the shared JSON-lines parser reads back', () => {
    const written = exportLine(line, sources, 'jsonl');
    expect(written.endsWith('\n')).toBe(true);
    expect(parseJsonObject(written.trimEnd())).toEqual({
      container: 'db',
      stream: 'stderr',
      ts: line.ts,
      text: line.text,
    });
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, writeBenchmarkSection } from './benchmarks-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-benchmarks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeBenchmarkSection', () => {
  it('creates the file with the section when there is none', () => {
    const file = join(dir, 'BENCHMARKS.md');
    writeBenchmarkSection('## A', 'first', file);
    expect(readFileSync(file, 'utf8')).toBe('# Benchmarks\n\n## A\n\nfirst\n');
  });

  it('replaces only its own section and keeps the others byte for byte', () => {
    const file = join(dir, 'BENCHMARKS.md');
    writeFileSync(file, '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nb stays | x |\n');
    writeBenchmarkSection('## A', 'new a\nsecond line', file);
    writeBenchmarkSection('## C', 'c', file);
    expect(readFileSync(file, 'utf8')).toBe(
      '# Benchmarks\n\n## A\n\nnew a\nsecond line\n\n## B\n\nb stays | x |\n\n## C\n\nc\n',
    );
  });

  it('does not take a longer heading for its own', () => {
    const file = join(dir, 'BENCHMARKS.md');
    writeFileSync(file, '# Benchmarks\n\n## Builds (issue 3) extra\n\nkeep\n');
    writeBenchmarkSection('## Builds (issue 3)', 'mine', file);
    expect(readFileSync(file, 'utf8')).toContain('## Builds (issue 3) extra\n\nkeep\n');
    expect(readFileSync(file, 'utf8')).toContain('## Builds (issue 3)\n\nmine\n');
  });
});

describe('median', () => {
  it('takes the middle value, the mean of the two middle ones for an even count, NaN for none', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

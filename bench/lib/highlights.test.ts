import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { END, START, writeHighlights } from './highlights';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-highlights-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeHighlights', () => {
  it('renders the table between the markers from every stored benchmark, in a fixed order', () => {
    const files = { store: join(dir, 'h.json'), readme: join(dir, 'README.md') };
    writeFileSync(files.readme, `# R\n\nbefore\n\n${START}\nold | row\n${END}\n\nafter\n`);
    writeHighlights('logs', '## Logs', [{ measure: 'lines/s ratio', result: '1 / 2 / 3', goal: '≥ 1' }], files);
    writeHighlights('build', '## Builds', [{ measure: 'cold ratio', result: '0.9 / 1 / 1.1', goal: '≤ 1.05' }], files);
    writeHighlights('logs', '## Logs', [{ measure: 'lines/s ratio', result: '4 / 5 / 6', goal: '≥ 1' }], files);
    expect(readFileSync(files.readme, 'utf8')).toBe(
      `# R\n\nbefore\n\n${START}\n| measure | min / median / max | goal |\n| --- | --- | --- |\n` +
        '| cold ratio | 0.9 / 1 / 1.1 | ≤ 1.05 |\n| lines/s ratio | 4 / 5 / 6 | ≥ 1 |\n' +
        `${END}\n\nafter\n`,
    );
    expect(Object.keys(JSON.parse(readFileSync(files.store, 'utf8')))).toEqual(['logs', 'build']);
  });

  it('refuses a README without the markers', () => {
    const files = { store: join(dir, 'h.json'), readme: join(dir, 'README.md') };
    writeFileSync(files.readme, '# R\n');
    expect(() => writeHighlights('x', '## X', [], files)).toThrow(/no benchmark table markers/);
  });
});

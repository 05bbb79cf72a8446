import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readContext } from '../build/context';
import { changedFiles, cleanSource, copySources, filesMatching, sourceMatcher } from './copy-sources';

const paths = [
  'Dockerfile',
  'package.json',
  'package-lock.json',
  'src/index.js',
  'src/lib/db.js',
  'src/lib/db.test.js',
  'srcs/other.js',
  'docs/a.md',
  'a[1].txt',
];

const matched = (...sources: string[]) =>
  filesMatching(
    paths.map((path) => ({ path })),
    sources,
  ).map((f) => f.path);

describe('the files a COPY source reads', () => {
  it('takes the flags off, keeps the sources and drops the destination, in both forms', () => {
    expect(copySources('--chown=node:node --from=build /app/dist ./dist/')).toEqual({
      from: 'build',
      sources: ['/app/dist'],
      remote: false,
    });
    expect(copySources('["package.json", "package-lock.json", "./"]')).toEqual({
      from: null,
      sources: ['package.json', 'package-lock.json'],
      remote: false,
    });
    expect(copySources('--link "with space.txt" /x').sources).toEqual(['with space.txt']);
    expect(copySources('https://example.invalid/a.tgz /tmp/').remote).toBe(true);
  });

  it('reads sources from the context root: a leading / or ./, and .. past the root, change nothing', () => {
    expect(cleanSource('./src/')).toBe('src');
    expect(cleanSource('/src/lib/../index.js')).toBe('src/index.js');
    expect(cleanSource('../../src')).toBe('src');
    expect(matched('/src')).toEqual(matched('src'));
  });

  it('a folder brings every file under it, and only under it (src is not srcs)', () => {
    expect(matched('src')).toEqual(['src/index.js', 'src/lib/db.js', 'src/lib/db.test.js']);
    expect(matched('src/lib/')).toEqual(['src/lib/db.js', 'src/lib/db.test.js']);
  });

  it('. is the whole context', () => {
    expect(matched('.')).toEqual(paths);
  });

  it('globs match within one path segment; ** crosses folders; classes and ? work', () => {
    expect(matched('package*.json')).toEqual(['package.json', 'package-lock.json']);
    expect(matched('src/*.js')).toEqual(['src/index.js']);
    expect(matched('src/*')).toEqual(['src/index.js', 'src/lib/db.js', 'src/lib/db.test.js']);
    expect(matched('src/**/*.test.js')).toEqual(['src/lib/db.test.js']);
    expect(matched('src?')).toEqual(['srcs/other.js']);
    expect(matched('[d]ocs')).toEqual(['docs/a.md']);
    expect(matched('a\\[1\\].txt')).toEqual(['a[1].txt']);
    expect(sourceMatcher('*.md')('docs/a.md')).toBe(false);
  });

  it('names what was added, removed and modified among the matched files only, with sizes', () => {
    const file = (path: string, sha256: string, size = 10, mode = 0o644) => ({ path, size, mode, sha256 });
    const before = [file('src/a.js', '1'), file('src/b.js', '2'), file('src/c.js', '3'), file('README.md', '4')];
    const after = [
      file('src/a.js', '1'),
      file('src/b.js', '2b', 12),
      file('src/d.js', '5', 7),
      file('README.md', '4x'),
      file('src/c.js', '3', 10, 0o755),
    ];
    expect(changedFiles(['src'], before, after)).toEqual({
      kind: 'files',
      sources: ['src'],
      added: [{ path: 'src/d.js', size: 7 }],
      removed: [],
      modified: [
        { path: 'src/b.js', oldSize: 10, newSize: 12 },
        { path: 'src/c.js', oldSize: 10, newSize: 10 },
      ],
      counts: { added: 1, removed: 0, modified: 2 },
    });
    expect(changedFiles(['src/a.js'], before, after)).toBeNull();
  });
});

describe('COPY sources against a real context snapshot (after .dockerignore)', () => {
  let dir: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-copy-sources-'));
    write('Dockerfile', 'FROM x\nCOPY src/ /app/\n');
    write('src/app.js', 'one');
    write('src/app.log', 'log');
    write('src/keep.log', 'kept');
    write('node_modules/x/index.js', 'dep');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const snapshot = async () => (await readContext(dir)).snapshot();

  it('an ignored file is never named, even when the COPY glob matches it; a file let back in with ! is', async () => {
    write('.dockerignore', 'node_modules\n*/*.log\n!src/keep.log\n');
    const before = await snapshot();
    write('src/app.log', 'log grew');
    write('src/keep.log', 'kept, edited');
    write('node_modules/x/index.js', 'dep 2');
    const change = changedFiles(['src/*', 'node_modules'], before, await snapshot());
    expect(change?.modified.map((f) => f.path)).toEqual(['src/keep.log']);
    expect(change?.counts).toEqual({ added: 0, removed: 0, modified: 1 });
  });

  it('a file newly ignored shows as removed from what the COPY reads', async () => {
    const before = await snapshot();
    write('.dockerignore', 'src/app.log\n');
    const change = changedFiles(['src'], before, await snapshot());
    expect(change?.removed).toEqual([{ path: 'src/app.log', size: 3 }]);
    expect(change?.added).toEqual([]);
  });
});

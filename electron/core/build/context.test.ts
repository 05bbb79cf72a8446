import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { BerthError } from '../../contract';
import { readContext } from './context';

let dir: string;
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};

async function tarNames(stream: NodeJS.ReadableStream): Promise<string[]> {
  const extract = tar.extract();
  const names: string[] = [];
  stream.pipe(extract);
  for await (const entry of extract) {
    names.push(entry.header.type === 'directory' ? `${entry.header.name.replace(/\/$/, '')}/` : entry.header.name);
    entry.resume();
  }
  return names.sort();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-context-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the build context honours .dockerignore like the docker CLI', () => {
  it('applies *, ! exceptions inside ignored folders, ** and folder patterns; the Dockerfile and .dockerignore always go', async () => {
    write('Dockerfile', 'FROM x\n');
    write(
      '.dockerignore',
      '*\n!service/package.json\n!service/src\nservice/src/**/*.test.ts\nDockerfile\n.dockerignore\n',
    );
    write('service/package.json', '{}');
    write('service/secret.env', 'X=1');
    write('service/src/a.ts', 'a');
    write('service/src/a.test.ts', 't');
    write('service/src/deep/b.ts', 'b');
    write('service/src/deep/b.test.ts', 't');
    write('notes.md', 'n');
    const context = await readContext(dir);
    expect(await tarNames(context.pack())).toEqual([
      '.dockerignore',
      'Dockerfile',
      'service/package.json',
      'service/src/',
      'service/src/a.ts',
      'service/src/deep/',
      'service/src/deep/b.ts',
    ]);
    expect(context.files).toBe(5);
  });

  it('leaves out a whole ignored folder but keeps other files, and counts bytes and files before sending', async () => {
    write('Dockerfile', 'FROM x\n');
    write('.dockerignore', '# comment\nnode_modules\n**/*.log\n!keep.log\n');
    write('node_modules/m/index.js', 'm');
    write('app.js', '12345');
    write('logs/a.log', 'x');
    write('keep.log', 'k');
    symlinkSync('app.js', join(dir, 'link.js'));
    const context = await readContext(dir);
    expect(await tarNames(context.pack())).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.js',
      'keep.log',
      'link.js',
      'logs/',
    ]);
    expect(context.files).toBe(4);
    expect(context.bytes).toBe(7 + 42 + 5 + 1);
  });

  it('snapshots each sent file with size, mode and sha256', async () => {
    write('Dockerfile', 'FROM x\n');
    write('src/index.js', 'console.log(1)\n');
    const context = await readContext(dir);
    await tarNames(context.pack());
    const snapshot = await context.snapshot();
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(snapshot).toEqual([
      { path: 'Dockerfile', size: 7, mode: expect.any(Number), sha256: sha('FROM x\n') },
      { path: 'src/index.js', size: 15, mode: 0o644, sha256: sha('console.log(1)\n') },
    ]);
  });

  it('names the missing folder, the missing Dockerfile, or a Dockerfile outside the context, with a fix', async () => {
    await expect(readContext(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(join(dir, 'nope')),
    });
    await expect(readContext(dir)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(join(dir, 'Dockerfile')),
    });
    const outside = await readContext(dir, '../Dockerfile').catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(BerthError);
    expect(outside).toMatchObject({ code: 'INVALID_INPUT', fix: expect.stringMatching(/context folder/) });
  });
});

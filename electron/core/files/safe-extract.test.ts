import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../../contract';
import { extractArchive } from './safe-extract';

type Entry = {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  body?: string;
  linkname?: string;
  mode?: number;
};

/** A tar with exactly these headers, as a hostile engine could send it. */
function tarOf(entries: Entry[]): Readable {
  const tar = pack();
  for (const { body, ...header } of entries) tar.entry({ type: 'file', mode: 0o644, ...header }, body ?? '');
  tar.finalize();
  return tar as unknown as Readable;
}

let base: string;
let destination: string;
/** A folder beside the destination that no entry may ever reach. */
let outside: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'berth-extract-'));
  destination = join(base, 'dest');
  outside = join(base, 'outside');
  mkdirSync(destination);
  mkdirSync(outside);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** Every path under `dir`, relative. */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

async function refused(entries: Entry[]): Promise<BerthError> {
  const error = await extractArchive(tarOf(entries), destination).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BerthError);
  expect(tree(destination)).toEqual([]);
  expect(tree(outside)).toEqual([]);
  return error as BerthError;
}

describe('unpacking a container archive on the host', () => {
  it('writes files and folders with their bytes and permission bits, under the destination', async () => {
    const report = await extractArchive(
      tarOf([
        { name: 'app/', type: 'directory', mode: 0o750 },
        { name: 'app/run.sh', body: '#!/bin/sh\necho hi\n', mode: 0o755 },
        { name: 'app/conf/', type: 'directory', mode: 0o700 },
        { name: 'app/conf/a.txt', body: 'a', mode: 0o600 },
        { name: 'app/link', type: 'symlink', linkname: 'conf/a.txt' },
        { name: 'app/hard', type: 'link', linkname: 'app/run.sh' },
      ]),
      destination,
    );
    expect(report).toEqual({ files: 3, bytes: 19, skipped: [] });
    expect(readFileSync(join(destination, 'app/run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(join(destination, 'app/run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(destination, 'app')).mode & 0o777).toBe(0o750);
    expect(statSync(join(destination, 'app/conf/a.txt')).mode & 0o777).toBe(0o600);
    expect(readlinkSync(join(destination, 'app/link'))).toBe('conf/a.txt');
    expect(readFileSync(join(destination, 'app/hard'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(tree(destination)).not.toContain(expect.stringMatching(/berth-copy/));
  });

  it('refuses absolute names and .. anywhere, and writes nothing', async () => {
    await refused([{ name: '/etc/evil', body: 'x' }]);
    await refused([{ name: '../outside/evil', body: 'x' }]);
    await refused([{ name: 'app/../../outside/evil', body: 'x' }]);
    await refused([
      { name: 'app/', type: 'directory' },
      { name: 'app/ok', body: 'fine' },
      { name: 'app/../../x', body: 'x' },
    ]);
    await refused([{ name: 'a\\..\\..\\outside\\evil', body: 'x' }]);
  });

  it('never writes through a link: a symlink to outside is left out, and an entry under it is refused', async () => {
    const error = await refused([
      { name: 'app/', type: 'directory' },
      { name: 'app/escape', type: 'symlink', linkname: outside },
      { name: 'app/escape/evil', body: 'x' },
    ]);
    expect(error.message).toMatch(/goes through a link or a file/);
    await refused([
      { name: 'app/', type: 'directory' },
      { name: 'app/up', type: 'symlink', linkname: '../../outside' },
      { name: 'app/up/evil', body: 'x' },
    ]);
    // A link inside the copy is kept, but writing through it is still refused.
    await refused([
      { name: 'app/', type: 'directory' },
      { name: 'app/sub/', type: 'directory' },
      { name: 'app/inner', type: 'symlink', linkname: 'sub' },
      { name: 'app/inner/evil', body: 'x' },
    ]);
  });

  it('leaves out links that point outside the copy and special files, and says so', async () => {
    const report = await extractArchive(
      tarOf([
        { name: 'app/', type: 'directory' },
        { name: 'app/abs', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'app/rel', type: 'symlink', linkname: '../../outside/x' },
        { name: 'app/hard', type: 'link', linkname: '../outside/x' },
        { name: 'app/pipe', type: 'fifo' },
      ]),
      destination,
    );
    expect(report.skipped.map((s) => s.name).sort()).toEqual(['app/abs', 'app/hard', 'app/pipe', 'app/rel']);
    expect(tree(destination)).toEqual(['app']);
    expect(tree(outside)).toEqual([]);
  });

  it('never overwrites: a file entry twice, or a name that exists in the destination, leaves it as it was', async () => {
    await refused([
      { name: 'a', body: 'one' },
      { name: 'a', body: 'two' },
    ]);
    writeFileSync(join(destination, 'keep.txt'), 'mine');
    const error = await extractArchive(tarOf([{ name: 'keep.txt', body: 'theirs' }]), destination).catch(
      (e: unknown) => e,
    );
    expect((error as BerthError).code).toBe('CONFLICT');
    expect(readFileSync(join(destination, 'keep.txt'), 'utf8')).toBe('mine');
    expect(tree(destination)).toEqual(['keep.txt']);
  });

  it('stops at the size and entry caps, and writes nothing', async () => {
    const big = await extractArchive(tarOf([{ name: 'a', body: 'x'.repeat(100) }]), destination, {
      maxBytes: 99,
      maxEntries: 10,
    }).catch((e: unknown) => e);
    expect((big as BerthError).message).toMatch(/larger than 99 bytes/);
    const many = await extractArchive(
      tarOf(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, body: '' }))),
      destination,
      { maxBytes: 1000, maxEntries: 4 },
    ).catch((e: unknown) => e);
    expect((many as BerthError).message).toMatch(/more than 4 entries/);
    expect(tree(destination)).toEqual([]);
  });

  it('refuses a destination that is not a folder, and a broken tar leaves nothing behind', async () => {
    writeFileSync(join(base, 'file'), '');
    expect(((await extractArchive(tarOf([]), join(base, 'file')).catch((e: unknown) => e)) as BerthError).code).toBe(
      'INVALID_INPUT',
    );
    const broken = Readable.from([Buffer.alloc(700, 1)]);
    await expect(extractArchive(broken, destination)).rejects.toThrow();
    expect(tree(destination)).toEqual([]);
    expect(lstatSync(destination).isDirectory()).toBe(true);
  });
});

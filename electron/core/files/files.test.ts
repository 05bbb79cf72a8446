import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ContainerFilePath, FileName, normaliseContainerPath, UploadRequest } from '../../contract';
import { listArchive } from './folder-listing';
import { parsePathStat } from './path-stat';

describe('container paths and file names', () => {
  it('normalises absolute paths and refuses relative ones, NUL and .. above /', () => {
    expect(normaliseContainerPath('/a/./b//c/../d/')).toBe('/a/b/d');
    expect(normaliseContainerPath('/')).toBe('/');
    expect(normaliseContainerPath('/a/..')).toBe('/');
    for (const bad of ['a/b', '', '/..', '/a/../..', '/a\0b', './x']) expect(normaliseContainerPath(bad)).toBeNull();
    expect(ContainerFilePath.parse('/srv//data/../app')).toBe('/srv/app');
    expect(ContainerFilePath.safeParse(`/${'a'.repeat(5000)}`).success).toBe(false);
  });

  it('accepts one path segment as a file name, and nothing that could climb or hide', () => {
    for (const good of ['notes.txt', 'ünïcødé.md', '.env', 'a b']) expect(FileName.safeParse(good).success).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', '/x', 'a\0', 'line\nbreak', 'é'.repeat(128)])
      expect(FileName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    const upload = { id: 'abcdef012345', folder: '/tmp', name: 'x', sizeBytes: 2 * 1024 ** 3 };
    expect(UploadRequest.safeParse(upload).success).toBe(false);
    expect(UploadRequest.safeParse({ ...upload, sizeBytes: 10, id: '../../images' }).success).toBe(false);
    expect(UploadRequest.parse({ ...upload, sizeBytes: 10, folder: '/tmp/../srv' }).folder).toBe('/srv');
  });
});

describe('the engine path stat header', () => {
  const header = (stat: object) => Buffer.from(JSON.stringify(stat)).toString('base64');
  it('reads kind and permission bits from the Go file mode', () => {
    const dir = parsePathStat(header({ name: 'etc', size: 4096, mode: 2 ** 31 + 0o755, mtime: 't', linkTarget: '' }));
    expect(dir).toMatchObject({ name: 'etc', kind: 'folder', mode: 0o755 });
    expect(
      parsePathStat(header({ name: 'sh', size: 7, mode: 2 ** 27 + 0o777, mtime: 't', linkTarget: '/bin/busybox' })),
    ).toMatchObject({ kind: 'symlink', linkTarget: '/bin/busybox' });
    expect(parsePathStat(header({ name: 'f', size: 3, mode: 0o644, mtime: 't' }))).toMatchObject({
      kind: 'file',
      sizeBytes: 3,
    });
    expect(parsePathStat(undefined)).toBeNull();
    expect(parsePathStat('not base64 json')).toBeNull();
  });
});

describe('a folder listing from its archive', () => {
  const archive = (names: Array<{ name: string; type?: 'directory' | 'file' | 'symlink'; linkname?: string }>) => {
    const tar = pack();
    for (const header of names) tar.entry({ type: 'file', mode: 0o644, ...header }, header.type ? '' : 'abc');
    tar.finalize();
    return tar as unknown as Readable;
  };

  it('lists the direct entries only, folders first, with kinds and sizes', async () => {
    const listing = await listArchive(
      archive([
        { name: 'app/', type: 'directory' },
        { name: 'app/z.txt' },
        { name: 'app/lib/', type: 'directory' },
        { name: 'app/lib/deep.js' },
        { name: 'app/sh', type: 'symlink', linkname: '/bin/sh' },
      ]),
    );
    expect(listing.truncated).toBe(false);
    expect(listing.entries.map((e) => [e.name, e.kind, e.sizeBytes])).toEqual([
      ['lib', 'folder', 0],
      ['sh', 'symlink', 0],
      ['z.txt', 'file', 3],
    ]);
  });

  it('stops at the entry cap and says the listing is partial', async () => {
    const names = [
      { name: 'big/', type: 'directory' as const },
      ...Array.from({ length: 10 }, (_, i) => ({ name: `big/f${i}` })),
    ];
    const listing = await listArchive(archive(names), { maxEntries: 4, maxBytes: 1e9 });
    expect(listing).toMatchObject({ truncated: true });
    expect(listing.entries).toHaveLength(4);
    const broken = Readable.from([Buffer.alloc(600, 7)]);
    await expect(listArchive(broken)).rejects.toThrow();
  });
});

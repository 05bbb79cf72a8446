/**
 * Unpacks a tar (a container's archive) into a host folder, and never writes outside it, whatever the tar
 * says: absolute names and `..` are refused, a link whose target leaves the copy is left out, and every
 * folder on the way to an entry must be a real folder (lstat), never a symlink, so no entry can be steered
 * through a link. Files are created exclusively (O_EXCL | O_NOFOLLOW).
 *
 * Everything lands first in a fresh staging folder inside the destination, which is moved into place only
 * when the whole archive unpacked and none of its top-level names already exist there; on any failure the
 * staging folder is deleted, so the destination is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, symlink, utimes } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

/** An entry's contents as tar-stream hands them over. */
type Body = AsyncIterable<unknown> & { resume(): unknown };

import { BerthError, type CopyOutReport } from '../../contract';
import { entrySegments } from './archive-names';

export interface ExtractLimits {
  /** Total bytes of file contents. */
  maxBytes: number;
  maxEntries: number;
}

export const COPY_OUT_LIMITS: ExtractLimits = { maxBytes: 8 * 1024 ** 3, maxEntries: 200_000 };

type Report = Omit<CopyOutReport, 'destination'>;

const hostile = (name: string, why: string): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    `The archive holds an entry "${name.slice(0, 200)}" that ${why}; nothing was copied.`,
    'Copy a different path; this archive cannot be unpacked safely.',
  );

const exists = async (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** Creates each folder on the way to `segments` inside `root`; refuses a part that exists and is not a real folder. */
async function realFolders(root: string, segments: string[], name: string): Promise<void> {
  let path = root;
  for (const segment of segments) {
    path = join(path, segment);
    const found = await lstat(path).catch(() => null);
    if (!found) await mkdir(path, { mode: 0o700 });
    else if (!found.isDirectory()) throw hostile(name, 'goes through a link or a file');
  }
}

const within = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

class Unpacker {
  readonly report: Report = { files: 0, bytes: 0, skipped: [] };
  private entries = 0;
  /** Folder modes, applied last (deepest first) so a read-only folder does not stop its own contents. */
  private readonly folderModes = new Map<string, { mode: number; mtime: Date | undefined }>();
  /** Links and special files left out: an entry under one of them is as hostile as one written through a link. */
  private readonly leftOut = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly limits: ExtractLimits,
  ) {}

  async entry(header: Header, body: Body): Promise<void> {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries)
      throw new BerthError(
        'INVALID_INPUT',
        `The copy has more than ${this.limits.maxEntries} entries.`,
        'Copy a smaller folder.',
      );
    const segments = entrySegments(header.name);
    if (segments === null) throw hostile(header.name, 'is absolute or climbs out with ..');
    if (segments.length === 0) {
      body.resume();
      return;
    }
    const target = join(this.root, ...segments);
    if (!within(this.root, resolve(target))) throw hostile(header.name, 'lands outside the destination');
    for (let depth = 1; depth < segments.length; depth += 1)
      if (this.leftOut.has(join(this.root, ...segments.slice(0, depth))))
        throw hostile(header.name, 'goes through a link or a file');
    await realFolders(this.root, segments.slice(0, -1), header.name);
    const mode = (header.mode ?? 0o644) & 0o777;

    switch (header.type) {
      case 'directory':
        await realFolders(this.root, segments, header.name);
        this.folderModes.set(target, { mode, mtime: header.mtime });
        body.resume();
        return;
      case 'file':
      case 'contiguous-file':
        await this.file(target, header, body, mode);
        return;
      case 'symlink':
        body.resume();
        await this.link(target, header);
        return;
      case 'link':
        body.resume();
        await this.hardLink(target, header);
        return;
      default:
        body.resume();
        this.leftOut.add(target);
        this.report.skipped.push({ name: header.name, reason: `a ${header.type ?? 'special'} entry is not copied` });
    }
  }

  private async file(target: string, header: Header, body: Body, mode: number): Promise<void> {
    const size = header.size ?? 0;
    if (this.report.bytes + size > this.limits.maxBytes)
      throw new BerthError(
        'INVALID_INPUT',
        `The copy is larger than ${this.limits.maxBytes} bytes.`,
        'Copy a smaller file or folder.',
      );
    const handle = await open(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    ).catch(() => {
      throw hostile(header.name, 'names a file that exists already');
    });
    try {
      for await (const chunk of body) await handle.write(chunk as Buffer);
    } finally {
      await handle.close();
    }
    await chmod(target, mode);
    if (header.mtime) await utimes(target, header.mtime, header.mtime);
    this.report.files += 1;
    this.report.bytes += size;
  }

  private async link(target: string, header: Header): Promise<void> {
    const to = header.linkname ?? '';
    if (to === '' || to.startsWith('/') || to.includes('\0') || !within(this.root, resolve(dirname(target), to))) {
      this.report.skipped.push({ name: header.name, reason: `a link to "${to}", outside the copy` });
      this.leftOut.add(target);
      return;
    }
    await symlink(to, target).catch(() => {
      throw hostile(header.name, 'names a file that exists already');
    });
  }

  private async hardLink(target: string, header: Header): Promise<void> {
    const segments = entrySegments(header.linkname ?? '');
    const source = segments && segments.length > 0 ? join(this.root, ...segments) : null;
    const found = source && within(this.root, resolve(source)) ? await lstat(source).catch(() => null) : null;
    if (!source || !found?.isFile()) {
      this.leftOut.add(target);
      this.report.skipped.push({
        name: header.name,
        reason: `a hard link to "${header.linkname}", not a file of the copy`,
      });
      return;
    }
    await copyFile(source, target, constants.COPYFILE_EXCL);
    this.report.files += 1;
  }

  async finish(): Promise<void> {
    const deepestFirst = [...this.folderModes].sort(([a], [b]) => b.length - a.length);
    for (const [path, { mode, mtime }] of deepestFirst) {
      await chmod(path, mode);
      if (mtime) await utimes(path, mtime, mtime);
    }
  }
}

async function unpack(tar: Readable, root: string, limits: ExtractLimits): Promise<Report> {
  const unpacker = new Unpacker(root, limits);
  const reader = extract();
  tar.on('error', (error) => reader.destroy(error));
  tar.pipe(reader);
  try {
    for await (const entry of reader) await unpacker.entry(entry.header, entry);
  } finally {
    tar.destroy();
  }
  await unpacker.finish();
  return unpacker.report;
}

/** Unpacks `tar` into the existing host folder `destination`; see the module comment for the guarantees. */
export async function extractArchive(
  tar: Readable,
  destination: string,
  limits: ExtractLimits = COPY_OUT_LIMITS,
): Promise<Report> {
  const found = await lstat(destination).catch(() => null);
  if (!found?.isDirectory())
    throw new BerthError('INVALID_INPUT', `"${destination}" is not a folder.`, 'Choose an existing folder.');
  const staging = join(destination, `.berth-copy-${randomBytes(6).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const report = await unpack(tar, staging, limits);
    const names = await readdir(staging);
    const taken = [];
    for (const name of names) if (await exists(join(destination, name))) taken.push(name);
    if (taken.length > 0)
      throw new BerthError(
        'CONFLICT',
        `"${taken.join('", "')}" already exist${taken.length === 1 ? 's' : ''} in ${destination}; nothing was copied.`,
        'Choose another folder, or move the existing one away first.',
      );
    for (const name of names) await rename(join(staging, name), join(destination, name));
    return report;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

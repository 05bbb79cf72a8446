/**
 * A container folder's entries, read from the engine's archive of it (names and headers only; contents
 * are skipped). The archive holds the whole tree, so the read stops after LISTING_MAX_ENTRIES direct
 * entries or LISTING_SCAN_MAX_BYTES of archive, and the listing then says it is partial.
 */
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { BerthError, type FileEntry, type FileKind, type FolderListing, LISTING_MAX_ENTRIES } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { entrySegments } from './archive-names';
import { pathWhat, statPath } from './path-stat';

/** How much of a folder's archive a listing reads at most (contents included, as the engine sends them). */
export const LISTING_SCAN_MAX_BYTES = 256 * 1024 * 1024;

const KIND: Record<string, FileKind> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'folder',
  symlink: 'symlink',
};

function entryOf(name: string, header: Header): FileEntry {
  return {
    name,
    kind: KIND[header.type ?? ''] ?? (header.type === 'link' ? 'file' : 'other'),
    sizeBytes: header.size ?? 0,
    mode: (header.mode ?? 0) & 0o7777,
    modified: header.mtime ? header.mtime.toISOString() : '',
    ...(header.linkname && { linkTarget: header.linkname }),
  };
}

/** The direct children in a folder's archive (its first entry is the folder itself). Pure over the stream. */
export async function listArchive(
  tar: Readable,
  limits = { maxEntries: LISTING_MAX_ENTRIES, maxBytes: LISTING_SCAN_MAX_BYTES },
): Promise<{ entries: FileEntry[]; truncated: boolean }> {
  const entries: FileEntry[] = [];
  let depth: number | null = null;
  let scanned = 0;
  let truncated = false;
  const reader = extract();
  tar.on('error', (error) => reader.destroy(error));
  tar.pipe(reader);
  try {
    for await (const entry of reader) {
      const { header } = entry;
      scanned += 512 + (header.size ?? 0);
      const segments = entrySegments(header.name) ?? [];
      if (depth === null) depth = segments.length;
      else if (segments.length === depth + 1) entries.push(entryOf(segments[depth] as string, header));
      if (entries.length > limits.maxEntries || scanned > limits.maxBytes) {
        entries.length = Math.min(entries.length, limits.maxEntries);
        truncated = true;
        break;
      }
      entry.resume();
    }
  } finally {
    tar.destroy();
  }
  entries.sort((a, b) => Number(b.kind === 'folder') - Number(a.kind === 'folder') || a.name.localeCompare(b.name));
  return { entries, truncated };
}

export async function listFolder(engine: EngineHandle, id: string, path: string): Promise<FolderListing> {
  const stat = await statPath(engine, id, path);
  if (stat.kind !== 'folder')
    throw new BerthError('INVALID_INPUT', `"${path}" is not a folder.`, 'Open a folder, or download the file.', {
      path: ['not a folder'],
    });
  let tar: Readable;
  try {
    tar = (await engine.docker.getContainer(id).getArchive({ path })) as unknown as Readable;
  } catch (error) {
    throw toBerthError(error, engine.endpoint, pathWhat(id, path));
  }
  return { path, ...(await listArchive(tar)) };
}

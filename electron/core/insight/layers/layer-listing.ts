/**
 * One layer tar, read as it streams past: plain, gzip or zstd (told apart by their magic bytes, never by name),
 * unpacked on the fly and listed entry by entry. Only each entry's path, type and size (and, when asked, a short
 * digest of its content) are kept; file contents are never held.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { extract, type Header } from 'tar-stream';

/** One character per entry: f file, d directory, l symlink, h hardlink, o anything else (devices, fifos). */
export type EntryKind = 'f' | 'd' | 'l' | 'h' | 'o';

/** A layer's entries in tar order, as parallel arrays (compact: 100,000 entries are a few MB). */
export interface LayerListing {
  paths: string[];
  kinds: EntryKind[];
  /**
   * Bytes each entry takes on disk the way the engine counts a layer (`docker history`): a file's size, a
   * symlink's target length, and 0 for directories, hardlinks (counted once, at their first name) and whiteouts.
   */
  sizes: number[];
  /** sha256 prefixes of file contents, only when asked for (to diff two images); empty otherwise. */
  digests: string[];
  /** Bytes of the layer tar itself as stored in the image (compressed when the layer is). */
  storedBytes: number;
  compression: 'none' | 'gzip' | 'zstd';
}

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const DIGEST_CHARS = 16;

/** The compression of a layer, from its first bytes. */
export function compressionOf(head: Buffer): LayerListing['compression'] {
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, ZSTD)) return 'zstd';
  return 'none';
}

/** The tar path in one canonical form: no leading `./` or `/`, no trailing `/`. */
export function canonicalPath(name: string): string {
  return name.replace(/^(?:\.?\/)+/, '').replace(/\/+$/, '');
}

function kindOf(type: Header['type']): EntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'f';
    case 'directory':
      return 'd';
    case 'symlink':
      return 'l';
    case 'link':
      return 'h';
    default:
      return 'o';
  }
}

/** Gives back the stream's first `want` bytes (fewer if it ends sooner) and the rest of it, unread. */
export async function peek(
  source: AsyncIterator<Buffer>,
  want: number,
): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer> }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < want) {
    const next = await source.next();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  }
  return { head, rest: rest() };
}

/** zstd frames through fzstd's streaming decoder, chunk by chunk. */
async function* unzstd(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const out: Uint8Array[] = [];
  const decoder = new Decompress((chunk) => {
    out.push(chunk);
  });
  for await (const chunk of source) {
    decoder.push(chunk);
    while (out.length) {
      const next = out.shift() as Uint8Array;
      yield Buffer.from(next.buffer, next.byteOffset, next.byteLength);
    }
  }
  decoder.push(new Uint8Array(0), true);
  for (const next of out) yield Buffer.from(next.buffer, next.byteOffset, next.byteLength);
}

/** The layer's tar bytes, unpacked when it is compressed; counts the stored bytes as they pass. */
async function* tarBytes(
  layer: AsyncIterable<Buffer>,
  seen: { stored: number; compression: LayerListing['compression'] },
): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(layer[Symbol.asyncIterator](), ZSTD.length);
  seen.compression = compressionOf(head);
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of rest) {
      seen.stored += chunk.length;
      yield chunk;
    }
  }
  if (seen.compression === 'gzip') {
    const gunzip = createGunzip();
    const source = Readable.from(counted());
    source.on('error', (error) => gunzip.destroy(error));
    yield* source.pipe(gunzip);
  } else if (seen.compression === 'zstd') yield* unzstd(counted());
  else yield* counted();
}

export interface ListingOptions {
  /** Keep a sha256 prefix of each file's content (costs CPU; needed to diff two images). */
  digests?: boolean;
}

/** Lists one layer tar (plain, gzip or zstd) as it streams; rejects when it is not a tar. */
export async function listLayer(layer: AsyncIterable<Buffer>, options: ListingOptions = {}): Promise<LayerListing> {
  const seen = { stored: 0, compression: 'none' as LayerListing['compression'] };
  const listing: LayerListing = { paths: [], kinds: [], sizes: [], digests: [], storedBytes: 0, compression: 'none' };
  const tar = extract();
  const bytes = Readable.from(tarBytes(layer, seen));
  // Entry by entry through callbacks, not async iteration: a layer can hold 100,000 small files.
  const listed = new Promise<void>((resolve, reject) => {
    tar.on('entry', (header, entry, next) => {
      const kind = kindOf(header.type);
      const path = canonicalPath(header.name);
      const hash = options.digests && kind === 'f' ? createHash('sha256') : null;
      entry.on('data', (chunk: unknown) => hash?.update(chunk as Buffer)); // drained, never kept
      entry.on('end', () => {
        if (path !== '') {
          // '' is the layer's root "./"
          listing.paths.push(path);
          listing.kinds.push(kind);
          listing.sizes.push(
            kind === 'f' ? (header.size ?? 0) : kind === 'l' ? Buffer.byteLength(header.linkname ?? '') : 0,
          );
          if (options.digests) listing.digests.push(hash ? hash.digest('hex').slice(0, DIGEST_CHARS) : '');
        }
        next();
      });
    });
    tar.once('finish', resolve);
    tar.once('error', reject);
    tar.once('close', () => reject(new Error('the layer ended before its tar did')));
  });
  bytes.on('error', (error) => tar.destroy(error));
  bytes.pipe(tar);
  await listed;
  listing.storedBytes = seen.stored;
  listing.compression = seen.compression;
  return listing;
}

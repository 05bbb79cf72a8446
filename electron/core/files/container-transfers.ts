/**
 * File transfers with a container: downloads (a file's bytes, or a folder as the engine's tar), uploads
 * (one file's bytes streamed into a tar of one entry, into a folder) and copies out to a host folder.
 * Nothing is held in memory whole.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract, type Pack, pack } from 'tar-stream';
import { BerthError, type FileKind, type UploadRequest } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { pathWhat, statPath } from './path-stat';
import { COPY_OUT_LIMITS, type ExtractLimits, extractArchive } from './safe-extract';

export interface Download {
  /** The file's own name, or `<folder>.tar` (the engine's archive) for anything that is not a plain file. */
  fileName: string;
  kind: FileKind;
  /** Known for a plain file; a tar's length is not known before it is sent. */
  sizeBytes?: number;
  /** application/octet-stream or application/x-tar. */
  contentType: string;
  body: Readable;
}

async function archiveOf(engine: EngineHandle, id: string, path: string): Promise<Readable> {
  try {
    return (await engine.docker.getContainer(id).getArchive({ path })) as unknown as Readable;
  } catch (error) {
    throw toBerthError(error, engine.endpoint, pathWhat(id, path));
  }
}

/** The bytes of the single file inside a one-file archive. */
async function* onlyFileOf(tar: Readable): AsyncGenerator<Buffer> {
  const reader = extract();
  tar.on('error', (error) => reader.destroy(error));
  tar.pipe(reader);
  let seen = false;
  for await (const entry of reader) {
    const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
    if (seen || !isFile) {
      entry.resume();
      continue;
    }
    seen = true;
    for await (const chunk of entry) yield chunk as Buffer;
  }
}

/**
 * The archive of `path`, asked of the engine only when the first byte is read. The engine holds the
 * container's lock until an archive is read to the end or closed (stop, inspect and other copies of that
 * container wait meanwhile), so nothing is opened before someone is there to read it.
 */
async function* archiveBytes(
  engine: EngineHandle,
  id: string,
  path: string,
  onlyFile: boolean,
): AsyncGenerator<Buffer> {
  const tar = await archiveOf(engine, id, path);
  try {
    if (onlyFile) yield* onlyFileOf(tar);
    else for await (const chunk of tar) yield chunk as Buffer;
  } finally {
    tar.destroy();
  }
}

export async function openDownload(engine: EngineHandle, id: string, path: string): Promise<Download> {
  const stat = await statPath(engine, id, path);
  const name = stat.name || 'root';
  const file = stat.kind === 'file';
  return {
    fileName: file ? name : `${name}.tar`,
    kind: stat.kind,
    ...(file && { sizeBytes: stat.sizeBytes }),
    contentType: file ? 'application/octet-stream' : 'application/x-tar',
    body: Readable.from(archiveBytes(engine, id, path, file), { objectMode: false }),
  };
}

const wrongSize = (size: number): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    `The upload did not carry exactly the ${size} bytes announced; nothing was written.`,
    'Send exactly the announced size.',
  );

/**
 * Keeps `body` in a private temporary file (never in memory) and checks that it is exactly `size` bytes.
 * The engine unpacks a tar as it arrives, so a body that turned out short or long would already have left
 * a partial file in the container: only a body known to be whole is sent.
 */
async function stage(body: Readable, file: string, size: number): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      if (total > size) throw wrongSize(size);
      await handle.write(chunk as Buffer);
    }
  } finally {
    await handle.close();
  }
  if (total !== size) throw wrongSize(size);
}

/** Copies a stream into a tar entry, waiting whenever the entry is full. */
async function feed(source: Readable, entry: ReturnType<Pack['entry']>): Promise<void> {
  for await (const chunk of source)
    if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
  await new Promise<void>((resolve) => entry.end(() => resolve()));
}

/**
 * Writes `body` (exactly `request.sizeBytes` bytes) as `request.name` into the folder `request.folder`,
 * replacing a file of that name. A short or long body writes nothing in the container.
 */
export async function uploadFile(engine: EngineHandle, request: UploadRequest, body: Readable): Promise<void> {
  const stat = await statPath(engine, request.id, request.folder);
  if (stat.kind !== 'folder')
    throw new BerthError('INVALID_INPUT', `"${request.folder}" is not a folder.`, 'Upload into a folder.', {
      folder: ['not a folder'],
    });
  const dir = await mkdtemp(join(tmpdir(), 'berth-upload-'));
  try {
    const staged = join(dir, 'body');
    await stage(body, staged, request.sizeBytes);
    const tar = pack();
    const entry = tar.entry({ name: request.name, size: request.sizeBytes, mode: 0o644, mtime: new Date() });
    const feeding = feed(createReadStream(staged), entry).then(() => tar.finalize());
    feeding.catch((error: unknown) => tar.destroy(error as Error));
    await Promise.all([
      feeding,
      engine.docker.getContainer(request.id).putArchive(tar as unknown as NodeJS.ReadableStream, {
        path: request.folder,
        noOverwriteDirNonDir: true,
      }),
    ]);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, pathWhat(request.id, request.folder));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies a container path into the host folder `destination`, as `docker cp CONTAINER:PATH DEST` does. */
export async function copyOut(
  engine: EngineHandle,
  id: string,
  path: string,
  destination: string,
  limits: ExtractLimits = COPY_OUT_LIMITS,
) {
  await statPath(engine, id, path);
  return extractArchive(await archiveOf(engine, id, path), destination, limits);
}

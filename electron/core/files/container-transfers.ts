/**
 * File transfers with a container: downloads (a file's bytes, or a folder as the engine's tar), uploads
 * (one file's bytes streamed into a tar of one entry, into a folder) and copies out to a host folder.
 * Nothing is held in memory whole.
 */
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
  try {
    for await (const entry of reader) {
      const isFile = entry.header.type === 'file' || entry.header.type === 'contiguous-file';
      if (seen || !isFile) {
        entry.resume();
        continue;
      }
      seen = true;
      for await (const chunk of entry) yield chunk as Buffer;
    }
  } finally {
    tar.destroy();
  }
}

export async function openDownload(engine: EngineHandle, id: string, path: string): Promise<Download> {
  const stat = await statPath(engine, id, path);
  const tar = await archiveOf(engine, id, path);
  const name = stat.name || 'root';
  if (stat.kind === 'file')
    return {
      fileName: name,
      kind: 'file',
      sizeBytes: stat.sizeBytes,
      contentType: 'application/octet-stream',
      body: Readable.from(onlyFileOf(tar), { objectMode: false }),
    };
  return { fileName: `${name}.tar`, kind: stat.kind, contentType: 'application/x-tar', body: tar };
}

const wrongSize = (size: number): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    `The upload did not carry exactly the ${size} bytes announced; nothing was written.`,
    'Send exactly the announced size.',
  );

/** Copies exactly `size` bytes of `body` into the tar entry, waiting when it is full. */
async function feed(body: Readable, entry: ReturnType<Pack['entry']>, size: number): Promise<void> {
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > size) throw wrongSize(size);
    if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
  }
  if (total !== size) throw wrongSize(size);
  await new Promise<void>((resolve) => entry.end(() => resolve()));
}

/**
 * Writes `body` (exactly `request.sizeBytes` bytes) as `request.name` into the folder `request.folder`. A
 * short or long body fails the upload; the engine then receives a broken tar and writes nothing.
 */
export async function uploadFile(engine: EngineHandle, request: UploadRequest, body: Readable): Promise<void> {
  const stat = await statPath(engine, request.id, request.folder);
  if (stat.kind !== 'folder')
    throw new BerthError('INVALID_INPUT', `"${request.folder}" is not a folder.`, 'Upload into a folder.', {
      folder: ['not a folder'],
    });
  const tar = pack();
  const entry = tar.entry({ name: request.name, size: request.sizeBytes, mode: 0o644, mtime: new Date() });
  const feeding = feed(body, entry, request.sizeBytes).then(() => tar.finalize());
  feeding.catch((error: unknown) => tar.destroy(error as Error));
  try {
    await Promise.all([
      feeding,
      engine.docker.getContainer(request.id).putArchive(tar as unknown as NodeJS.ReadableStream, {
        path: request.folder,
        noOverwriteDirNonDir: true,
      }),
    ]);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, pathWhat(request.id, request.folder));
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

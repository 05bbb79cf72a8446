/**
 * Reads the Dockerfile of a build context for the UI, and only from inside that context: the same check as a
 * build's (folder and file resolved, symlinks too, before the "inside" test), the file must be a regular file,
 * and at most MAX_DOCKERFILE_BYTES are read.
 */
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { BerthError, type DockerfileFile } from '../../contract';
import { checkContext } from '../build/context';
import { outlineDockerfile } from './dockerfile-outline';

/** Larger than any real Dockerfile; a bigger file is not one (or not one to show). */
export const MAX_DOCKERFILE_BYTES = 1024 * 1024;

/**
 * Resolves the context folder and the Dockerfile in it, refusing anything that leads outside: the build's own
 * check (symlinks resolved on both sides before the "inside" test), for an absolute folder only.
 */
export async function locateDockerfile(contextDir: string, dockerfile: string): Promise<{ dir: string; file: string }> {
  if (!isAbsolute(contextDir)) {
    throw new BerthError(
      'INVALID_INPUT',
      `The context folder "${contextDir}" is not an absolute path.`,
      'Give the full path of the folder, e.g. /home/you/project, or pick it from the list.',
      { contextDir: ['not an absolute path'] },
    );
  }
  const { dir, realPath } = await checkContext(contextDir, dockerfile);
  return { dir, file: realPath };
}

/** The Dockerfile's text and outline. `bundledDir` is the default project's folder, to say whether this is it. */
export async function readDockerfile(
  contextDir: string,
  dockerfile: string,
  bundledDir?: string,
): Promise<DockerfileFile> {
  const { dir, file } = await locateDockerfile(contextDir, dockerfile);
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new BerthError(
        'INVALID_INPUT',
        `${file} is not a regular file.`,
        'Give the path of the Dockerfile itself, not of a folder or device.',
        { dockerfile: ['not a file'] },
      );
    }
    const tooBig = () =>
      new BerthError(
        'INVALID_INPUT',
        `${file} is larger than ${MAX_DOCKERFILE_BYTES / 1024 / 1024} MiB, the most Berth reads as a Dockerfile.`,
        'Check that the Dockerfile path names the Dockerfile; a real one is a few kilobytes.',
        { dockerfile: ['too large'] },
      );
    if (info.size > MAX_DOCKERFILE_BYTES) throw tooBig();
    // Read one byte past the limit, so a file that grew after the stat is still caught.
    const buffer = Buffer.alloc(MAX_DOCKERFILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_DOCKERFILE_BYTES) throw tooBig();
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const bundled =
      bundledDir !== undefined &&
      (await realpath(bundledDir).catch(() => null)) === dir &&
      relative(dir, file) === 'Dockerfile';
    return {
      contextDir: dir,
      dockerfile: relative(dir, resolve(dir, dockerfile)).split(sep).join('/'),
      text,
      bytes: bytesRead,
      bundled,
      outline: outlineDockerfile(text),
    };
  } finally {
    await handle.close();
  }
}

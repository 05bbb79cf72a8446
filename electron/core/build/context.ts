/**
 * The build context: which files of the context folder go to the engine (honouring .dockerignore as
 * the docker CLI does), packed as a tar stream, with a snapshot (path, size, mode, sha256) of each file.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-stream';
import { BerthError } from '../../contract';

export interface ContextFile {
  path: string;
  size: number;
  mode: number;
  sha256: string;
}

interface ContextEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink';
  size: number;
  mode: number;
  mtime: Date;
}

export interface BuildContext {
  dir: string;
  /** The Dockerfile's path inside the context, with forward slashes: what the engine is told. */
  dockerfile: string;
  /** The Dockerfile's real path (symlinks resolved), checked to be inside the context: the file to read. */
  dockerfileRealPath: string;
  files: number;
  bytes: number;
  /** Packs the context as an uncompressed tar; hashes each file as it goes. */
  pack(): Readable;
  /** The context files with their sha256 (reuses the hashes made while packing). */
  snapshot(): Promise<ContextFile[]>;
}

const toPosix = (p: string): string => p.split(sep).join('/');

const outsideContext = (shown: string, dir: string): BerthError =>
  new BerthError(
    'INVALID_INPUT',
    `The Dockerfile ${shown} is outside the context folder ${dir}.`,
    'Move the Dockerfile into the context folder, or choose a context folder that contains it.',
    { dockerfile: ['outside the context folder'] },
  );

const isInside = (dir: string, path: string): boolean => {
  const inside = relative(dir, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
};

/**
 * Checks that the context folder exists and holds the Dockerfile; NOT_FOUND or INVALID_INPUT with the fix.
 * Symlinks are resolved before the check: a Dockerfile that is (or sits in a folder that is) a link to a file
 * outside the context, such as /etc/passwd, is refused, and never read.
 */
export async function checkContext(
  contextDir: string,
  dockerfile = 'Dockerfile',
): Promise<{ dir: string; inside: string; realPath: string }> {
  const given = resolve(contextDir);
  const dirStat = await stat(given).catch(() => undefined);
  if (!dirStat) {
    throw new BerthError(
      'NOT_FOUND',
      `The context folder ${given} does not exist.`,
      'Choose an existing folder as the build context.',
    );
  }
  if (!dirStat.isDirectory()) {
    throw new BerthError('INVALID_INPUT', `The build context ${given} is a file, not a folder.`, 'Choose a folder.', {
      contextDir: ['not a folder'],
    });
  }
  const dir = await realpath(given);
  const dockerfilePath = resolve(dir, dockerfile);
  if (!isInside(dir, dockerfilePath)) throw outsideContext(dockerfilePath, dir);
  const inside = relative(dir, dockerfilePath);
  const realPath = await realpath(dockerfilePath).catch(() => undefined);
  if (realPath !== undefined && !isInside(dir, realPath)) {
    throw outsideContext(`${dockerfilePath} (a link to ${realPath})`, dir);
  }
  const dockerfileStat = realPath === undefined ? undefined : await stat(realPath).catch(() => undefined);
  if (!realPath || !dockerfileStat?.isFile()) {
    throw new BerthError(
      'NOT_FOUND',
      `No Dockerfile at ${dockerfilePath}.`,
      `Create ${inside}, or give the path of the Dockerfile relative to ${dir}.`,
    );
  }
  return { dir, inside, realPath };
}

/** Lists the context, checking the folder and the Dockerfile first; nothing is read or sent yet. */
export async function readContext(contextDir: string, dockerfile = 'Dockerfile'): Promise<BuildContext> {
  const { dir, inside, realPath } = await checkContext(contextDir, dockerfile);
  const dockerfileName = toPosix(inside);
  const entries = await listContext(dir, dockerfileName);
  const regular = entries.filter((e) => e.type === 'file');
  const hashes = new Map<string, string>();
  return {
    dir,
    dockerfile: dockerfileName,
    dockerfileRealPath: realPath,
    files: regular.length,
    bytes: regular.reduce((sum, e) => sum + e.size, 0),
    pack: () => Readable.from(packEntries(dir, entries, hashes)),
    snapshot: async () => {
      const files: ContextFile[] = [];
      for (const e of regular) {
        const sha256 = hashes.get(e.path) ?? sha(await readFile(join(dir, e.path)));
        files.push({ path: e.path, size: e.size, mode: e.mode, sha256 });
      }
      return files;
    },
  };
}

/**
 * The files a build of this folder would send, with their sizes, as `readContext` lists them; `ignoreText`
 * stands in for the .dockerignore on disk (the advisor measures a .dockerignore before writing it). The
 * folder and Dockerfile are NOT checked here: call checkContext first.
 */
export async function listContextFiles(
  dir: string,
  dockerfile: string,
  ignoreText?: string,
): Promise<Array<{ path: string; size: number }>> {
  const entries = await listContext(dir, dockerfile, ignoreText);
  return entries.filter((e) => e.type === 'file').map(({ path, size }) => ({ path, size }));
}

/**
 * The files still sent once ignore `patterns` (none starting with `!`) are appended to the .dockerignore: the
 * last matching pattern wins, so an appended pattern excludes what it matches, whatever came before. Equal to
 * listing the context again with the longer file, without walking it again.
 */
export function stillSent<F extends { path: string }>(
  files: readonly F[],
  dockerfile: string,
  patterns: string[],
): F[] {
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  return files.filter((f) => f.path === dockerfile || f.path === '.dockerignore' || !matcher.ignores(f.path));
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function readIgnore(dir: string): Promise<string> {
  return readFile(join(dir, '.dockerignore'), 'utf8').catch(() => '');
}

/** The context's .dockerignore rules, as the docker CLI applies them: the Dockerfile and .dockerignore are always sent. */
export interface IgnoreRules {
  /** Whether the file or folder at this context path (forward slashes) stays out of the context. */
  ignores(path: string): boolean;
  /** Whether a `!` pattern may let something back inside an ignored folder. */
  hasExceptions: boolean;
  alwaysSent: ReadonlySet<string>;
}

/** `ignoreText` stands in for the folder's own .dockerignore (to measure a proposed one). */
export async function readIgnoreRules(dir: string, dockerfile: string, ignoreText?: string): Promise<IgnoreRules> {
  const patterns = ignoreText ?? (await readIgnore(dir));
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  const alwaysSent = new Set([dockerfile, '.dockerignore']);
  return {
    ignores: (path) => !alwaysSent.has(path) && matcher.ignores(path),
    hasExceptions: patterns.split(/\r?\n/).some((line) => line.trim().startsWith('!')),
    alwaysSent,
  };
}

/** Walks the context like the docker CLI: ignored folders are entered only when a `!` pattern may let something back. */
async function listContext(dir: string, dockerfile: string, ignoreText?: string): Promise<ContextEntry[]> {
  const { ignores, hasExceptions, alwaysSent } = await readIgnoreRules(dir, dockerfile, ignoreText);
  const entries: ContextEntry[] = [];

  const walk = async (relDir: string): Promise<void> => {
    const names = (await readdir(join(dir, relDir))).sort();
    for (const name of names) {
      const path = relDir ? `${relDir}/${name}` : name;
      const info = await lstat(join(dir, path));
      const ignored = ignores(path);
      const mode = info.mode & 0o7777;
      if (info.isDirectory()) {
        if (!ignored) entries.push({ path, type: 'directory', size: 0, mode, mtime: info.mtime });
        if (!ignored || hasExceptions || [...alwaysSent].some((p) => p.startsWith(`${path}/`))) await walk(path);
      } else if (!ignored && (info.isFile() || info.isSymbolicLink())) {
        const type = info.isFile() ? 'file' : 'symlink';
        entries.push({ path, type, size: type === 'file' ? info.size : 0, mode, mtime: info.mtime });
      }
    }
  };
  await walk('');
  return entries;
}

async function* packEntries(dir: string, entries: ContextEntry[], hashes: Map<string, string>): AsyncGenerator<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const header = (e: ContextEntry) => ({ name: e.path, mode: e.mode, mtime: e.mtime, uid: 0, gid: 0 });
  for (const e of entries) {
    if (e.type === 'directory') {
      pack.entry({ ...header(e), type: 'directory' });
    } else if (e.type === 'symlink') {
      pack.entry({ ...header(e), type: 'symlink', linkname: await readlink(join(dir, e.path)) });
    } else {
      const data = await readFile(join(dir, e.path));
      hashes.set(e.path, sha(data));
      pack.entry({ ...header(e), type: 'file', size: data.length }, data);
    }
    yield* chunks.splice(0);
  }
  const ended = new Promise<void>((r) => pack.once('end', () => r()));
  pack.finalize();
  await ended;
  yield* chunks.splice(0);
}

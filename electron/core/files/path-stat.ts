/**
 * What the engine says about one container path, from `HEAD /containers/{id}/archive`: the
 * X-Docker-Container-Path-Stat header (base64 JSON with a Go FileMode). Works on stopped containers too.
 */
import { BerthError, type FileKind } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';

/** Go's os.FileMode type bits. */
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_TYPE = 0xff000000 >>> 0;

export interface PathStat {
  name: string;
  kind: FileKind;
  sizeBytes: number;
  mode: number;
  modified: string;
  linkTarget?: string;
}

function kindOfGoMode(mode: number): FileKind {
  if (mode & GO_MODE_DIR) return 'folder';
  if (mode & GO_MODE_SYMLINK) return 'symlink';
  return (mode & GO_MODE_TYPE) === 0 ? 'file' : 'other';
}

/** Parses the header's value; null when it is missing or not what the engine sends. Pure. */
export function parsePathStat(header: string | string[] | undefined): PathStat | null {
  if (typeof header !== 'string') return null;
  try {
    const raw = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
      name?: unknown;
      size?: unknown;
      mode?: unknown;
      mtime?: unknown;
      linkTarget?: unknown;
    };
    if (typeof raw.name !== 'string' || typeof raw.size !== 'number' || typeof raw.mode !== 'number') return null;
    return {
      name: raw.name,
      kind: kindOfGoMode(raw.mode),
      sizeBytes: Math.max(0, raw.size),
      mode: raw.mode & 0o7777,
      modified: typeof raw.mtime === 'string' ? raw.mtime : '',
      ...(typeof raw.linkTarget === 'string' && raw.linkTarget !== '' && { linkTarget: raw.linkTarget }),
    };
  } catch {
    return null;
  }
}

export const pathWhat = (id: string, path: string): string => `path "${path}" in container "${id}"`;

export async function statPath(engine: EngineHandle, id: string, path: string): Promise<PathStat> {
  let response: { headers: Record<string, string | string[] | undefined>; resume(): void };
  try {
    response = (await engine.docker.getContainer(id).infoArchive({ path })) as typeof response;
  } catch (error) {
    throw toBerthError(error, engine.endpoint, pathWhat(id, path));
  }
  response.resume();
  const stat = parsePathStat(response.headers['x-docker-container-path-stat']);
  if (!stat) {
    throw new BerthError(
      'INTERNAL',
      `The engine did not describe ${pathWhat(id, path)}.`,
      'Check that the engine speaks API 1.20 or newer.',
    );
  }
  return stat;
}

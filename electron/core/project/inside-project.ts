/** Confines a path to a project (or context) folder, symlinks resolved: the one check every reader and writer uses. */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { BerthError } from '../../contract';

/**
 * `path` as it lies inside `dir` (its folder's symlinks resolved; give the file's own realpath to follow a
 * link that is the file itself), or INVALID_INPUT with the fix. `dir` is a realpath.
 */
export async function insideContext(dir: string, path: string): Promise<string> {
  const parent = await realpath(dirname(path)).catch(() => null);
  const inside = parent === null ? null : relative(dir, join(parent, basename(path)));
  if (inside === null || inside.startsWith('..') || isAbsolute(inside)) {
    throw new BerthError(
      'INVALID_INPUT',
      `${path} is outside the context folder ${dir}.`,
      'Berth only reads and writes project files inside the project folder: check the context folder, and that its files are not links to elsewhere.',
      { path: ['outside the context folder'] },
    );
  }
  return join(dir, inside);
}

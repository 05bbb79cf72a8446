/**
 * Which context files a COPY or ADD reads, and what changed in them between two context snapshots. The
 * snapshots are taken after .dockerignore (core/build/context.ts), so an ignored file is never listed. Sources
 * match as the builders match them: relative to the context root (a leading `/` or `./` changes nothing), with
 * `*`, `?` and `[...]` inside one path segment (`**` across segments), and a matched folder brings every file
 * under it. The destination does not matter, so a WORKDIR-relative destination changes nothing here. Pure.
 */
import { type CacheChange, MAX_LISTED_FILES } from '../../contract';
import { words } from './variables';

export interface CopySources {
  /** `--from=<stage or image>`; null for a copy from the build context. */
  from: string | null;
  /** The source paths or patterns as written (variables already expanded), without the destination. */
  sources: string[];
  /** A source is a URL (ADD), or a heredoc: not context files. */
  remote: boolean;
}

/** The sources of `COPY|ADD [--flags] src... dest` or the JSON form `["src", ..., "dest"]`. */
export function copySources(args: string): CopySources {
  let rest = args.trim();
  let from: string | null = null;
  // flags first: --from=x --chown=a:b --chmod=644 --link --parents --exclude=...
  for (;;) {
    const flag = /^--([a-z-]+)(?:=("[^"]*"|\S*))?\s*/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = (flag[2] ?? '').replace(/^"|"$/g, '');
    rest = rest.slice(flag[0].length);
  }
  let list: string[];
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      list = Array.isArray(parsed) ? parsed.map(String) : words(rest);
    } catch {
      list = words(rest);
    }
  } else {
    list = words(rest);
  }
  const sources = list.slice(0, -1);
  const remote = sources.some((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('<<'));
  return { from, sources, remote };
}

/** A source as a path from the context root: no leading `/` or `./`, no `.` or `..` segments, no trailing `/`. */
export function cleanSource(source: string): string {
  const kept: string[] = [];
  for (const segment of source.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  return kept.join('/');
}

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, `**` at the end anything
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = pattern
          .slice(i + 1, close)
          .replace(/^\^|^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) out += `\\${pattern[++i]}`;
    else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether the context file at `path` is read by a COPY of `source`: the source names it or a folder above it. */
export function sourceMatcher(source: string): (path: string) => boolean {
  const clean = cleanSource(source);
  if (clean === '') return () => true;
  if (!/[*?[\\]/.test(clean)) return (path) => path === clean || path.startsWith(`${clean}/`);
  const re = globToRegExp(clean);
  return (path) => {
    if (re.test(path)) return true;
    for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) {
      if (re.test(path.slice(0, at))) return true;
    }
    return false;
  };
}

export interface SnapshotFile {
  path: string;
  size: number;
  mode: number;
  sha256: string;
}

/** The files of a snapshot that any of the sources match. */
export function filesMatching<F extends { path: string }>(files: readonly F[], sources: readonly string[]): F[] {
  const matchers = sources.map(sourceMatcher);
  return files.filter((f) => matchers.some((m) => m(f.path)));
}

/**
 * What changed among the files the sources match, from the previous snapshot to the current one: added,
 * removed, and modified (content or mode), with sizes. Null when nothing did.
 */
export function changedFiles(
  sources: readonly string[],
  previous: readonly SnapshotFile[],
  current: readonly SnapshotFile[],
): Extract<CacheChange, { kind: 'files' }> | null {
  const before = new Map(filesMatching(previous, sources).map((f) => [f.path, f]));
  const after = filesMatching(current, sources);
  const added: { path: string; size: number }[] = [];
  const modified: { path: string; oldSize: number; newSize: number }[] = [];
  for (const file of after) {
    const old = before.get(file.path);
    before.delete(file.path);
    if (!old) added.push({ path: file.path, size: file.size });
    else if (old.sha256 !== file.sha256 || old.mode !== file.mode) {
      modified.push({ path: file.path, oldSize: old.size, newSize: file.size });
    }
  }
  const removed = [...before.values()].map((f) => ({ path: f.path, size: f.size }));
  if (added.length + removed.length + modified.length === 0) return null;
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    kind: 'files',
    sources: [...sources],
    added: added.sort(byPath).slice(0, MAX_LISTED_FILES),
    removed: removed.sort(byPath).slice(0, MAX_LISTED_FILES),
    modified: modified.sort(byPath).slice(0, MAX_LISTED_FILES),
    counts: { added: added.length, removed: removed.length, modified: modified.length },
  };
}

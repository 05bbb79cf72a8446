/**
 * The advisor's disk side: reads the Dockerfile and .dockerignore from inside the checked context, measures
 * what each .dockerignore entry would keep out of the real context, runs the rules, and writes a fix only
 * after the diff was shown (the file must be exactly as it was then), atomically, inside the context.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { z } from 'zod';
import {
  AdviceInput,
  type AdviceReport,
  ApplyAdviceInput,
  type ApplyAdviceResult,
  BerthError,
  invalidInput,
} from '../../../contract';
import { listContextFiles, stillSent } from '../../build/context';
import { readDockerfile } from '../../project/dockerfile-file';
import { insideContext } from '../../project/inside-project';
import {
  type Advice,
  type AdviceFacts,
  adviseDockerfile,
  copiedExplicitly,
  type DockerignoreFacts,
  unpinnedBases,
} from './rules';

/** Looks up a digest-pinned reference for a base image the engine has (`node@sha256:...`), or null. */
export type DigestLookup = (ref: string) => Promise<string | null>;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The most a .dockerignore may hold for Berth to read it (a real one is a few hundred bytes). */
const MAX_IGNORE_BYTES = 256 * 1024;

/** What a .dockerignore usually keeps out: each entry's patterns, in .dockerignore syntax. */
const STANDARD_ENTRIES: Array<{ label: string; patterns: string[] }> = [
  { label: 'node_modules', patterns: ['**/node_modules'] },
  { label: '.git', patterns: ['.git'] },
  { label: 'logs', patterns: ['**/*.log', 'logs'] },
];
/** Folders that hold build output when they sit at the top of the context. */
const BUILD_OUTPUT = ['dist', 'build', 'out', 'coverage', '.next', 'target'];

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(what, parsed.error.issues);
  return parsed.data;
}

async function readIgnoreFile(dir: string): Promise<string | null> {
  const path = join(dir, '.dockerignore');
  const info = await lstat(path).catch(() => null);
  if (!info) return null;
  const real = await realpath(path).catch(() => null);
  const realInfo = real ? await stat(real).catch(() => null) : null;
  const inside = real ? relative(dir, real) : '..';
  if (!realInfo?.isFile() || inside.startsWith('..') || isAbsolute(inside) || realInfo.size > MAX_IGNORE_BYTES) {
    throw new BerthError(
      'INVALID_INPUT',
      `${path} is not a regular file inside the context (or is larger than ${MAX_IGNORE_BYTES / 1024} KiB).`,
      'Make .dockerignore a plain text file in the context folder.',
      { dockerignore: ['not a regular file inside the context'] },
    );
  }
  return readFile(real!, 'utf8');
}

const withoutIgnoreFile = (files: Array<{ path: string; size: number }>): number =>
  files.reduce((sum, f) => (f.path === '.dockerignore' ? sum : sum + f.size), 0);

function dockerignoreFacts(
  dockerfile: string,
  source: string,
  text: string | null,
  files: Array<{ path: string; size: number }>,
): DockerignoreFacts {
  const present = BUILD_OUTPUT.filter((d) => files.some((f) => f.path.startsWith(`${d}/`)));
  const candidates = [...STANDARD_ENTRIES, ...(present.length ? [{ label: 'build output', patterns: present }] : [])]
    .map((e) => ({ ...e, patterns: e.patterns.filter((p) => !copiedExplicitly(source, p.replace(/^\*\*\//, ''))) }))
    .filter((e) => e.patterns.length > 0);
  const current = text ?? '';
  const base = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  const now = withoutIgnoreFile(files);
  const entries: DockerignoreFacts['entries'] = candidates.map((entry) => ({
    ...entry,
    bytes: now - withoutIgnoreFile(stillSent(files, dockerfile, entry.patterns)),
  }));
  const added = (text === null ? entries : entries.filter((e) => e.bytes > 0)).flatMap((e) => e.patterns);
  const fixText =
    text === null
      ? `# Kept out of the build context (written by Berth)\n${added.join('\n')}\n`
      : `${base}# Added by Berth: kept out of the build context\n${added.join('\n')}\n`;
  const afterFix = stillSent(files, dockerfile, added);
  return {
    text,
    sha256: text === null ? null : sha256(text),
    entries,
    fixText,
    bytesAfterFix: withoutIgnoreFile(afterFix) + utf8Bytes(fixText),
  };
}

interface Gathered {
  dir: string;
  dockerfile: string;
  /** The Dockerfile's real path (symlinks resolved, inside the context). */
  dockerfileFile: string;
  advice: Advice[];
  report: AdviceReport;
}

async function gather(input: z.output<typeof AdviceInput>, lookup?: DigestLookup): Promise<Gathered> {
  const file = await readDockerfile(input.contextDir, input.dockerfile);
  const dir = file.contextDir;
  const files = await listContextFiles(dir, file.dockerfile);
  const ignoreText = await readIgnoreFile(dir);
  const contextBytes = files.reduce((sum, f) => sum + f.size, 0);
  const facts: AdviceFacts = {
    source: file.text,
    dockerfilePath: file.dockerfile,
    dockerfileSha256: sha256(file.text),
    target: input.target,
    runPort: input.runPort,
    contextFiles: files.map((f) => f.path),
    contextBytes,
    dockerignore: dockerignoreFacts(file.dockerfile, file.text, ignoreText, files),
  };
  // Unpinned bases: when the engine has the image, its digest is the pin (asked only for the bases flagged).
  const pinnedBases: Record<string, string> = {};
  for (const ref of lookup ? unpinnedBases(file.text, input.target) : []) {
    const pinned = await lookup!(ref).catch(() => null);
    if (pinned) pinnedBases[ref] = pinned;
  }
  const advice = adviseDockerfile({ ...facts, pinnedBases });
  return {
    dir,
    dockerfile: file.dockerfile,
    // readDockerfile checked it (symlinks resolved) to be inside the context.
    dockerfileFile: await insideContext(dir, await realpath(join(dir, file.dockerfile))),
    advice,
    report: {
      contextDir: dir,
      dockerfile: file.dockerfile,
      context: { bytes: contextBytes, files: files.length },
      findings: advice.map((a) => a.finding),
    },
  };
}

/** advice.check: every finding for the project as it is on disk now. */
export async function checkAdvice(input: z.input<typeof AdviceInput>, lookup?: DigestLookup): Promise<AdviceReport> {
  return (await gather(parse(AdviceInput, input, 'advice request'), lookup)).report;
}

/**
 * advice.apply: writes the fix of one finding, as its diff showed it. Refused (CONFLICT, nothing written) when
 * the file is no longer the text the diff was made from; INVALID_INPUT for a path outside the context.
 */
export async function applyAdvice(
  input: z.input<typeof ApplyAdviceInput>,
  lookup?: DigestLookup,
): Promise<ApplyAdviceResult> {
  const args = parse(ApplyAdviceInput, input, 'fix to apply');
  const { findingId, fileSha256, diffSha256, ...where } = args;
  const gathered = await gather(where, lookup);
  const stale = (what: string) =>
    new BerthError(
      'CONFLICT',
      `${what} changed since the diff was shown, so the fix was not written.`,
      'Look at the advice again: Berth shows the diff for the file as it is now, then write that.',
    );
  const advice = gathered.advice.find((a) => a.finding.id === findingId);
  if (!advice) {
    throw new BerthError(
      'CONFLICT',
      `The finding ${findingId} is not reported for the Dockerfile as it is now (it changed, or the fix was applied).`,
      'Look at the advice again and pick a finding from the list.',
    );
  }
  const { fix } = advice.finding;
  if (!fix || advice.newText === null) {
    throw new BerthError(
      'INVALID_INPUT',
      `Berth has no fix it can write for ${findingId}.`,
      `Change the Dockerfile by hand: ${advice.finding.fixText}`,
      { findingId: ['no fix to write'] },
    );
  }
  if (fix.fileSha256 !== fileSha256) throw stale(fix.path);
  if (fix.diffSha256 !== diffSha256) {
    throw new BerthError(
      'CONFLICT',
      `The fix for ${findingId} would now write something other than the diff shown (the context changed since), so nothing was written.`,
      'Look at the advice again: Berth shows the diff as it is now, then write that.',
    );
  }
  const target =
    fix.file === 'dockerfile'
      ? gathered.dockerfileFile
      : await insideContext(gathered.dir, join(gathered.dir, '.dockerignore'));
  const written = await writeAtomically(target, advice.newText, fix.fileSha256, () => stale(fix.path));
  return {
    path: fix.path,
    fileSha256: written,
    report: (await gather(where, lookup)).report,
  };
}

/**
 * Writes `text` to `path` through a temporary file in the same folder and a rename, so a reader never sees half a
 * file; the file is checked once more just before the rename, and the temporary file never outlives a failure.
 */
async function writeAtomically(
  path: string,
  text: string,
  expectedSha256: string | null,
  stale: () => BerthError,
): Promise<string> {
  const mode = (await stat(path).catch(() => null))?.mode;
  const temporary = join(dirname(path), `.berth-fix-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx', mode: mode === undefined ? 0o644 : mode & 0o777 });
    const now = await readFile(path, 'utf8').catch(() => null);
    if ((now === null ? null : sha256(now)) !== expectedSha256) throw stale();
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof BerthError) throw error;
    throw new BerthError(
      'STORAGE_FAILED',
      `Berth could not write ${path}: ${(error as Error).message}`,
      'Check that the project folder is writable, then apply the fix again.',
    );
  }
  return sha256(text);
}

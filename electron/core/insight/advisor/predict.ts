/**
 * Predicts what a source edit does to the cache, from the Dockerfile alone: in every stage the build needs,
 * the first COPY/ADD whose sources take the edited file misses, and so does every later step of that stage and
 * of the stages built on it (FROM it, or COPY --from it). The count leaves FROM out (a local base image is
 * reported cached or done from one build to the next) and counts one step per instruction, as the build model does.
 */

import { planSteps } from '../../build/plan';
import { findStage, parseDockerfile } from '../../dockerfile';

/** The layer steps a build runs (FROM left out), and how many stay cached after an edit of `editedFile`. */
export function predictCachedAfterEdit(
  source: string,
  editedFile: string,
  target?: string,
): { cached: number; of: number } {
  const { stages } = parseDockerfile(source);
  const dirty = new Set<number>();
  const verdicts: boolean[] = [];
  for (const step of planSteps(source, target)) {
    const stage = step.stage;
    if (!stage || !step.neededByBuildKit) continue;
    const { instruction } = step;
    if (instruction.keyword === 'FROM') {
      const base = findStage(stages, stage.base);
      if (base && base.index < stage.index && dirty.has(base.index)) dirty.add(stage.index);
      continue;
    }
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const from = instruction.flags.find((f) => f.name === 'from')?.value;
      const fromStage = from ? findStage(stages, from) : undefined;
      if (fromStage ? dirty.has(fromStage.index) : !from && sourcesOf(instruction).some((s) => takes(s, editedFile))) {
        dirty.add(stage.index);
      }
    }
    if (step.metadataOnly) continue;
    verdicts.push(!dirty.has(stage.index));
  }
  return { cached: verdicts.filter(Boolean).length, of: verdicts.length };
}

/** A COPY/ADD's sources: every argument but the last (the destination), exec form included. */
export function sourcesOf(instruction: { words: string[]; json: string[] | null }): string[] {
  const words = instruction.json ?? instruction.words;
  return words.slice(0, -1);
}

/** Whether a COPY source (a path or a glob, relative to the context) takes `file`. */
export function takes(source: string, file: string): boolean {
  const clean = source
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
  if (clean === '' || clean === '.' || clean === '*') return true;
  if (file === clean || file.startsWith(`${clean}/`)) return true;
  if (!/[*?[]/.test(clean)) return false;
  const pattern = clean
    .split('/')
    .map((part) =>
      part
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('/');
  return new RegExp(`^${pattern}(?:/.*)?$`).test(file);
}

/** Files a source edit should not be: the build's own files and dependency manifests (those change rarely). */
const NOT_SOURCE =
  /(^|\/)(Dockerfile[^/]*|\.dockerignore|package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|requirements[^/]*\.txt|Pipfile(\.lock)?|poetry\.lock|pyproject\.toml|go\.(mod|sum)|Gemfile(\.lock)?|composer\.(json|lock)|Cargo\.(toml|lock))$/;
const CODE = /\.(m?[jt]sx?|cjs|cts|py|go|rb|php|rs|java|kt|cs|sh|html|css)$/;

/**
 * The file a "source edit" edits: a file the build sends and some COPY takes, not a manifest; code first,
 * then the shallowest path, then by name. Null when there is none.
 */
export function chooseEditedFile(source: string, files: readonly string[]): string | null {
  const { stages } = parseDockerfile(source);
  const sources = stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.some((f) => f.name === 'from'))
      .flatMap((i) => sourcesOf(i)),
  );
  const candidates = files.filter((f) => !NOT_SOURCE.test(f) && sources.some((s) => takes(s, f)));
  const depth = (f: string) => f.split('/').length;
  candidates.sort(
    (a, b) => Number(CODE.test(b)) - Number(CODE.test(a)) || depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return candidates[0] ?? null;
}

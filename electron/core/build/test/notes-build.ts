/** A temp copy of the bundled notes service's build context, and the step states both builders must report. */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METADATA_KEYWORDS, parseDockerfile } from '../../dockerfile';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

export function copyNotesContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-notes-context-'));
  mkdirSync(join(dir, 'service'));
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'src']) {
    cpSync(join(repo, 'service', path), join(dir, 'service', path), { recursive: true });
  }
  cpSync(join(repo, 'Dockerfile'), join(dir, 'Dockerfile'));
  cpSync(join(repo, '.dockerignore'), join(dir, '.dockerignore'));
  return dir;
}

/**
 * A real source edit: the compiled output changes too. The image bundles with esbuild, which drops comments
 * and unused exports, so the edit is a statement with an effect.
 */
export const editSource = (dir: string): void =>
  appendFileSync(
    join(dir, 'service/src/app.ts'),
    `\n(globalThis as Record<string, unknown>).editedAt = ${Date.now()};\n`,
  );

const notes = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));

/** One row per instruction of the bundled Dockerfile, as both builders must show it (lines from the parsed file). */
export const NOTES_ROWS = notes.instructions.map(
  (i) => `${i.stage < 0 ? null : notes.stages[i.stage]?.id} ${i.line} ${i.text}`,
);

/** Where a source edit first misses the cache, in each stage it reaches: the COPY of src, and the COPY of dist. */
const firstMiss = (stage: number): number | undefined =>
  notes.instructions.find((i) => i.stage === stage && /^COPY (service\/src |--from=build )/.test(i.text))?.legacyNumber;

/**
 * The verdicts each builder's engine gives. Cold means a base image no build has used yet, with the cache
 * allowed: FROM reuses the local image (cached); every other step runs, except that the legacy builder reuses
 * what an earlier stage of the same build just made (the build stage starts like prod-deps). BuildKit reports
 * no metadata instruction (metadata); the legacy builder runs a container for each (done, or cached).
 */
export const expectedStates = (run: 'cold' | 'cached' | 'edit', builder: 'buildkit' | 'legacy'): string[] => {
  const prodDeps = notes.stages[0]?.instructions.map((i) => i.text) ?? [];
  return notes.instructions.map((i, n) => {
    let state: string;
    if (i.stage < 0) state = 'metadata';
    else if (i.keyword === 'FROM') state = 'cached';
    else if (builder === 'buildkit' && METADATA_KEYWORDS.has(i.keyword)) state = 'metadata';
    else if (run === 'cached') state = 'cached';
    else if (run === 'edit')
      state = i.legacyNumber >= (firstMiss(i.stage) ?? Number.POSITIVE_INFINITY) ? 'done' : 'cached';
    else {
      const stage = notes.stages[i.stage]?.instructions ?? [];
      const sameAsProdDeps =
        i.stage > 0 && stage.slice(1, stage.indexOf(i) + 1).every((s, k) => prodDeps[k + 1] === s.text);
      state = builder === 'legacy' && sameAsProdDeps ? 'cached' : 'done';
    }
    return `${NOTES_ROWS[n]} ${state}`;
  });
};

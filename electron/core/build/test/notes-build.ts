/** A temp copy of the bundled notes service's build context, and the step states both builders must report. */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export const NOTES_STEPS = [
  'prod-deps 11 FROM ${NODE_IMAGE} AS prod-deps',
  'prod-deps 12 WORKDIR /app',
  'prod-deps 15 COPY service/package.json service/package-lock.json ./',
  'prod-deps 16 RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force',
  'build 19 FROM ${NODE_IMAGE} AS build',
  'build 20 WORKDIR /app',
  'build 22 COPY service/package.json service/package-lock.json ./',
  'build 23 RUN npm ci --no-audit --no-fund',
  'build 27 COPY service/tsconfig.json ./',
  'build 28 COPY service/src ./src',
  'build 29 RUN npm run build',
  'stage-2 32 FROM ${NODE_IMAGE}',
  'stage-2 38 WORKDIR /app',
  'stage-2 40 RUN mkdir -p /data && chown node:node /data',
  'stage-2 41 COPY --from=prod-deps /app/node_modules ./node_modules',
  'stage-2 42 COPY service/package.json ./',
  'stage-2 43 COPY --from=build /app/dist ./dist',
];

/** After editing a source file: the installs stay cached; COPY src, the compile and the COPY of dist rebuild. */
export const REBUILT_AFTER_EDIT = new Set([9, 10, 16]);

/**
 * Cold means a base image no build has used yet, with the cache allowed: every step is built, except FROM, whose
 * image is already on the machine. (After --no-cache, the legacy builder holds duplicate layers and its next
 * rebuild may pick a branch that misses; a fresh base keeps the test about Berth, not about that.)
 */
export const expectedStates = (run: 'cold' | 'cached' | 'edit'): string[] =>
  NOTES_STEPS.map((step, i) => {
    const built = (run === 'cold' && !/ FROM /.test(step)) || (run === 'edit' && REBUILT_AFTER_EDIT.has(i));
    const state = built ? 'done' : 'cached';
    return `${step} ${state}`;
  });

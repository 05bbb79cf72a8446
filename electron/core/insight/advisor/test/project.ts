/** Small projects written for the advice tests, in temporary folders removed by `removeProjects`. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A folder holding `files` (path -> text); parent folders are made as needed. */
export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-advice-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Remembers a folder made elsewhere (a copy of the bundled context) for removal. */
export const keepForRemoval = (dir: string): string => {
  made.push(dir);
  return dir;
};

export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

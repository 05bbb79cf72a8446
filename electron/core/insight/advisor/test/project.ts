/** Small projects written for the advice tests, in temporary folders removed by `removeProjects`. */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdviceFinding } from '../../../../contract';

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

/** What the UI sends back to write a finding's fix: its id and the hashes of the file and diff it showed. */
export function shownFix(finding: AdviceFinding): { findingId: string; fileSha256: string | null; diffSha256: string } {
  if (!finding.fix) throw new Error(`${finding.id} has no fix to write`);
  return { findingId: finding.id, fileSha256: finding.fix.fileSha256, diffSha256: finding.fix.diffSha256 };
}

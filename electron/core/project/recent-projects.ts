/**
 * The projects the user built lately (context folder, Dockerfile, target), newest first, kept in one JSON
 * file in Berth's data folder with mode 0600. The file is checked on every read: entries that do not fit
 * the contract's shape are left out, and a file that is not JSON counts as empty.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { projectKey, RecentProject } from '../../contract';

/** How many projects the list keeps. */
export const RECENT_PROJECTS_KEPT = 10;

export class RecentProjects {
  readonly filePath: string;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.filePath = join(dataDir, 'recent-projects.json');
  }

  async list(): Promise<RecentProject[]> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.filePath, 'utf8'));
    } catch {
      return []; // missing or damaged: nothing to offer
    }
    const entries = z.array(z.unknown()).safeParse(raw);
    if (!entries.success) return [];
    return entries.data
      .flatMap((entry) => {
        const parsed = RecentProject.safeParse(entry);
        return parsed.success && parsed.data.contextDir.startsWith('/') ? [parsed.data] : [];
      })
      .sort((a, b) => b.usedAt - a.usedAt)
      .slice(0, RECENT_PROJECTS_KEPT);
  }

  /** Puts the project first (once), keeps the newest RECENT_PROJECTS_KEPT. Writes are serialised. */
  remember(project: Omit<RecentProject, 'usedAt'>, usedAt = Date.now()): Promise<void> {
    const next = this.writing.then(async () => {
      const key = projectKey(project);
      const kept = (await this.list()).filter((p) => projectKey(p) !== key);
      await this.save([{ ...project, usedAt }, ...kept].slice(0, RECENT_PROJECTS_KEPT));
    });
    this.writing = next.catch(() => {});
    return next;
  }

  private async save(projects: RecentProject[]): Promise<void> {
    await mkdir(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temporary = `${this.filePath}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(projects, null, 1), { mode: 0o600 });
    await chmod(temporary, 0o600); // whatever the umask
    await rename(temporary, this.filePath);
  }
}

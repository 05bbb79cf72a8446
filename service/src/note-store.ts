import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Note, NoteInput, NotePatch } from './note.js';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

/**
 * Notes kept in memory and persisted one file per note under `dir`.
 * Every write goes to a temp file, is fsynced, then renamed over the old file and the
 * directory fsynced, so a note is either wholly old or wholly new after any crash.
 * A method resolves only once its write is durable: an acknowledged note survives SIGKILL.
 */
export class NoteStore {
  private readonly notes = new Map<string, Note>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<NoteStore> {
    await mkdir(dir, { recursive: true });
    const store = new NoteStore(dir);
    for (const name of await readdir(dir)) {
      if (name.endsWith('.tmp')) {
        // A write that was interrupted before its rename: it was never acknowledged.
        await unlink(join(dir, name)).catch(() => undefined);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const note = JSON.parse(await readFile(join(dir, name), 'utf8')) as Note;
      store.notes.set(note.id, note);
    }
    return store;
  }

  list(query: { q?: string | undefined; limit: number; offset: number }): { items: Note[]; total: number } {
    const needle = query.q?.trim().toLowerCase();
    const matching = [...this.notes.values()]
      .filter((n) => !needle || n.title.toLowerCase().includes(needle) || n.body.toLowerCase().includes(needle))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }

  get(id: string): Note | undefined {
    return this.notes.get(id);
  }

  async create(input: NoteInput): Promise<Note> {
    const now = new Date().toISOString();
    const note: Note = { id: randomUUID(), title: input.title, body: input.body, createdAt: now, updatedAt: now };
    await this.persist(note);
    this.notes.set(note.id, note);
    return note;
  }

  async update(id: string, patch: NotePatch): Promise<Note | undefined> {
    const current = this.notes.get(id);
    if (!current) return undefined;
    const next: Note = { ...current, ...patch, updatedAt: new Date().toISOString() };
    await this.persist(next);
    this.notes.set(id, next);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.notes.has(id) || !ID_PATTERN.test(id)) return false;
    await unlink(this.fileOf(id));
    await this.syncDir();
    this.notes.delete(id);
    return true;
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private async persist(note: Note): Promise<void> {
    const target = this.fileOf(note.id);
    const temp = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(JSON.stringify(note));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    await this.syncDir();
  }

  private async syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

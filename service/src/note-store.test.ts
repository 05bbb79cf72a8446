import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoteStore } from './note-store.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'note-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NoteStore', () => {
  it('keeps one JSON file per note and loads them all again on open', async () => {
    const store = await NoteStore.open(dir);
    const first = await store.create({ title: 'one', body: 'first' });
    const second = await store.create({ title: 'two', body: '' });
    await store.update(first.id, { body: 'changed' });

    expect((await readdir(dir)).sort()).toEqual([`${first.id}.json`, `${second.id}.json`].sort());
    const onDisk = JSON.parse(await readFile(join(dir, `${first.id}.json`), 'utf8'));
    expect(onDisk).toMatchObject({ id: first.id, title: 'one', body: 'changed' });

    const reopened = await NoteStore.open(dir);
    expect(reopened.get(first.id)).toEqual(store.get(first.id));
    expect(reopened.get(second.id)).toEqual(second);
    expect(reopened.list({ limit: 10, offset: 0 }).total).toBe(2);
  });

  it('removes the file of a deleted note, and refuses unknown ids', async () => {
    const store = await NoteStore.open(dir);
    const note = await store.create({ title: 'gone soon', body: '' });
    expect(await store.remove(note.id)).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    expect(await store.remove(note.id)).toBe(false);
    expect(await store.update(note.id, { title: 'x' })).toBeUndefined();
    expect((await NoteStore.open(dir)).get(note.id)).toBeUndefined();
  });

  it('discards temp files of interrupted writes and ignores foreign files on open', async () => {
    const store = await NoteStore.open(dir);
    const kept = await store.create({ title: 'kept', body: '' });
    await writeFile(join(dir, `${kept.id}.json.1234.tmp`), '{"id": "half-writ');
    await writeFile(join(dir, 'README'), 'not a note');

    const reopened = await NoteStore.open(dir);
    expect(reopened.list({ limit: 10, offset: 0 }).items.map((n) => n.id)).toEqual([kept.id]);
    expect((await readdir(dir)).sort()).toEqual([`${kept.id}.json`, 'README'].sort());
  });

  it('lists newest first, searches title and body, and pages', async () => {
    const store = await NoteStore.open(dir);
    for (let i = 0; i < 4; i++) await store.create({ title: `Note ${i}`, body: i % 2 ? 'odd BODY' : 'even' });
    const all = store.list({ limit: 10, offset: 0 });
    const createdAt = all.items.map((n) => n.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());

    const odd = store.list({ q: '  body ', limit: 10, offset: 0 });
    expect(odd.items.map((n) => n.title).sort()).toEqual(['Note 1', 'Note 3']);
    const page = store.list({ limit: 3, offset: 2 });
    expect(page).toEqual({ items: all.items.slice(2), total: 4 });
  });

  it('creates the directory when it does not exist yet', async () => {
    const nested = join(dir, 'a', 'b');
    const store = await NoteStore.open(nested);
    await store.create({ title: 'deep', body: '' });
    expect(await readdir(nested)).toHaveLength(1);
  });
});

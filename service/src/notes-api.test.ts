import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import type { Note } from './note.js';
import { NoteStore } from './note-store.js';

let server: Server;
let baseUrl: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'notes-api-'));
  const store = await NoteStore.open(dataDir);
  server = createApp(store).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const sendJson = (method: string, path: string, body: unknown) =>
  fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function createNote(title: string, body = ''): Promise<Note> {
  const res = await sendJson('POST', '/api/notes', { title, body });
  expect(res.status).toBe(201);
  return (await res.json()) as Note;
}

/** Error bodies must be JSON with a code and a message, and must never leak a stack trace or a source path. */
async function expectCleanError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(text).not.toMatch(/\bat \S+ \(|\.(ts|js):\d+|node_modules|Error:/);
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

describe('creating and reading notes', () => {
  it('creates a note, answers 201 with a Location, and serves it back by id', async () => {
    const res = await sendJson('POST', '/api/notes', { title: '  Groceries ', body: 'milk' });
    expect(res.status).toBe(201);
    const note = (await res.json()) as Note;
    expect(note).toMatchObject({ title: 'Groceries', body: 'milk' });
    expect(res.headers.get('location')).toBe(`/api/notes/${note.id}`);
    const fetched = await fetch(`${baseUrl}/api/notes/${note.id}`);
    expect(await fetched.json()).toEqual(note);
  });

  it('updates with PUT and PATCH, and deletes', async () => {
    const note = await createNote('draft', 'v1');
    const patched = await sendJson('PATCH', `/api/notes/${note.id}`, { body: 'v2' });
    expect(await patched.json()).toMatchObject({ id: note.id, title: 'draft', body: 'v2' });
    const put = await sendJson('PUT', `/api/notes/${note.id}`, { title: 'final' });
    expect(await put.json()).toMatchObject({ title: 'final', body: 'v2' });
    const removed = await fetch(`${baseUrl}/api/notes/${note.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    await expectCleanError(await fetch(`${baseUrl}/api/notes/${note.id}`), 404, 'not_found');
  });
});

describe('client errors', () => {
  it('answers 400 with the problems of each field', async () => {
    const error = await expectCleanError(
      await sendJson('POST', '/api/notes', { title: '', body: 42, extra: true }),
      400,
      'validation_failed',
    );
    const fields = error.fields as Record<string, string[]>;
    expect(fields.title).toEqual(['title must not be empty']);
    expect(fields.body?.length).toBe(1);
    expect(fields._?.join(' ')).toMatch(/extra/);
  });

  it('answers 400 for an empty patch, malformed JSON and bad list parameters', async () => {
    const note = await createNote('to patch');
    const emptyPatch = await expectCleanError(
      await sendJson('PATCH', `/api/notes/${note.id}`, {}),
      400,
      'validation_failed',
    );
    expect(JSON.stringify(emptyPatch.fields)).toMatch(/at least one/);
    await expectCleanError(await sendJson('POST', '/api/notes', '{"title": '), 400, 'invalid_json');
    const badQuery = await expectCleanError(
      await fetch(`${baseUrl}/api/notes?limit=0&offset=-1`),
      400,
      'validation_failed',
    );
    expect(Object.keys(badQuery.fields as object).sort()).toEqual(['limit', 'offset']);
  });

  it('answers 404 for an unknown id on every method', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectCleanError(await fetch(`${baseUrl}/api/notes/${unknown}`), 404, 'not_found');
    await expectCleanError(await sendJson('PATCH', `/api/notes/${unknown}`, { title: 'x' }), 404, 'not_found');
    await expectCleanError(await fetch(`${baseUrl}/api/notes/${unknown}`, { method: 'DELETE' }), 404, 'not_found');
    await expectCleanError(await fetch(`${baseUrl}/api/notes/..%2F..%2Fetc`, { method: 'DELETE' }), 404, 'not_found');
    await expectCleanError(await fetch(`${baseUrl}/no/such/page`), 404, 'not_found');
  });

  it('answers 413 for a body over 64 KB', async () => {
    const res = await sendJson('POST', '/api/notes', { title: 'big', body: 'x'.repeat(70 * 1024) });
    await expectCleanError(res, 413, 'body_too_large');
  });

  it('answers 415 when the body is not JSON', async () => {
    const res = await fetch(`${baseUrl}/api/notes`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'title=hello',
    });
    await expectCleanError(res, 415, 'unsupported_media_type');
  });

  it('answers 400 for an undecodable path', async () => {
    await expectCleanError(await fetch(`${baseUrl}/api/notes/%E0%A4%A`), 400, 'bad_request');
  });

  it('answers 500 without a stack trace when the disk fails', async () => {
    await rm(dataDir, { recursive: true, force: true });
    try {
      await expectCleanError(await sendJson('POST', '/api/notes', { title: 'lost' }), 500, 'internal');
    } finally {
      await NoteStore.open(dataDir);
    }
  });
});

describe('listing', () => {
  it('pages with limit and offset and reports the total', async () => {
    const tag = `page-${Date.now()}`;
    const created: Note[] = [];
    for (let i = 0; i < 5; i++) created.push(await createNote(`${tag} ${i}`));
    const pages: Note[] = [];
    for (const offset of [0, 2, 4]) {
      const res = await fetch(`${baseUrl}/api/notes?q=${tag}&limit=2&offset=${offset}`);
      const page = (await res.json()) as { items: Note[]; total: number; limit: number; offset: number };
      expect(page).toMatchObject({ total: 5, limit: 2, offset });
      pages.push(...page.items);
    }
    expect(pages.map((n) => n.id).sort()).toEqual(created.map((n) => n.id).sort());
    const createdAt = pages.map((n) => n.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());
  });

  it('defaults to 20 items and searches title and body without regard to case', async () => {
    await createNote('Ferry timetable', 'leaves at 9');
    await createNote('Packing list', 'sunscreen, FERRY tickets');
    await createNote('Unrelated', 'nothing here');
    const res = await fetch(`${baseUrl}/api/notes?q=ferry`);
    const page = (await res.json()) as { items: Note[]; total: number; limit: number };
    expect(page.limit).toBe(20);
    expect(page.total).toBe(2);
    expect(page.items.map((n) => n.title).sort()).toEqual(['Ferry timetable', 'Packing list']);
  });
});

describe('health and logs', () => {
  it('answers /healthz with ok', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('logs one line per request with method, path, status and milliseconds', async () => {
    const log = vi.mocked(console.log);
    log.mockClear();
    await fetch(`${baseUrl}/api/notes/nope?x=1`);
    // The line is written when the response finishes, which the client may see first.
    await vi.waitFor(() => expect(log).toHaveBeenCalled(), { timeout: 10_000 });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toMatch(/^GET \/api\/notes\/nope\?x=1 404 \d+\.\dms$/);
  });
});

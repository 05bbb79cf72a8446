import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import { NoteStore } from './note-store.js';

let server: Server;
let baseUrl: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'notes-page-'));
  server = createApp(await NoteStore.open(dataDir)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

const postForm = (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') =>
  fetch(`${baseUrl}/notes`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

describe('the HTML page', () => {
  it('serves a page with a form that works without JavaScript', async () => {
    const res = await fetch(baseUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<form method="post" action="/notes">');
    expect(html).toContain('name="title"');
    expect(html).not.toContain('<script');
  });

  it('adds a note from the form with a 303 redirect, then lists it', async () => {
    const res = await postForm({ title: 'From the form', body: 'no JS needed' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const html = await (await fetch(baseUrl)).text();
    expect(html).toContain('<strong>From the form</strong><p>no JS needed</p>');
    const api = (await (await fetch(`${baseUrl}/api/notes?q=From the form`)).json()) as { total: number };
    expect(api.total).toBe(1);
  });

  it('escapes what users typed', async () => {
    await postForm({ title: '<script>alert(1)</script>', body: 'a & "b"' });
    const html = await (await fetch(baseUrl)).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('a &#38; &#34;b&#34;');
  });

  it('answers a bad form with a 400 page that says what is wrong and keeps the list', async () => {
    const before = (await (await fetch(`${baseUrl}/api/notes`)).json()) as { total: number };
    const res = await postForm({ title: '   ', body: 'blank title' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<p class="problem" role="alert">title must not be empty</p>');
    expect(html).toContain('<form method="post" action="/notes">');
    const after = (await (await fetch(`${baseUrl}/api/notes`)).json()) as { total: number };
    expect(after.total).toBe(before.total);
  });

  it('answers a form in the wrong encoding with the 400 page, and other methods with 405', async () => {
    const wrongType = await postForm({ title: 'x' }, 'text/plain');
    expect(wrongType.status).toBe(400);
    expect(await wrongType.text()).toContain('class="problem"');
    const put = await fetch(`${baseUrl}/notes`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('answers a form over 64 KB with 413', async () => {
    const res = await postForm({ title: 'big', body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(/node_modules|\.js:\d+/);
  });
});

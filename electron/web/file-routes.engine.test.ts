/**
 * Web mode's file routes against a real container, through the production backend and server: a download
 * link works once and only with the launch token, from Berth's own origin and session, without CORS; a
 * session has a bounded number waiting; an upload must carry exactly the announced size; the docker CLI
 * checks what landed in the container.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../test/engine-harness';
import { type Backend, createBackend } from '../api/backend';
import { Engine } from '../core/engine';
import { MAX_LINKS_PER_SESSION } from '../core/one-time-links';
import { MemorySecretStore } from '../core/registry';
import { attachment } from './file-routes';
import { startWebServer, type WebServer } from './server';
import { send } from './test/http-client';

const litter = new EngineLitter();
const dataDir = mkdtempSync(join(tmpdir(), 'berth-file-routes-'));
let backend: Backend;
let server: WebServer;
let container: string;
const TEXT = 'notes for the download test\n'.repeat(500);

const bearer = () => ({ Authorization: `Bearer ${server.token}` });

async function call(procedure: string, input: unknown) {
  const reply = await send(server.port, `/api/call/${procedure}`, {
    method: 'POST',
    headers: { ...bearer(), 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  return JSON.parse(reply.body) as { ok: boolean; value?: { url: string; fileName: string }; error?: { code: string } };
}

beforeAll(async () => {
  container = litter.container(uniqueName('file-routes'));
  await docker('run', '-d', '--name', container, inject('nodeImage'), 'sh', '-c', 'mkdir -p /srv/in && sleep 600');
  await docker('exec', '-i', container, 'sh', '-c', `printf '%s' '${TEXT}' > /srv/notes.txt`);
  backend = createBackend({
    dataDir,
    secretStore: new MemorySecretStore(),
    engine: new Engine({ labels: testLabels() }),
  });
  server = await startWebServer({ router: backend.router, links: backend.links, port: 0, staticDir: dataDir });
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
  await litter.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('web mode file transfers', () => {
  it('a download link works once, only with the token, and sends the file as an attachment without CORS', async () => {
    const link = await call('files.downloadLink', { id: container, path: '/srv/./in/../notes.txt' });
    expect(link).toMatchObject({ ok: true, value: { fileName: 'notes.txt' } });
    const url = link.value?.url as string;
    expect(url).toMatch(/^\/api\/files\/download\/[A-Za-z0-9_-]{43}$/);
    expect(url).not.toContain(server.token);

    // Refused before the link is looked at: no token, another site's Origin, another Host.
    expect((await send(server.port, url)).status).toBe(401);
    const crossSite = await send(server.port, url, { headers: { ...bearer(), Origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers['access-control-allow-origin']).toBeUndefined();
    expect((await send(server.port, url, { headers: { ...bearer(), Host: 'evil.example' } })).status).toBe(403);

    // HEAD does not spend the link.
    expect((await send(server.port, url, { method: 'HEAD', headers: bearer() })).status).toBe(405);
    const first = await send(server.port, url, { headers: bearer() });
    expect(first.status).toBe(200);
    expect(first.body).toBe(TEXT);
    expect(first.headers['content-disposition']).toBe(attachment('notes.txt'));
    expect(first.headers['content-length']).toBe(String(TEXT.length));
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['access-control-allow-origin']).toBeUndefined();
    const again = await send(server.port, url, { headers: bearer() });
    expect(again.status).toBe(410);
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', fix: expect.any(String) } });
  });

  it('an upload lands in the folder only with exactly the announced bytes; the docker CLI reads it back', async () => {
    const body = 'uploaded through web mode\n';
    const short = await call('files.uploadLink', {
      id: container,
      folder: '/srv/in',
      name: 'short.txt',
      sizeBytes: 99,
    });
    const refused = await send(server.port, short.value?.url as string, { method: 'PUT', headers: bearer(), body });
    expect(refused.status).toBe(400);
    expect(await docker('exec', container, 'ls', '-A', '/srv/in')).toBe('');

    const link = await call('files.uploadLink', {
      id: container,
      folder: '/srv/in',
      name: 'notes "2".txt',
      sizeBytes: body.length,
    });
    const crossSite = await send(server.port, link.value?.url as string, {
      method: 'PUT',
      headers: { ...bearer(), Origin: 'http://evil.example' },
      body,
    });
    expect(crossSite.status).toBe(403);
    const put = await send(server.port, link.value?.url as string, { method: 'PUT', headers: bearer(), body });
    expect(put.status).toBe(200);
    const back = mkdtempSync(join(dataDir, 'back-'));
    await docker('cp', `${container}:/srv/in/notes "2".txt`, back);
    expect(readFileSync(join(back, 'notes "2".txt'), 'utf8')).toBe(body);
    // The link was spent by the upload.
    expect(
      (await send(server.port, link.value?.url as string, { method: 'PUT', headers: bearer(), body })).status,
    ).toBe(410);
  });

  it('bounds the links waiting per session, and a link shown by another session is refused and dies', async () => {
    const input = { id: container, path: '/srv/notes.txt' };
    const waiting: string[] = [];
    for (let i = 0; i < MAX_LINKS_PER_SESSION; i += 1) {
      const link = await call('files.downloadLink', input);
      expect(link.ok).toBe(true);
      waiting.push(link.value?.url as string);
    }
    expect(await call('files.downloadLink', input)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.any(String), fix: expect.any(String) },
    });
    // A browser signed in on its own is another session than this tooling's bearer token.
    const signIn = new URL(server.signInUrl());
    const cookies = (await send(server.port, signIn.pathname + signIn.search)).headers['set-cookie'] ?? [];
    const browser = { Cookie: cookies.map((line) => line.split(';')[0]).join('; ') };
    const leaked = waiting.pop() as string;
    const foreign = await send(server.port, leaked, { headers: browser });
    expect(foreign.status).toBe(404);
    expect(foreign.body).not.toContain('notes for the download test');
    expect((await send(server.port, leaked, { headers: bearer() })).status).toBe(410);
    // The dead link freed its place; the ones still waiting work, once each.
    expect((await call('files.downloadLink', input)).ok).toBe(true);
    for (const url of waiting) expect((await send(server.port, url, { headers: bearer() })).body).toBe(TEXT);
  });

  it('refuses bad paths, names and ids at the contract, before the engine is asked', async () => {
    for (const input of [
      { id: container, path: 'relative/path' },
      { id: container, path: '/../etc/passwd' },
      { id: container, path: '/a\u0000b' },
      { id: '../../images/json', path: '/' },
    ])
      expect(await call('files.downloadLink', input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    for (const name of ['..', 'a/b', '../x', ''])
      expect(await call('files.uploadLink', { id: container, folder: '/srv/in', name, sizeBytes: 1 })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    expect(
      await call('files.uploadLink', { id: container, folder: '/srv/notes.txt', name: 'x', sizeBytes: 1 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call('files.copyOut', { id: container, path: '/srv' })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
  });
});

describe('the attachment header', () => {
  it('keeps the exact name in filename* and a safe ASCII one in filename', () => {
    expect(attachment('a "b";c.txt')).toBe(`attachment; filename="a _b__c.txt"; filename*=UTF-8''a%20%22b%22%3Bc.txt`);
    expect(attachment('ünï.tar')).toBe(`attachment; filename="_n_.tar"; filename*=UTF-8''%C3%BCn%C3%AF.tar`);
  });
});

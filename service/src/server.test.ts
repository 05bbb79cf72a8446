import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Note } from './note.js';
import { NoteStore } from './note-store.js';

// These tests run the compiled service exactly as the image does: `node dist/server.js`.
const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const running = new Set<ChildProcess>();
const tempDirs: string[] = [];

interface RunningServer {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A generous deadline for the service to start listening, or to print a line. */
const OUTPUT_DEADLINE_MS = 60_000;

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'notes-server-'));
  tempDirs.push(dir);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

function launch(env: Record<string, string>): Omit<RunningServer, 'url' | 'port'> {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    child.emit('output');
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    child.emit('output');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  return { child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the process's output, as soon as it is printed. */
function printed(server: Omit<RunningServer, 'url' | 'port'>, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    const check = () => {
      const match = pattern.exec(server.output());
      if (!match) return false;
      finish();
      done(match);
      return true;
    };
    const exit = () => {
      finish();
      fail(new Error(`The service exited before printing ${pattern}:\n${server.output()}`));
    };
    const timer = setTimeout(() => {
      finish();
      fail(new Error(`No ${pattern} after ${OUTPUT_DEADLINE_MS} ms:\n${server.output()}`));
    }, OUTPUT_DEADLINE_MS);
    const finish = () => {
      clearTimeout(timer);
      server.child.off('output', check);
      server.child.off('exit', exit);
    };
    server.child.on('output', check);
    server.child.once('exit', exit);
    check();
  });
}

async function startServer(dataDir: string, port = '0'): Promise<RunningServer> {
  const server = launch({ PORT: port, DATA_DIR: dataDir });
  const match = await printed(server, /Listening at http:\/\/0\.0\.0\.0:(\d+)/);
  return { ...server, port: Number(match[1]), url: `http://127.0.0.1:${match[1]}` };
}

async function createNote(url: string, title: string): Promise<Note> {
  const res = await fetch(`${url}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, body: `body of ${title}` }),
  });
  if (res.status !== 201) throw new Error(`create answered ${res.status}`);
  return (await res.json()) as Note;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(serviceDir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: serviceDir,
    stdio: 'pipe',
  });
}, 60_000);

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the service process', () => {
  it('listens on PORT, says where, and logs one line per request', async () => {
    const port = await freePort();
    const server = await startServer(newDataDir(), String(port));
    expect(server.output()).toContain(`Listening at http://0.0.0.0:${port}\n`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await createNote(server.url, 'logged');
    await printed(server, /^POST \/api\/notes /m);
    const requestLines = server.output().split('\n').slice(1).filter(Boolean);
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatch(/^GET \/healthz 200 \d+\.\dms$/);
    expect(requestLines[1]).toMatch(/^POST \/api\/notes 201 \d+\.\dms$/);
  });

  it('refuses a PORT that is not a port, with a message that says how to fix it', async () => {
    const server = launch({ PORT: 'eighty', DATA_DIR: newDataDir() });
    expect(await server.exited).toEqual({ code: 2, signal: null });
    expect(server.output()).toMatch(/PORT must be a whole number .* got "eighty"/);
  });

  it('keeps notes across a restart on the same DATA_DIR', async () => {
    const dataDir = newDataDir();
    const first = await startServer(dataDir);
    const kept = await createNote(first.url, 'kept');
    const removed = await createNote(first.url, 'removed');
    await fetch(`${first.url}/api/notes/${removed.id}`, { method: 'DELETE' });
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await startServer(dataDir);
    const page = (await (await fetch(`${second.url}/api/notes`)).json()) as { items: Note[]; total: number };
    expect(page.total).toBe(1);
    expect(page.items[0]).toEqual(kept);
  });

  it('loses no acknowledged note when SIGKILLed in the middle of writes', async () => {
    const dataDir = newDataDir();
    const server = await startServer(dataDir);
    const acknowledged: Note[] = [];
    const attempts = Array.from({ length: 300 }, (_, i) =>
      createNote(server.url, `burst ${i}`).then((note) => {
        acknowledged.push(note);
        if (acknowledged.length === 40) server.child.kill('SIGKILL');
      }),
    );
    const results = await Promise.allSettled(attempts);
    expect((await server.exited).signal).toBe('SIGKILL');
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThan(0); // the kill really landed while writes were in flight
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const restarted = await startServer(dataDir);
    for (const note of acknowledged) {
      const res = await fetch(`${restarted.url}/api/notes/${note.id}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(note);
    }
    expect(readdirSync(dataDir).filter((name) => !name.endsWith('.json'))).toEqual([]);
  });

  it('lets an in-flight request finish on SIGTERM, then exits without waiting out its grace period', async () => {
    const dataDir = newDataDir();
    const server = await startServer(dataDir);
    await fetch(`${server.url}/healthz`); // leaves an idle keep-alive connection behind
    const payload = JSON.stringify({ title: 'in flight', body: 'sent in two halves' });
    const half = Math.floor(payload.length / 2);
    const response = new Promise<{ status: number; body: string }>((done, fail) => {
      // `expect: 100-continue`: the server answers "100 Continue" when it has taken the request in, so the
      // SIGTERM lands while the request is in flight; the rest of the body follows once the service says it
      // is shutting down. Events, not delays.
      const req = request(`${server.url}/api/notes`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          expect: '100-continue',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', fail);
      req.once('continue', () => {
        req.write(payload.slice(0, half));
        server.child.kill('SIGTERM');
        printed(server, /SIGTERM received/).then(() => req.end(payload.slice(half)), fail);
      });
      req.flushHeaders();
    });

    const { status, body } = await response;
    expect(status).toBe(201);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM received');
    // It exited because nothing was left open (the idle keep-alive connection included), not on the timer.
    expect(server.output()).not.toContain('grace');

    const note = JSON.parse(body) as Note;
    expect((await NoteStore.open(dataDir)).get(note.id)).toEqual(note);
  });
});

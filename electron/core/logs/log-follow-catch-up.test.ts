/**
 * dockerd 20.10 ends a follow early once the container has exited when the reader is behind: a raw follow
 * over the engine socket, paused until its container (100,000 lines, 1,000 every 20 ms) had exited, got 5,000
 * lines; the stream-backpressure engine test got 11,387 of 100,000 in CI run 20. A stand-in engine on a unix
 * socket ends the follow early the same way; followLogs must read the rest, not following, from the last
 * line delivered, and deliver every line once and in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { LogLine } from '../../contract';
import { followLogs, type WatchedEngine } from './log-follow';

const ID = `${'c0ffee'.repeat(10)}abcd`;
const BASE_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
/** Line i is stamped BASE_MS + i ms, plus i ns so that no two share a time. */
const stamp = (i: number) => {
  const iso = new Date(BASE_MS + i).toISOString(); // …:00.001Z
  return `${iso.slice(0, 23)}${String(i % 1_000_000).padStart(6, '0')}Z`;
};
const frame = (i: number) => {
  const payload = Buffer.from(`${stamp(i)} line ${i}\n`);
  const header = Buffer.alloc(8);
  header[0] = 1; // stdout
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

interface Stub {
  engine: WatchedEngine;
  asked: URLSearchParams[];
  close(): Promise<void>;
}

/** A stand-in engine with one exited container of `total` lines, whose follow ends after `followGives`. */
async function stubEngine(total: number, followGives: number, options: { goneAfterFollow?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-catch-up-'));
  const socketPath = join(dir, 'engine.sock');
  const asked: URLSearchParams[] = [];
  let followed = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://engine');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname.endsWith('/_ping')) return res.writeHead(200).end('OK');
    const gone = options.goneAfterFollow && followed;
    if (url.pathname.endsWith(`/containers/${ID}/json`)) {
      if (gone) return json(404, { message: 'No such container' });
      return json(200, {
        Id: ID,
        Config: { Tty: false },
        State: { Status: 'exited', Running: false, Restarting: false },
        HostConfig: { LogConfig: { Type: 'json-file', Config: {} } },
      });
    }
    if (url.pathname.endsWith(`/containers/${ID}/logs`)) {
      if (gone) return json(404, { message: 'No such container' });
      asked.push(url.searchParams);
      const follow = ['1', 'true'].includes(url.searchParams.get('follow') ?? '');
      const sinceMs = Number(url.searchParams.get('since') ?? '0') * 1000;
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      const last = follow ? followGives : total;
      for (let i = 1; i <= last; i++) if (BASE_MS + i >= sinceMs) res.write(frame(i));
      if (follow) followed = true;
      return res.end();
    }
    json(404, { message: `no route ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const docker = new Dockerode({ socketPath });
  const engine = {
    docker,
    endpoint: `unix://${socketPath}`,
    current: () => ({ state: 'connected' }),
    onStatus: () => () => {},
    status: async () => ({ state: 'connected' }),
  } as unknown as WatchedEngine;
  return {
    engine,
    asked,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies Stub;
}

async function follow(stub: Stub) {
  const lines: LogLine[] = [];
  const ends: string[] = [];
  const reason = await followLogs(
    stub.engine,
    { id: ID, follow: true, tail: 'all' },
    {
      deliver: (event) => {
        if (event.kind === 'lines') lines.push(...event.lines);
        if (event.kind === 'end') ends.push(event.reason);
      },
    },
  );
  return { reason, texts: lines.map((l) => l.text), ends };
}

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => `line ${from + k}`);

describe('a follow the engine ended early', () => {
  let stub: Stub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('reads the rest from the last line delivered: every line once, in order, then one end', async () => {
    stub = await stubEngine(5_000, 1_234);
    const { reason, texts, ends } = await follow(stub);
    expect(reason).toBe('container-stopped');
    expect(texts).toEqual(numbered(1, 5_000));
    expect(ends).toEqual(['container-stopped']);
    // The second read did not follow, and started at the last line delivered's millisecond.
    const [first, second] = stub.asked;
    expect(first?.get('follow')).toMatch(/^(1|true)$/);
    expect(second?.get('follow')).toMatch(/^(0|false)$/);
    expect(Number(second?.get('since')) * 1000).toBe(BASE_MS + 1_234);
    expect(stub.asked).toHaveLength(2);
  });

  it('adds nothing when the follow had every line', async () => {
    stub = await stubEngine(300, 300);
    const { texts, ends } = await follow(stub);
    expect(texts).toEqual(numbered(1, 300));
    expect(ends).toEqual(['container-stopped']);
  });

  it('asks again from the start when the follow had delivered nothing', async () => {
    stub = await stubEngine(50, 0);
    const { texts } = await follow(stub);
    expect(texts).toEqual(numbered(1, 50));
    expect(stub.asked[1]?.get('since')).toBeNull();
  });

  it('ends as the engine said when the container is gone before the second read', async () => {
    stub = await stubEngine(100, 40, { goneAfterFollow: true });
    const { reason, texts } = await follow(stub);
    expect(['container-stopped', 'container-removed']).toContain(reason);
    expect(texts).toEqual(numbered(1, 40));
  });
});

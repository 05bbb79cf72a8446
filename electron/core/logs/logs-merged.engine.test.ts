/** Issue 14: several containers' logs merged by engine timestamp, against `docker logs -t` as the oracle. */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../../../test/engine-harness';
import type { MergedLogEvent, MergedLogLine } from '../../contract';
import { parseJsonObject } from '../../contract';
import { exportLogs, type MergedRequest, readMergedLogs } from './index';
import { timestampNanos } from './log-follow';
import { sinceParam } from './log-timestamp';

const connection = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' };
const image = inject('nodeImage');
const litter = new EngineLitter();
afterAll(() => litter.cleanup());

const LINES_EACH = 300;
const project = `berth-merge-${randomBytes(4).toString('hex')}`;
const names: string[] = [];

/**
 * Numbered lines, with short pauses so that the three containers' lines interleave in time. Each waits for
 * the gate file first: `docker run` of the next container can take longer than a whole script on a loaded
 * machine, so only a shared start makes them overlap.
 */
const script = (tag: string, gateFile = 'go') =>
  `while [ ! -e /gate/${gateFile} ]; do sleep 0.02; done; i=1; while [ $i -le ${LINES_EACH} ]; do echo "${tag} line $i"; [ $((i % 20)) -eq 0 ] && sleep 0.05; i=$((i+1)); done`;

function collect(request: MergedRequest, signal?: AbortSignal) {
  const events: MergedLogEvent[] = [];
  const lines: MergedLogLine[] = [];
  const done = readMergedLogs(
    connection,
    request,
    {
      deliver: (event) => {
        events.push(event);
        if (event.kind === 'lines') lines.push(...event.lines);
      },
    },
    { ...(signal && { signal }) },
  );
  return { events, lines, done };
}

/** `docker logs -t` of one container as `ts text` lines: the oracle. */
async function oracle(name: string, ...flags: string[]): Promise<string[]> {
  const out = await docker('logs', '-t', ...flags, name);
  return out ? out.split('\n') : [];
}

const nanos = (line: MergedLogLine) => timestampNanos(line.ts ?? '')!;

let gate = '';
afterAll(() => (gate ? rm(gate, { recursive: true, force: true }) : undefined));

/** Starts a printer in compose project `compose`, with the gate folder mounted. */
const runGated = (name: string, compose: string, command: string) =>
  docker(
    'run',
    '-d',
    '--label',
    `com.docker.compose.project=${compose}`,
    '--name',
    name,
    '-v',
    `${gate}:/gate:ro`,
    image,
    'sh',
    '-c',
    command,
  );

beforeAll(async () => {
  gate = await mkdtemp(join(tmpdir(), 'berth-merge-gate-'));
  for (const tag of ['alpha', 'bravo', 'charlie']) {
    const name = litter.container(uniqueName(`merge-${tag}`));
    names.push(name);
    await runGated(name, project, script(tag));
  }
  await writeFile(join(gate, 'go'), '');
  for (const name of names) await docker('wait', name);
});

describe('merged logs of several containers', () => {
  it('shows every line of a compose project in timestamp order, none missing', async () => {
    const read = collect({ selection: { by: 'project', project }, tail: 'all', follow: false });
    expect(await read.done).toBe('done');
    const sources = read.events.find((e) => e.kind === 'sources');
    expect(sources && sources.kind === 'sources' && sources.sources.map((s) => s.name)).toEqual([...names].sort());
    const sourceNames = sources?.kind === 'sources' ? sources.sources.map((s) => s.name) : [];

    // Per container: exactly what the CLI shows, timestamps included.
    for (const [index, name] of sourceNames.entries()) {
      const mine = read.lines.filter((l) => l.source === index).map((l) => `${l.ts} ${l.text}`);
      expect(mine).toEqual(await oracle(name));
    }
    expect(read.lines).toHaveLength(3 * LINES_EACH);
    // Merged: never goes back in time, and nothing is marked late when reading history.
    for (let i = 1; i < read.lines.length; i++) expect(nanos(read.lines[i]!) >= nanos(read.lines[i - 1]!)).toBe(true);
    expect(read.lines.some((l) => l.late)).toBe(false);
    // The containers really ran at the same time: their lines interleave.
    const switches = read.lines.filter((l, i) => i > 0 && l.source !== read.lines[i - 1]!.source).length;
    expect(switches).toBeGreaterThan(3);
    // A search (the view's regex) finds lines from every container.
    const found = new Set(read.lines.filter((l) => / line 150$/.test(l.text)).map((l) => l.source));
    expect(found).toEqual(new Set([0, 1, 2]));
    expect(read.events.filter((e) => e.kind === 'source-end')).toHaveLength(3);
    expect(read.events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });

  it('since and until go to the engine and agree with docker logs --since/--until', async () => {
    // A window that holds a third of each container's lines, however their runs overlapped in time.
    const times = async (name: string) => (await oracle(name)).map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
    const [first, second] = [await times(names[0]!), await times(names[1]!)];
    const since = Math.min(first[LINES_EACH / 3]!, second[LINES_EACH / 3]!);
    const until = Math.max(first[(2 * LINES_EACH) / 3]!, second[(2 * LINES_EACH) / 3]!);
    const read = collect({
      selection: { by: 'containers', ids: [names[0]!, names[1]!] },
      tail: 'all',
      since,
      until,
      follow: false,
    });
    expect(await read.done).toBe('done');
    const sorted = [names[0]!, names[1]!].sort();
    for (const [index, name] of sorted.entries()) {
      const expected = await oracle(name, '--since', sinceParam(since), '--until', sinceParam(until));
      expect(expected.length).toBeGreaterThan(0);
      expect(read.lines.filter((l) => l.source === index).map((l) => `${l.ts} ${l.text}`)).toEqual(expected);
    }
  });

  it('exports a range to a file, as text equal to docker logs -t, and as JSON lines', async () => {
    const all = (await oracle(names[1]!)).map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
    const since = all[10]!;
    const until = all[LINES_EACH - 10]!;
    const expected = await oracle(names[1]!, '--since', sinceParam(since), '--until', sinceParam(until));
    const dir = await mkdtemp(join(tmpdir(), 'berth-log-export-'));
    try {
      const request = {
        selection: { by: 'containers' as const, ids: [names[1]!] },
        tail: 'all' as const,
        since,
        until,
      };
      const textFile = join(dir, 'range.log');
      const text = createWriteStream(textFile);
      const result = await exportLogs(connection, request, 'text', text);
      text.end();
      await finished(text);
      expect(result).toMatchObject({ outcome: 'done', lines: expected.length });
      expect(await readFile(textFile, 'utf8')).toBe(`${expected.join('\n')}\n`);

      const jsonFile = join(dir, 'range.jsonl');
      const json = createWriteStream(jsonFile);
      await exportLogs(connection, request, 'jsonl', json);
      json.end();
      await finished(json);
      const rows = (await readFile(jsonFile, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => parseJsonObject<{ ts: string; text: string; container: string }>(l)!);
      expect(rows.map((r) => `${r.ts} ${r.text}`)).toEqual(expected);
      expect(new Set(rows.map((r) => r.container))).toEqual(new Set([names[1]]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('follows running containers: every line arrives, in order except lines marked late', async () => {
    const running: string[] = [];
    const followProject = `${project}-f`;
    for (const tag of ['x', 'y', 'z']) {
      const name = litter.container(uniqueName(`mergef-${tag}`));
      running.push(name);
      await runGated(name, followProject, script(tag, 'follow'));
    }
    const read = collect({ selection: { by: 'project', project: followProject }, tail: 'all', follow: true });
    // They print once the follow has started, so lines arrive while it runs.
    await writeFile(join(gate, 'follow'), '');
    expect(await read.done).toBe('done');
    expect(read.lines).toHaveLength(3 * LINES_EACH);
    const inOrder = read.lines.filter((l) => !l.late);
    for (let i = 1; i < inOrder.length; i++) expect(nanos(inOrder[i]!) >= nanos(inOrder[i - 1]!)).toBe(true);
    expect(read.events.filter((e) => e.kind === 'source-end').map((e) => e.kind === 'source-end' && e.reason)).toEqual([
      'container-stopped',
      'container-stopped',
      'container-stopped',
    ]);
  });

  it('re-joins a 1 MB line that the json-file driver stored in 16 KiB pieces, with one timestamp', async () => {
    const name = litter.container(uniqueName('merge-long'));
    await docker(
      'run',
      '-d',
      '--name',
      name,
      image,
      'node',
      '-e',
      "process.stdout.write('x'.repeat(1 << 20) + '\\nshort\\n')",
    );
    await docker('wait', name);
    const read = collect({ selection: { by: 'containers', ids: [name] }, tail: 'all', follow: false });
    expect(await read.done).toBe('done');
    expect(read.lines.map((l) => l.text.length)).toEqual([1 << 20, 5]);
    expect(read.lines[0]!.text).toMatch(/^x+$/);
    // Without -t the CLI prints the pieces joined; with -t it repeats a timestamp before every 16 KiB piece,
    // so only its first timestamp is the line's.
    expect((await docker('logs', name)).split('\n').map((l) => l.length)).toEqual([1 << 20, 5]);
    const stamped = (await oracle(name))[0]!;
    expect(read.lines[0]!.ts).toBe(stamped.slice(0, stamped.indexOf(' ')));
  });

  it('says NOT_FOUND, with a fix, for a project with no containers', async () => {
    const read = collect({ selection: { by: 'project', project: `${project}-none` }, tail: 10, follow: false });
    await expect(read.done).rejects.toMatchObject({ code: 'NOT_FOUND', fix: expect.any(String) });
  });
});

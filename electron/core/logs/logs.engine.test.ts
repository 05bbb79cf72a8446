import Dockerode from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, uniqueName, waitFor } from '../../../test/engine-harness';
import { BerthError, type LogEvent, type LogLine } from '../../contract';
import { type LogRequest, readLogs } from './index';

const connection = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock' };
const image = inject('nodeImage');
const litter = new EngineLitter();
afterAll(() => litter.cleanup());

/** Runs `sh -c script` detached and returns its name. */
async function shell(script: string, ...flags: string[]): Promise<string> {
  const name = litter.container(uniqueName('logs'));
  await docker('run', '-d', ...flags, '--name', name, image, 'sh', '-c', script);
  return name;
}

async function exited(name: string): Promise<void> {
  await docker('wait', name);
}

/** Reads logs into memory: the lines, the events and how the read ended. */
function collect(request: LogRequest, signal?: AbortSignal) {
  const lines: LogLine[] = [];
  const events: LogEvent[] = [];
  const done = readLogs(
    connection,
    request,
    {
      deliver: (event) => {
        events.push(event);
        if (event.kind === 'lines') lines.push(...event.lines);
      },
    },
    { signal },
  );
  return { lines, events, done };
}

const texts = (lines: LogLine[]) => lines.map((l) => l.text);

describe('reading container logs from the engine', () => {
  it('tells stdout from stderr', async () => {
    const name = await shell('echo out; echo err >&2');
    await exited(name);
    const read = collect({ id: name, follow: false });
    expect(await read.done).toBe('done');
    // The engine copies stdout and stderr separately, so their order in the log is not guaranteed.
    expect(read.lines).toHaveLength(2);
    expect(read.lines).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', text: 'out' },
        { stream: 'stderr', text: 'err' },
      ]),
    );
    expect(read.events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });

  it('gives the last N lines with tail', async () => {
    const name = await shell('i=1; while [ $i -le 50 ]; do echo "line $i"; i=$((i+1)); done');
    await exited(name);
    const read = collect({ id: name, follow: false, tail: 5 });
    await read.done;
    expect(texts(read.lines)).toEqual(['line 46', 'line 47', 'line 48', 'line 49', 'line 50']);
    const all = collect({ id: name, follow: false, tail: 'all' });
    await all.done;
    expect(all.lines).toHaveLength(50);
  });

  it('parses timestamps, and gives only later lines with since', async () => {
    const name = await shell('echo before; sleep 1.5; echo after');
    await exited(name);
    const stamped = collect({ id: name, follow: false, timestamps: true });
    await stamped.done;
    expect(texts(stamped.lines)).toEqual(['before', 'after']);
    const [before, after] = stamped.lines.map((l) => Date.parse(l.ts ?? ''));
    expect(after! - before!).toBeGreaterThan(1000);
    expect(Math.abs(Date.now() - after!)).toBeLessThan(60_000);

    const since = collect({ id: name, follow: false, since: after! - 500 });
    await since.done;
    expect(since.lines).toEqual([{ stream: 'stdout', text: 'after' }]);
  });

  it('follows new lines and ends when the container stops', async () => {
    const name = await shell('echo first; while true; do sleep 0.2; echo tick; done');
    await waitFor(async () => ((await docker('logs', name)).includes('first') ? true : undefined), 20_000, 'first');
    const read = collect({ id: name, follow: true, tail: 0 });
    await waitFor(
      async () => (read.lines.filter((l) => l.text === 'tick').length >= 2 ? true : undefined),
      20_000,
      'ticks',
    );
    expect(texts(read.lines)).not.toContain('first');
    await docker('kill', name);
    expect(await read.done).toBe('container-stopped');
    expect(read.events.at(-1)).toEqual({ kind: 'end', reason: 'container-stopped' });
  });

  it('ends with container-removed when the container is removed while following', async () => {
    const name = await shell('while true; do echo tick; sleep 0.2; done');
    const read = collect({ id: name, follow: true });
    await waitFor(async () => (read.lines.length > 0 ? true : undefined), 20_000, 'first line');
    await docker('rm', '-f', name);
    expect(await read.done).toBe('container-removed');
  });

  it('reads a TTY container raw, all as stdout', async () => {
    const name = await shell('echo out; echo err >&2', '-t');
    await exited(name);
    const read = collect({ id: name, follow: false });
    await read.done;
    expect(read.lines).toEqual([
      { stream: 'stdout', text: 'out' },
      { stream: 'stdout', text: 'err' },
    ]);
  });

  it('stops at once when cancelled, and delivers nothing more', async () => {
    const name = await shell('while true; do echo tick; sleep 0.1; done');
    const controller = new AbortController();
    const read = collect({ id: name, follow: true }, controller.signal);
    await waitFor(async () => (read.lines.length > 0 ? true : undefined), 20_000, 'first line');
    controller.abort();
    expect(await read.done).toBe('cancelled');
    const count = read.events.length;
    // Wait until the container has printed more (an event, not a delay): none of it may arrive.
    const printedSoFar = (await docker('logs', name)).split('\n').length;
    await waitFor(
      async () => ((await docker('logs', name)).split('\n').length >= printedSoFar + 3 ? true : undefined),
      20_000,
      'more ticks after the cancel',
    );
    expect(read.events).toHaveLength(count);
    expect(read.events.some((e) => e.kind === 'end')).toBe(false);
  });

  it('answers NOT_FOUND for an unknown or removed container', async () => {
    const unknown = await collect({ id: uniqueName('nobody') }).done.catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BerthError);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/does not exist/) });

    const name = await shell('echo bye');
    await exited(name);
    await docker('rm', name);
    const removed = await collect({ id: name }).done.catch((e: unknown) => e);
    expect(removed).toMatchObject({ code: 'NOT_FOUND', fix: expect.stringMatching(/removed/) });
  });
});

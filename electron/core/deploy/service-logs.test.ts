import { PassThrough, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { MergedLogEvent } from '../../contract';
import { followServiceLogs, pipeServiceLogs, splitDetails, type TaskRef, taskTag } from './service-logs';

const NODE = 'n1node0000000000000000000';
const SERVICE = 's1service0000000000000000';
const TASK_A = 'aaaaaaaaaaaaaaaaaaaaaaaaa';
const TASK_B = 'bbbbbbbbbbbbbbbbbbbbbbbbb';
const TASK_C = 'ccccccccccccccccccccccccc';

/** One frame of the engine's multiplexed stream: stream type, three zero bytes, the size, the payload. */
function frame(stream: 1 | 2, payload: string): Buffer {
  const data = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** A line as the engine writes it with timestamps=1&details=1. */
const line = (ts: string, task: string, text: string, extra = '') =>
  `${ts} ${extra}com.docker.swarm.node.id=${NODE},com.docker.swarm.service.id=${SERVICE},com.docker.swarm.task.id=${task} ${text}\n`;

async function* chunks(...buffers: Buffer[]): AsyncIterable<Buffer> {
  for (const b of buffers) yield b;
}

describe('splitDetails', () => {
  it('takes the details off the front, query-unescaped, and leaves the text as it was', () => {
    expect(splitDetails(`com.docker.swarm.task.id=${TASK_A},env=a%2Cb+c  two  spaces = kept`)).toEqual({
      details: { 'com.docker.swarm.task.id': TASK_A, env: 'a,b c' },
      text: ' two  spaces = kept',
    });
    expect(splitDetails(`com.docker.swarm.task.id=${TASK_A} `)).toEqual({
      details: { 'com.docker.swarm.task.id': TASK_A },
      text: '',
    });
  });

  it('leaves a line alone that only looks like details, or names no task', () => {
    expect(splitDetails('level=info msg=started')).toEqual({ details: {}, text: 'level=info msg=started' });
    expect(splitDetails('plain text')).toEqual({ details: {}, text: 'plain text' });
    expect(splitDetails('')).toEqual({ details: {}, text: '' });
  });
});

describe('pipeServiceLogs', () => {
  it('tags each line with its task, and adds a task that starts later with a grown sources list', async () => {
    let listed: TaskRef[] = [
      { id: TASK_B, slot: 2 },
      { id: TASK_A, slot: 1 },
    ];
    const events: MergedLogEvent[] = [];
    async function* body(): AsyncIterable<Buffer> {
      yield frame(1, line('2026-11-30T10:00:00.000000001Z', TASK_A, 'a one'));
      yield frame(2, line('2026-11-30T10:00:00.000000002Z', TASK_B, 'b oops'));
      // a line the engine sent in two frames: the second carries the timestamp and the details again
      yield frame(1, line('2026-11-30T10:00:00.000000003Z', TASK_A, 'a two').replace('\n', ''));
      yield frame(1, line('2026-11-30T10:00:00.000000004Z', TASK_A, ' continued'));
      // then the service is scaled: task C starts in slot 3
      listed = [...listed, { id: TASK_C, slot: 3 }];
      yield frame(1, line('2026-11-30T10:00:01Z', TASK_C, 'c one'));
    }
    const tasks = vi.fn(async () => listed);
    // one line per batch, so that C's line comes in a batch of its own
    const limits = { intervalMs: 1, maxLines: 1, maxChars: 1 << 20 };
    await pipeServiceLogs({ body: body(), tty: false, tasks }, { deliver: (e) => void events.push(e) }, limits);

    expect(events.map((e) => e.kind)).toEqual(['sources', 'lines', 'lines', 'lines', 'sources', 'lines', 'end']);
    expect(events[0]).toEqual({
      kind: 'sources',
      sources: [
        { id: TASK_A, name: `1.${TASK_A.slice(0, 12)}` },
        { id: TASK_B, name: `2.${TASK_B.slice(0, 12)}` },
      ],
    });
    expect(events.filter((e) => e.kind === 'lines').flatMap((e) => e.lines)).toEqual([
      { stream: 'stdout', text: 'a one', ts: '2026-11-30T10:00:00.000000001Z', source: 0 },
      { stream: 'stderr', text: 'b oops', ts: '2026-11-30T10:00:00.000000002Z', source: 1 },
      { stream: 'stdout', text: 'a two continued', ts: '2026-11-30T10:00:00.000000003Z', source: 0 },
      { stream: 'stdout', text: 'c one', ts: '2026-11-30T10:00:01Z', source: 2 },
    ]);
    // the list grew at its end, so the lines already shown keep their tags
    expect(events[4]).toEqual({
      kind: 'sources',
      sources: [
        { id: TASK_A, name: '1.aaaaaaaaaaaa' },
        { id: TASK_B, name: '2.bbbbbbbbbbbb' },
        { id: TASK_C, name: '3.cccccccccccc' },
      ],
    });
    // listed at the start, and once more for C only
    expect(tasks).toHaveBeenCalledTimes(2);
  });

  it('a task the engine no longer lists still gets its own tag, by id; a line without details its own source', async () => {
    const events: MergedLogEvent[] = [];
    const body = chunks(
      frame(1, line('2026-11-30T10:00:00Z', TASK_A, 'gone task')),
      frame(1, '2026-11-30T10:00:01Z no details here\n'),
    );
    await pipeServiceLogs({ body, tty: false, tasks: async () => [] }, { deliver: (e) => void events.push(e) });
    const last = events.filter((e) => e.kind === 'sources').at(-1);
    expect(last).toEqual({
      kind: 'sources',
      sources: [
        { id: TASK_A, name: TASK_A.slice(0, 12) },
        { id: '', name: 'service' },
      ],
    });
    expect(events.filter((e) => e.kind === 'lines').flatMap((e) => e.lines)).toMatchObject([
      { text: 'gone task', source: 0 },
      { text: 'no details here', source: 1 },
    ]);
  });

  it('names a task by slot and short id, or by id alone in a global service', () => {
    expect(taskTag({ id: TASK_A, slot: 7 })).toBe('7.aaaaaaaaaaaa');
    expect(taskTag({ id: TASK_A, slot: null })).toBe('aaaaaaaaaaaa');
  });

  /** An engine that is a swarm manager, with one service of task A whose log request answers with `body`. */
  const engineAnswering = (body: NodeJS.ReadableStream) => {
    const dial = vi.fn((_options: Record<string, unknown>, callback: (error: unknown, result: unknown) => void) =>
      callback(null, body),
    );
    const docker = {
      version: async () => ({ ApiVersion: '1.41', Os: 'linux', Components: [{ Name: 'Engine' }] }),
      info: async () => ({ Swarm: { LocalNodeState: 'active', ControlAvailable: true } }),
      getService: () => ({ inspect: async () => ({ ID: SERVICE }) }),
      listTasks: async () => [{ ID: TASK_A, Slot: 1, CreatedAt: '2026-11-30T09:00:00Z' }],
      modem: { dial },
    } as unknown as Dockerode;
    return { engine: { docker, endpoint: 'unix:///fake.sock' }, dial };
  };

  it('asks the engine for the service log with timestamps and details, as a stream, and reads it to its end', async () => {
    const body = Readable.from([
      frame(1, line('2026-11-30T10:00:00Z', TASK_A, 'Listening at http://0.0.0.0:5000')),
      frame(2, line('2026-11-30T10:00:01Z', TASK_A, 'a warning')),
    ]);
    const { engine, dial } = engineAnswering(body);
    const events: MergedLogEvent[] = [];
    const sink = { deliver: (e: MergedLogEvent) => void events.push(e) };
    expect(await followServiceLogs(engine, 'notes', sink, { tail: 10, follow: false })).toBe('done');
    expect(dial.mock.calls[0]?.[0]).toMatchObject({
      path: `/services/${SERVICE}/logs?`,
      isStream: true,
      options: { follow: false, timestamps: true, details: true, tail: 10 },
    });
    expect(events.flatMap((e) => (e.kind === 'lines' ? e.lines : []))).toEqual([
      { stream: 'stdout', text: 'Listening at http://0.0.0.0:5000', ts: '2026-11-30T10:00:00Z', source: 0 },
      { stream: 'stderr', text: 'a warning', ts: '2026-11-30T10:00:01Z', source: 0 },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'end', reason: 'done' });
  });

  it('stops following at once when aborted, though the engine never ends the stream, and sends nothing after', async () => {
    const body = new PassThrough();
    const { engine } = engineAnswering(body);
    const events: MergedLogEvent[] = [];
    const stop = new AbortController();
    const following = followServiceLogs(
      engine,
      'notes',
      { deliver: (e) => void events.push(e) },
      { tail: 10, follow: true, signal: stop.signal },
    );
    body.write(frame(1, line('2026-11-30T10:00:00Z', TASK_A, 'first')));
    await vi.waitFor(() => expect(events.some((e) => e.kind === 'lines')).toBe(true));
    stop.abort();
    expect(await following).toBe('cancelled');
    expect(body.destroyed).toBe(true);
    const seen = events.length;
    body.write(frame(1, line('2026-11-30T10:00:01Z', TASK_A, 'after')));
    expect(events).toHaveLength(seen);
    expect(events.some((e) => e.kind === 'end')).toBe(false);
  });
});

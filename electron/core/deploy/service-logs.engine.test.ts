/**
 * A service's logs followed live and tagged by task, on the real engine: a single-node swarm (its own, left
 * afterwards, test/swarm-harness.ts) runs a service whose tasks print numbered lines to stdout and stderr and
 * one 40,000-character line (the engine sends it in pieces). Berth follows from before the tasks start,
 * through a scale from 2 to 3. The docker CLI is the oracle: `docker logs -t` of each task's container, for
 * the lines and for which task printed each (`docker service logs` without -f is not reliable on dockerd
 * 20.10). Run it only under the engine lock.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { docker, labelFlags, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { initTestSwarm, type TestSwarm } from '../../../test/swarm-harness';
import type { MergedLogEvent, MergedLogLine, MergedLogSource } from '../../contract';
import { Engine } from '../engine/engine';
import { followServiceLogs } from './service-logs';

const execFileAsync = promisify(execFile);

/** Lines each task prints (one every 100 ms), besides the long one; every fifth goes to stderr. */
const TICKS = 30;
const LONG = `L${'x'.repeat(40_000)}`;
/** Generous: tasks start within seconds here, then print for 3 s. */
const LINES_DEADLINE_MS = 120_000;
/** An aborted follow ends at once; this only bounds a failure. */
const STOP_DEADLINE_MS = 10_000;

const service = uniqueName('svclogs').slice(0, 40);
let engine: Engine;
let swarm: TestSwarm | undefined;

const SCRIPT = [
  "const os = require('os');",
  'let i = 0;',
  'const tick = setInterval(() => {',
  `  if (i === ${TICKS}) return clearInterval(tick);`,
  '  const line = `tick ${i} from ${os.hostname()}`;',
  '  if (i % 5 === 4) console.error(line); else console.log(line);',
  `  if (i === 10) console.log('L' + 'x'.repeat(${LONG.length - 1}));`,
  '  i++;',
  '}, 100);',
  'setInterval(() => {}, 1 << 30);',
].join('\n');

/**
 * A history read (`docker service logs` without -f) on dockerd 20.10 now and then never ends, or ends early
 * (seen here: with and without --tail, raw or not). It is asked again after this long, at most this often.
 */
const CLI_DEADLINE_MS = 30_000;
const CLI_ATTEMPTS = 3;
/** The test's own limit: its deadlines added up, the service and three tasks' CLI reads included. */
const TEST_TIMEOUT_MS = 2 * LINES_DEADLINE_MS + STOP_DEADLINE_MS + 4 * CLI_ATTEMPTS * CLI_DEADLINE_MS;

/** Both outputs of a docker CLI command, line by line, each with its stream; asked again if it hangs. */
async function cli(...args: string[]): Promise<Array<{ stream: 'stdout' | 'stderr'; text: string }>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout, stderr } = await execFileAsync('docker', args, { maxBuffer: 64 << 20, timeout: CLI_DEADLINE_MS });
      const lines = (out: string, stream: 'stdout' | 'stderr') =>
        out
          .split('\n')
          .filter((l) => l !== '')
          .map((text) => ({ stream, text }));
      return [...lines(stdout, 'stdout'), ...lines(stderr, 'stderr')];
    } catch (error) {
      if (!(error as { killed?: boolean }).killed || attempt === CLI_ATTEMPTS) throw error;
    }
  }
}

beforeAll(async () => {
  engine = new Engine({ labels: testLabels() });
  swarm = await initTestSwarm(() => [service]);
});

afterAll(async () => {
  engine?.close();
  await swarm?.leave();
});

it(
  "follows a service's logs live, each line tagged with its task, through a scale; the same lines and tasks as the CLI",
  async () => {
    // Follow first: the service does not exist yet, so create it, then follow from before its tasks print.
    await docker(
      'service',
      'create',
      '--detach',
      '--name',
      service,
      '--replicas',
      '2',
      '--restart-condition',
      'none',
      '--no-resolve-image',
      ...labelFlags(),
      ...labelFlags().map((flag) => (flag === '--label' ? '--container-label' : flag)),
      inject('nodeImage'),
      'node',
      '-e',
      SCRIPT,
    );
    const sources: MergedLogSource[][] = [];
    const lines: MergedLogLine[] = [];
    const ended: MergedLogEvent[] = [];
    const stop = new AbortController();
    const following = followServiceLogs(
      engine,
      service,
      {
        deliver: (event) => {
          if (event.kind === 'sources') sources.push(event.sources);
          else if (event.kind === 'lines') lines.push(...event.lines);
          else ended.push(event);
        },
      },
      { tail: 1000, follow: true, signal: stop.signal },
    );
    const perSource = () => {
      const counts = new Map<number, number>();
      for (const l of lines) counts.set(l.source, (counts.get(l.source) ?? 0) + 1);
      return [...counts.values()];
    };
    const complete = (tasks: number) => async () => {
      const counts = perSource();
      if (counts.length === tasks && counts.every((n) => n === TICKS + 1)) return counts;
      // Said in waitFor's message if the deadline passes.
      throw new Error(`lines per task so far: ${JSON.stringify(counts)}; sources ${JSON.stringify(sources.at(-1))}`);
    };
    await waitFor(complete(2), LINES_DEADLINE_MS, `${TICKS + 1} lines from each of 2 tasks`);

    // Scaled while followed: the third task's lines come on the same stream, under a new tag.
    await docker('service', 'scale', '--detach', `${service}=3`);
    await waitFor(complete(3), LINES_DEADLINE_MS, `${TICKS + 1} lines from each of 3 tasks`);
    stop.abort();
    const stopped = new Promise((resolve) => setTimeout(() => resolve('still following'), STOP_DEADLINE_MS));
    expect(await Promise.race([following, stopped])).toBe('cancelled');
    expect(ended).toEqual([]);

    // Tags: three tasks, each its slot and short id, in a list that only ever grew.
    const last = sources.at(-1)!;
    const tagged = new Set(lines.map((l) => l.source));
    expect(tagged.size).toBe(3);
    for (const index of tagged) expect(last[index]?.name).toMatch(/^[123]\.[a-z0-9]{12}$/);
    for (let i = 1; i < sources.length; i++) {
      expect(sources[i]!.slice(0, sources[i - 1]!.length)).toEqual(sources[i - 1]);
    }
    const running = await docker('service', 'ps', service, '--no-trunc', '--format', '{{.ID}}');
    expect([...tagged].map((i) => last[i]!.id).sort()).toEqual(running.split('\n').sort());

    // The long line arrives whole, once per task, with no engine details inside it.
    const long = lines.filter((l) => l.text.startsWith('Lxx'));
    expect(long.map((l) => l.text === LONG)).toEqual([true, true, true]);
    const short = lines.filter((l) => !l.text.startsWith('Lxx'));
    expect(short.filter((l) => l.stream === 'stderr')).toHaveLength(3 * (TICKS / 5));

    // The oracle: each task's container log, read with `docker logs -t` (the json-file log the service log is
    // made of). `docker service logs` itself is no oracle on dockerd 20.10: without -f it has returned part of
    // the log, or hung (CI run 16 and the helper's runs). Each task's lines are exactly the ones Berth tagged with
    // that task, and together they are every line Berth showed.
    const everyTask: string[] = [];
    for (const index of tagged) {
      const container = (
        await docker('inspect', '--format', '{{.Status.ContainerStatus.ContainerID}}', last[index]!.id)
      ).trim();
      const own = (await cli('logs', '-t', container)).filter((l) => !l.text.includes('Lxx'));
      const ownLines = own.map((l) => `${l.stream} ${l.text}`).sort();
      const berthOwn = short.filter((l) => l.source === index).map((l) => `${l.stream} ${l.ts} ${l.text}`);
      expect(berthOwn.sort()).toEqual(ownLines);
      everyTask.push(...ownLines);
    }
    expect(short.map((l) => `${l.stream} ${l.ts} ${l.text}`).sort()).toEqual(everyTask.sort());
  },
  TEST_TIMEOUT_MS,
);

/**
 * Issue 14, rotation: a container whose json-file log rotates fast (`max-size=1m`, `max-file=2`) is
 * followed through many rotations by a reader that falls behind. The follow must go on across them, mark
 * every gap (a `rotated` event between the last line before and the first line after), deliver every
 * line the engine still holds (the docker CLI is the oracle), and end only when the container stops.
 * The numbers in the lines are used only here, to find the gaps; the product sees only timestamps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, uniqueName, waitFor } from '../../../test/engine-harness';
import type { EngineStatus, LogEvent } from '../../contract';
import { followLogs, type WatchedEngine } from './index';

/** Lines printed: about 130 bytes each in the json file, so some twenty 1 MB rotations. */
const LINES = 150_000;
/** How long the reader stops reading at first, unless the container is done before: it falls behind. */
const STALL_MS = 4_000;
/** Generous for a loaded 2-core machine; reached only on failure. */
const DEADLINE_MS = 240_000;

const litter = new EngineLitter();
/** The printer waits for this folder's `go` file, written once the follow has delivered its READY line. */
const gate = mkdtempSync(join(tmpdir(), 'berth-rotate-gate-'));
afterAll(async () => {
  await litter.cleanup();
  rmSync(gate, { recursive: true, force: true });
});

const dockerode = new Dockerode();
const connected = { state: 'connected' } as EngineStatus;
const engine: WatchedEngine = {
  docker: dockerode,
  endpoint: 'unix:///var/run/docker.sock',
  current: () => connected,
  onStatus: () => () => undefined,
  status: async () => connected,
};

const numberOf = (text: string) => {
  const match = /^n=(\d+) /.exec(text);
  return match ? Number(match[1]) : undefined;
};

describe('following a log that rotates', () => {
  it(
    'goes on across rotations, marks each gap, and delivers every line the engine still holds',
    async () => {
      const name = litter.container(uniqueName('rotate'));
      // It prints only once the follow is attached (a loaded machine can take longer to attach than the
      // printer takes to rotate its first files away): lines lost before the follow began are no gap of it.
      const printer = `echo READY; while [ ! -e /gate/go ]; do sleep 0.02; done; i=1; while [ $i -le ${LINES} ]; do echo "n=$i padding-to-make-the-line-longer-xxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done; echo DONE; sleep 3600`;
      await docker(
        'run',
        '-d',
        '--log-opt',
        'max-size=1m',
        '--log-opt',
        'max-file=2',
        '--name',
        name,
        '-v',
        `${gate}:/gate:ro`,
        inject('nodeImage'),
        'sh',
        '-c',
        printer,
      );
      // In order: each batch of numbers and each rotated event, as the follow delivered them.
      const order: Array<{ numbers: number[] } | Extract<LogEvent, { kind: 'rotated' }>> = [];
      let done = false;
      let stalled = false;
      const stallUntil = Date.now() + STALL_MS;
      const follow = followLogs(
        engine,
        { id: name, tail: 'all', timestamps: true, follow: true },
        {
          deliver: async (event) => {
            if (event.kind === 'rotated') order.push(event);
            if (event.kind !== 'lines') return;
            const numbers: number[] = [];
            for (const line of event.lines) {
              if (line.text === 'READY') writeFileSync(join(gate, 'go'), '');
              const n = numberOf(line.text);
              if (n !== undefined) numbers.push(n);
              if (line.text === 'DONE') done = true;
            }
            order.push({ numbers });
            // The first batch holds the reader back, as a slow screen would, while the printer runs on.
            if (!stalled) {
              stalled = true;
              while (Date.now() < stallUntil && !(await docker('logs', '--tail', '1', name)).includes('DONE')) {
                await new Promise((resolve) => setTimeout(resolve, 200));
              }
            }
          },
        },
      );
      let ended = false;
      void follow.finally(() => {
        ended = true;
      });
      await waitFor(async () => (done ? true : undefined), DEADLINE_MS / 2, 'DONE through the follow');
      // The follow has not ended while the container runs on.
      expect(ended).toBe(false);

      // The oracle: what the engine still holds, read by the CLI.
      const held = (await docker('logs', name))
        .split('\n')
        .map(numberOf)
        .filter((n) => n !== undefined);
      const received = order.flatMap((entry) => ('numbers' in entry ? entry.numbers : []));
      // Every line delivered once, in order.
      for (let i = 1; i < received.length; i++) expect(received[i]).toBeGreaterThan(received[i - 1]!);
      // Every line the engine still holds arrived, including all those after the last rotation.
      const got = new Set(received);
      expect(held.filter((n) => !got.has(n))).toEqual([]);
      expect(held.at(-1)).toBe(LINES);
      expect(received.at(-1)).toBe(LINES);
      // The engine rotated many times: it holds at most two files of the whole output.
      expect(held.length).toBeLessThan(LINES / 4);

      // Every run of missing numbers lies inside a marked gap: a rotated event with missing > 0 between
      // the last number before the run and the first after it.
      let previous = 0;
      let sawMarker = false;
      let unmarked: Array<[number, number]> = [];
      for (const entry of order) {
        if (!('numbers' in entry)) {
          if (entry.missing > 0) sawMarker = true;
          continue;
        }
        for (const n of entry.numbers) {
          if (n !== previous + 1 && !sawMarker) unmarked = [...unmarked, [previous, n]];
          if (n !== previous + 1 || sawMarker) sawMarker = false;
          previous = n;
        }
      }
      expect(unmarked).toEqual([]);
      const missing = LINES - received.length;
      const markers = order.filter((entry) => !('numbers' in entry));
      if (missing > 0) expect(markers.length).toBeGreaterThan(0);
      console.info(
        `rotation: ${LINES} printed, ${received.length} received, ${missing} missing, ${markers.length} rotated event(s), estimates ${markers.map((m) => ('missing' in m ? m.missing : 0)).join(',')}`,
      );

      await docker('kill', name);
      expect(await follow).toBe('container-stopped');
    },
    DEADLINE_MS,
  );
});

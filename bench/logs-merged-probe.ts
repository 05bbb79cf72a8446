/**
 * Profiling aid (not a benchmark section): the merged follow without the browser. CONTAINERS printers at RATE
 * lines/s are followed by Berth's core (readMergedLogs over followLogs, each batch packed, checked against the
 * contract and stringified as the web server does) and, at the same time, by one `docker logs -f` per
 * container counting lines. Prints lines/s per second for both. Run under the engine lock, e.g.
 *   flock /tmp/berth-engine.lock node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/logs-merged-probe.ts
 */
import Dockerode from 'dockerode';
import { MergedLogStreamEvent, packMergedLogEvent } from '../electron/contract';
import { followLogs, readMergedLogs } from '../electron/core/logs';
import { go, image, ratePrinter, sleep, startContainer } from './dashboard/setup';
import { benchRun, cliFollower, removeLabelled } from './lib/engine';

const CONTAINERS = Number(process.env.PROBE_CONTAINERS ?? 10);
const RATE = Number(process.env.PROBE_RATE ?? 5000);
const SECONDS = Number(process.env.PROBE_SECONDS ?? 15);
const owner = benchRun('logs-merged-probe');
const tagOf = (i: number) => `c${String(i).padStart(2, '0')}`;

const docker = new Dockerode();
const status = { state: 'connected' } as never;
const engine = {
  docker,
  endpoint: 'unix:///var/run/docker.sock',
  current: () => status,
  onStatus: () => () => undefined,
  status: async () => status,
};

async function main() {
  void image;
  const names: string[] = [];
  for (let i = 0; i < CONTAINERS; i++)
    names.push(await startContainer(tagOf(i), ratePrinter(RATE, SECONDS, tagOf(i)), owner));
  let berth = 0;
  let bytes = 0;
  const followers = names.map(cliFollower);
  const cliTotal = () => followers.reduce((sum, f) => sum + f.lines, 0);
  const read = readMergedLogs(
    engine,
    { selection: { by: 'containers', ids: names }, tail: 0, follow: true },
    {
      deliver: (event) => {
        const packed = packMergedLogEvent(event);
        const checked = MergedLogStreamEvent.safeParse(packed);
        if (!checked.success) throw new Error(checked.error.message);
        bytes += JSON.stringify(checked.data).length;
        if (event.kind === 'lines') berth += event.lines.length;
      },
    },
    { readOne: (r, s, o) => followLogs(engine as never, r, s, o) },
  );
  await sleep(1000);
  const t0 = performance.now();
  await Promise.all(names.map((n) => go(n)));
  let lastB = 0;
  let lastC = 0;
  const ticker = setInterval(() => {
    const c = cliTotal();
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s  berth ${berth - lastB}/s  cli ${c - lastC}/s`);
    lastB = berth;
    lastC = c;
  }, 1000);
  await read;
  await Promise.all(followers.map((f) => f.ended));
  clearInterval(ticker);
  console.log(
    `total berth ${berth}, cli ${cliTotal()}, bytes ${bytes}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await removeLabelled(owner);
}
await main();

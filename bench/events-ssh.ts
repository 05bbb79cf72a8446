/**
 * Engine events and lists over SSH. Event latency: the same docker context (ssh://root@127.0.0.1:<port>, saved by Berth in the
 * CLI's format) watched by Berth's core (dockerode over one shared ssh2 connection, a `docker system
 * dial-stdio` channel per HTTP connection)
 * and by `docker --context <it> events` (the CLI's own ssh), side by side, timing the same container
 * `start` events from the engine's own time (timeNano) to delivery. Starts its own sshd on a free loopback
 * port with a key made for the run (test/remote-engines.ts) and removes it afterwards. Both consumers must
 * have seen exactly the starts of the containers this run made, with the same ids and engine times, before
 * any ratio is reported. Lists: the time to list containers and images through Berth's core (the code
 * behind the Containers and Images views) against `docker --context <it> ps -a` / `images`, alternately,
 * each pair checked to hold the same ids. Both sides check sshd's host key against the same known_hosts.
 * Run under the engine lock.
 *
 *   npx tsx bench/events-ssh.ts   prints the figures and writes "## Engine events over SSH (issue 13)" and
 *                                 "## Lists over SSH (issue 13)"
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NewEngine } from '../electron/contract';
import { listContainers } from '../electron/core/containers/container-list';
import { writeContext } from '../electron/core/engine/context-writer';
import { sshAgentOf } from '../electron/core/engine/docker-client';
import { Engine } from '../electron/core/engine/engine';
import { EngineEvents } from '../electron/core/engine/events';
import { listImages } from '../electron/core/images/image-list';
import { ensureBaseImage } from '../scripts/base-image';
import { startSshd } from '../test/remote-engines';
import { writeBenchmarkSection } from './benchmarks-file';
import {
  benchRun,
  countsLine,
  engineCounts,
  loadAverage,
  machineLine,
  onInterrupt,
  removeLabelled,
} from './lib/engine';
import { requireSameWork, sameSet } from './lib/same-work';
import {
  type CliStart,
  type CoreStart,
  runAndAwaitStarts,
  startDifferences,
  startLatencies,
  watchCliStarts,
  watchCoreStarts,
} from './lib/start-events';
import { formatSpread, pairedRatios, spread } from './lib/stats';

const RUNS = 20;
/** Generous: how long one `docker run` may take before both start events must have arrived over SSH. */
const EVENT_DEADLINE_MS = 30_000;
/** How long both watchers get to open their SSH sessions before the first measured run. */
const WARMUP_DEADLINE_MS = 60_000;
const SECTION = '## Engine events over SSH (issue 13)';
const LISTS_SECTION = '## Lists over SSH (issue 13)';
/** Each list is timed this many times on each side, alternating which side goes first. */
const LIST_RUNS = 10;
const execFileAsync = promisify(execFile);
const now = (): number => performance.now();
const CONTEXT = 'berth-bench-ssh';

const loadAtStart = loadAverage();
const bench = benchRun('events-ssh');
const countsBefore = await engineCounts();
const image = ensureBaseImage();
const prefix = `berth-bench-${bench.id}`;
const sshd = await startSshd();
const work = mkdtempSync(join(tmpdir(), 'berth-bench-ssh-'));

// One docker context, written by Berth, read by both sides.
const config = join(work, 'docker-config');
mkdirSync(config);
writeContext(
  config,
  NewEngine.parse({
    kind: 'ssh',
    name: CONTEXT,
    user: 'root',
    host: '127.0.0.1',
    port: sshd.port,
    identityFile: sshd.key,
  }),
);
// Both sides trust sshd's real host key through one known_hosts under the run's own HOME (Berth reads
// $HOME/.ssh/known_hosts; the CLI's ssh is pointed at the same file), so root's own ~/.ssh is never used.
const knownHosts = sshd.trustIn(work);
// The CLI runs `ssh`: a wrapper first on PATH gives it the run's key and that known_hosts, checked strictly.
const bin = join(work, 'bin');
mkdirSync(bin);
const sshConfig = join(work, 'ssh_config');
writeFileSync(
  sshConfig,
  `Host 127.0.0.1\n  IdentityFile ${sshd.key}\n  IdentitiesOnly yes\n  StrictHostKeyChecking yes\n  UserKnownHostsFile ${knownHosts}\n  GlobalKnownHostsFile /dev/null\n  LogLevel ERROR\n`,
);
writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${sshConfig} "$@"\n`);
chmodSync(join(bin, 'ssh'), 0o755);
const cliEnv = { ...process.env, DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH ?? ''}`, DOCKER_HOST: '' };

const core = new Map<string, CoreStart>();
const cli = new Map<string, CliStart>();

const engine = new Engine({ configDir: config, env: { HOME: work, DOCKER_CONTEXT: CONTEXT } });
const events = new EngineEvents(engine);
watchCoreStarts(events, prefix, core);
const watcher = watchCliStarts(['--context', CONTEXT], bench.label, prefix, cli, cliEnv);
const cleanup = async () => {
  watcher.kill();
  events.close();
  engine.close();
  await removeLabelled(bench);
  await sshd.stop();
  rmSync(work, { recursive: true, force: true });
};
onInterrupt(cleanup);
// The containers are started over the local socket: only the watching goes over SSH.
const runOnce = (name: string, deadlineMs: number) =>
  runAndAwaitStarts(image, bench.label, name, [core, cli], deadlineMs);

try {
  // Warm-up until both watchers deliver: their SSH sessions are open and `dial-stdio` is running.
  for (let i = 0; !(core.has(`${prefix}-warmup-${i - 1}`) && cli.has(`${prefix}-warmup-${i - 1}`)); i++) {
    if (i > 5) throw new Error('The watchers over SSH did not deliver any start event during the warm-up.');
    await runOnce(`${prefix}-warmup-${i}`, WARMUP_DEADLINE_MS / 5);
  }
  const names = Array.from({ length: RUNS }, (_, i) => `${prefix}-${i}`);
  for (const name of names) await runOnce(name, EVENT_DEADLINE_MS);
  requireSameWork('container start events over SSH', startDifferences(names, core, cli));
  const { core: coreLatency, cli: cliLatency } = startLatencies(names, core, cli);
  const c = spread(coreLatency);
  const k = spread(cliLatency);
  const ratio = pairedRatios(coreLatency, cliLatency);
  const status = await engine.status();
  if (status.state !== 'connected') throw new Error(`Berth is not connected over SSH: ${status.error?.message}`);

  // Lists: Berth's core and the CLI, alternately, each pair checked to name the same ids.
  const cliIds = async (...args: string[]) =>
    new Set(
      (await execFileAsync('docker', ['--context', CONTEXT, ...args], { env: cliEnv, maxBuffer: 64 << 20 })).stdout
        .split('\n')
        .filter(Boolean),
    );
  const lists = {
    containers: {
      core: async () => new Set((await listContainers(engine)).map((c) => c.id)),
      cli: () => cliIds('ps', '-a', '--no-trunc', '--format', '{{.ID}}'),
      sizes: [] as number[],
      times: { core: [] as number[], cli: [] as number[] },
    },
    images: {
      core: async () => new Set((await listImages(engine)).map((i) => i.id)),
      cli: () => cliIds('images', '--no-trunc', '--format', '{{.ID}}'),
      sizes: [] as number[],
      times: { core: [] as number[], cli: [] as number[] },
    },
  };
  for (const [what, list] of Object.entries(lists)) {
    await list.core(); // warm-up: the first ssh2 and ssh connections of each kind
    await list.cli();
    for (let i = 0; i < LIST_RUNS; i++) {
      const timed = async (side: 'core' | 'cli') => {
        const t0 = now();
        const ids = await list[side]();
        list.times[side].push(now() - t0);
        return ids;
      };
      const [coreIds, cliSeen] =
        i % 2 === 0
          ? [await timed('core'), await timed('cli')]
          : await timed('cli').then(async (k) => [await timed('core'), k] as const);
      requireSameWork(
        `${what} listed over SSH`,
        sameSet(what, { 'Berth core': coreIds, 'docker CLI': cliSeen }, cliSeen),
      );
      list.sizes.push(cliSeen.size);
    }
  }
  const sshConnections = sshAgentOf(engine.docker)?.opened ?? 0;
  await cleanup();
  const countsAfter = await engineCounts();
  const body = `
Latency of a container \`start\` event over SSH, from the engine's own event time (\`timeNano\`) to delivery,
over ${RUNS} \`docker run --rm\` runs of \`${image}\` (dockerd ${status.version}, API ${status.apiVersion}), measured by
\`npx tsx bench/events-ssh.ts\` on ${new Date().toISOString().slice(0, 10)}. One docker context
\`ssh://root@127.0.0.1:<port>\` (sshd started for the run, a key made for it), watched at the same time by
Berth's core (dockerode over one shared ssh2 connection, one \`GET /events\` stream)
and by \`docker --context … events\` (the CLI's
own ssh). Both run \`docker system dial-stdio\` on the far side. Checked before any figure: both saw exactly
the ${RUNS} starts this run made, each with the same container id and engine time.

| consumer over SSH | min / median / max |
|---|---|
| Berth core (\`EngineEvents\`, ssh2) | ${formatSpread(c, 2, 'ms')} |
| \`docker events\` CLI (ssh) | ${formatSpread(k, 2, 'ms')} |
| ratio core ÷ CLI, per event | ${formatSpread(ratio, 2)} |

Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.
`;
  const row = (what: string, list: (typeof lists)['containers'], cliCommand: string, core: string) => {
    const sizes = spread(list.sizes);
    const count = sizes.min === sizes.max ? `${sizes.min}` : `${sizes.min}–${sizes.max}`;
    return [
      `| ${what} (${count}) via Berth core (\`${core}\`) | ${formatSpread(spread(list.times.core), 0, 'ms')} |`,
      `| ${what} via \`docker --context … ${cliCommand}\` | ${formatSpread(spread(list.times.cli), 0, 'ms')} |`,
      `| ratio core ÷ CLI, per pair | ${formatSpread(pairedRatios(list.times.core, list.times.cli), 2)} |`,
    ].join('\n');
  };
  const listsBody = `
Time to list over the same SSH context as above, ${LIST_RUNS} pairs per list after one warm-up each, the two
sides alternating which goes first, measured by \`npx tsx bench/events-ssh.ts\` on
${new Date().toISOString().slice(0, 10)} (dockerd ${status.version}). Berth's core is the code behind the
Containers and Images views; the CLI is a new \`docker\` process each time (its start-up is part of its
figure, as it is for anyone typing the command). Berth keeps one SSH connection per engine and sends each
HTTP connection over a channel of it running \`docker system dial-stdio\` on the far side, kept alive between
requests (the CLI pays its ssh handshake in every run); over the whole run, events and lists together, Berth
opened ${sshConnections} SSH connection(s). The container list inspects only running and paused containers
(for the start time the Uptime column ticks from), one request each besides the list. Checked before any
figure: each pair listed the same ids (the engine's whole content, whatever other work had left there; the
count is in brackets).

| list over SSH | min / median / max |
|---|---|
${row('containers', lists.containers, 'ps -a', 'listContainers')}
${row('images', lists.images, 'images', 'listImages')}

Machine: ${machineLine(loadAtStart)}.
`;
  console.log(body);
  console.log(listsBody);
  writeBenchmarkSection(SECTION, body);
  writeBenchmarkSection(LISTS_SECTION, listsBody);
} finally {
  await cleanup().catch(() => undefined);
}

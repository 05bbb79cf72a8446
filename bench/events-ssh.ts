/**
 * Engine event latency over SSH: the same docker context (ssh://root@127.0.0.1:<port>, saved by Berth in the
 * CLI's format) watched by Berth's core (dockerode over ssh2, `docker system dial-stdio` on the far side)
 * and by `docker --context <it> events` (the CLI's own ssh), side by side, timing the same container
 * `start` events from the engine's own time (timeNano) to delivery. Starts its own sshd on a free loopback
 * port with a key made for the run (test/remote-engines.ts) and removes it afterwards. Both consumers must
 * have seen exactly the starts of the containers this run made, with the same ids and engine times, before
 * any ratio is reported. Run under the engine lock.
 *
 *   npx tsx bench/events-ssh.ts        prints the figures and writes "## Engine events over SSH (issue 13)"
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEngine } from '../electron/contract';
import { writeContext } from '../electron/core/engine/context-writer';
import { Engine } from '../electron/core/engine/engine';
import { EngineEvents } from '../electron/core/engine/events';
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
import { requireSameWork } from './lib/same-work';
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
// The CLI runs `ssh`: a wrapper first on PATH gives it the run's key and a throwaway known_hosts, so root's
// own ~/.ssh is never read or written.
const bin = join(work, 'bin');
mkdirSync(bin);
const sshConfig = join(work, 'ssh_config');
writeFileSync(
  sshConfig,
  `Host 127.0.0.1\n  IdentityFile ${sshd.key}\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile ${join(work, 'known_hosts')}\n  LogLevel ERROR\n`,
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
  await cleanup();
  const countsAfter = await engineCounts();
  const body = `
Latency of a container \`start\` event over SSH, from the engine's own event time (\`timeNano\`) to delivery,
over ${RUNS} \`docker run --rm\` runs of \`${image}\` (dockerd ${status.version}, API ${status.apiVersion}), measured by
\`npx tsx bench/events-ssh.ts\` on ${new Date().toISOString().slice(0, 10)}. One docker context
\`ssh://root@127.0.0.1:<port>\` (sshd started for the run, a key made for it), watched at the same time by
Berth's core (dockerode over ssh2, one \`GET /events\` stream) and by \`docker --context … events\` (the CLI's
own ssh). Both run \`docker system dial-stdio\` on the far side. Checked before any figure: both saw exactly
the ${RUNS} starts this run made, each with the same container id and engine time.

| consumer over SSH | min / median / max |
|---|---|
| Berth core (\`EngineEvents\`, ssh2) | ${formatSpread(c, 2, 'ms')} |
| \`docker events\` CLI (ssh) | ${formatSpread(k, 2, 'ms')} |
| ratio core ÷ CLI, per event | ${formatSpread(ratio, 2)} |

Machine: ${machineLine(loadAtStart)}. Engine before → after this run: ${countsLine(countsBefore, countsAfter)}.
`;
  console.log(body);
  writeBenchmarkSection(SECTION, body);
} finally {
  await cleanup().catch(() => undefined);
}

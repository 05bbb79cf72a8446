/**
 * No orphans after a crash. What a terminal leaves on the engine while it is open (a debug shell's container
 * and image, an exec shell in someone's container) is removed when it closes; if Berth dies instead (kill -9,
 * a power cut) it stays. So everything a terminal makes is marked with the Berth instance that made it, and
 * each Berth sweeps, when it connects to an engine, what DEAD instances left there.
 *
 * An instance's id is its liveness marker: this machine's boot id, the process id and the process's start
 * time (from /proc), plus a random part. An instance is dead when that process no longer exists or is
 * another one (same pid, other start time). Ids of another boot id (another machine on a shared engine, or
 * this one before a reboot, which cannot be told apart) are never swept; neither is anything where /proc is
 * not there to ask, so several Berths and test runs can share one engine.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImageInspectInfo } from 'dockerode';
import { DEBUG_SHELL_LABEL } from '../../contract';
import type { Engine } from '../engine';
import type { EngineHandle } from '../engine/engine-handle';
import { INSTANCE_ENV, runScript, TERMINAL_ARGV0 } from './tty-exec';

/** The label that names the Berth instance that made a terminal's things. */
export const INSTANCE_LABEL = 'io.berth.instance';

const ID = /^([0-9a-f]{32})-(\d+)-(\d+)-([0-9a-f]{16})$/;

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, '');
  } catch {
    return null;
  }
}

/** When process `pid` started (clock ticks since boot, field 22 of /proc/<pid>/stat), or null if there is none. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The id of a Berth instance in process `pid` (this one by default); null where /proc cannot say. */
export function instanceId(pid = process.pid): string | null {
  const boot = bootId();
  const start = startTime(pid);
  if (!boot || !start || !/^[0-9a-f]{32}$/.test(boot)) return null;
  return `${boot}-${pid}-${start}-${randomBytes(8).toString('hex')}`;
}

/** True when the instance's process is gone (or is another process now); false when alive or unknown. */
export function instanceIsDead(id: string): boolean {
  const match = ID.exec(id);
  if (!match || match[1] !== bootId()) return false;
  const start = startTime(Number(match[2]));
  return start === null || start !== match[3];
}

export interface Swept {
  containers: number;
  images: number;
  execShells: number;
}

/** Removes what dead instances' terminals left on the engine; what live (or unknown) instances made stays. */
export async function sweepOrphans(engine: EngineHandle): Promise<Swept> {
  const { docker } = engine;
  const swept: Swept = { containers: 0, images: 0, execShells: 0 };
  const filters = JSON.stringify({ label: [INSTANCE_LABEL, DEBUG_SHELL_LABEL] });
  for (const container of await docker.listContainers({ all: true, filters })) {
    if (!instanceIsDead(container.Labels?.[INSTANCE_LABEL] ?? '')) continue;
    await docker
      .getContainer(container.Id)
      .remove({ force: true })
      .then(() => swept.containers++, ignoreGone);
  }
  for (const image of await docker.listImages({ all: true, filters })) {
    const session = image.Labels?.[DEBUG_SHELL_LABEL];
    if (!session || !instanceIsDead(image.Labels?.[INSTANCE_LABEL] ?? '')) continue;
    swept.images += await removeDebugImage(engine, image.Id, session).catch(() => 0);
  }
  swept.execShells = await sweepExecShells(engine);
  return swept;
}

const ignoreGone = (): void => {};

/**
 * Removes a debug image and the parents made for it: the legacy builder adds each build label as a LABEL
 * step of its own, so the image's parents up to the last cached step carry the session's label too. The
 * cached steps below (the failed build's own) are left as they are. Returns how many were removed.
 */
export async function removeDebugImage(engine: EngineHandle, id: string, session: string): Promise<number> {
  const ours: string[] = [];
  for (let next: string | undefined = id; next; ) {
    const info: ImageInspectInfo | undefined = await engine.docker
      .getImage(next)
      .inspect()
      .catch(() => undefined);
    if (info?.Config?.Labels?.[DEBUG_SHELL_LABEL] !== session) break;
    ours.push(info.Id);
    next = info.Parent || undefined;
  }
  for (const image of ours) await engine.docker.getImage(image).remove({ noprune: true });
  return ours.length;
}

/**
 * Kills exec shells that dead instances left running in containers: the engine lists each container's execs
 * with their arguments (Berth's wrapper runs as TERMINAL_ARGV0 with its instance after it); in a container
 * with such an exec, every process whose environment names that instance (the shell and what it started) is
 * killed. Returns how many containers had one.
 */
async function sweepExecShells(engine: EngineHandle): Promise<number> {
  const { docker } = engine;
  let cleaned = 0;
  for (const summary of await docker.listContainers()) {
    const info = await docker
      .getContainer(summary.Id)
      .inspect()
      .catch(() => undefined);
    const dead = new Set<string>();
    for (const execId of info?.ExecIDs ?? []) {
      const exec = await docker
        .getExec(execId)
        .inspect()
        .catch(() => undefined);
      const args = exec?.ProcessConfig?.arguments ?? [];
      const owner = args[2] === TERMINAL_ARGV0 ? args[3] : undefined;
      if (exec?.Running && owner && ID.test(owner) && instanceIsDead(owner)) dead.add(owner);
    }
    for (const owner of dead) await killByOwner(engine, summary.Id, owner);
    if (dead.size > 0) cleaned++;
  }
  return cleaned;
}

/** In the container, SIGKILLs every process whose environment has BERTH_INSTANCE=<owner>. */
async function killByOwner(engine: EngineHandle, container: string, owner: string): Promise<void> {
  const script = [
    'for d in /proc/[0-9]*; do',
    `  if tr '\\000' '\\n' < "$d/environ" 2>/dev/null | grep -qx "${INSTANCE_ENV}=${owner}"; then kill -KILL "\${d#/proc/}" 2>/dev/null; fi`,
    'done',
  ].join('\n');
  await runScript(engine, container, script);
}

/** The sweep that runs on each connect: `stop` stops watching; `settled` resolves once the latest is done. */
export interface OrphanSweep {
  stop(): void;
  settled(): Promise<void>;
}

/** Sweeps once each time `engine` connects to an engine it has not swept yet (a switch of context, say). */
export function sweepOnConnect(engine: Engine, onError: (error: unknown) => void = () => {}): OrphanSweep {
  const swept = new Set<string>();
  let latest: Promise<void> = Promise.resolve();
  const check = (): void => {
    if (engine.current().state !== 'connected' || swept.has(engine.connectionKey)) return;
    swept.add(engine.connectionKey);
    const previous = latest;
    latest = previous
      .then(() => sweepOrphans({ docker: engine.docker, endpoint: engine.endpoint }))
      .then(() => undefined, onError);
  };
  const unsubscribe = engine.onStatus(check);
  check();
  return { stop: unsubscribe, settled: () => latest };
}

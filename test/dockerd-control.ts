/**
 * Test support for fault tests: stops and starts THE shared dockerd of this machine, the way .ci/run
 * starts it (`dockerd --host unix:///var/run/docker.sock`, nohup, logging to a temp file).
 *
 * Only for tests run under the engine lock (`flock /tmp/berth-engine.lock ...`): every other helper's
 * containers stop when dockerd stops (no live-restore). Call `ensureDockerd()` in afterAll/finally so the
 * engine is running again whatever happened.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCKER_SOCKET = '/var/run/docker.sock';
const PID_FILE = '/var/run/docker.pid';
/** dockerd stops its containers (10 s each at most, in parallel) before it exits. */
const STOP_DEADLINE_MS = 60_000;
/** .ci/run waits 30 s; a restart after a kill may replay containerd state, so allow more. */
const START_DEADLINE_MS = 60_000;
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether dockerd answers `GET /_ping` with OK within `timeoutMs`. */
export function pingDockerd(timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: DOCKER_SOCKET, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 && body === 'OK'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the running dockerd, from its pid file, checked against /proc. */
export function dockerdPid(): number | undefined {
  if (!existsSync(PID_FILE)) return undefined;
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  return comm === 'dockerd' ? pid : undefined;
}

export interface Stopped {
  /** When the signal was sent (ms since the epoch). */
  signalledAt: number;
  /** When the socket first stopped answering. */
  silentAt: number;
  /** When the process had exited. */
  exitedAt: number;
}

/**
 * Stops dockerd: SIGTERM (a clean shutdown) or SIGKILL (a crash, as when BuildKit panics). Resolves once
 * the socket does not answer and the process is gone.
 */
export async function stopDockerd(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<Stopped> {
  const pid = dockerdPid();
  if (pid === undefined) throw new Error('dockerd is not running (no live pid in /var/run/docker.pid)');
  const signalledAt = Date.now();
  process.kill(pid, signal);
  const deadline = signalledAt + STOP_DEADLINE_MS;
  let silentAt = 0;
  while (Date.now() < deadline) {
    if (!silentAt && !(await pingDockerd(250))) silentAt = Date.now();
    if (silentAt && !alive(pid)) return { signalledAt, silentAt, exitedAt: Date.now() };
    await sleep(POLL_MS);
  }
  throw new Error(`dockerd (pid ${pid}) did not stop within ${STOP_DEADLINE_MS} ms of ${signal}`);
}

/** Where the last dockerd started by this helper logs. */
export const dockerdLog = join(process.env.TMPDIR ?? tmpdir(), 'berth-dockerd.log');

/** Starts dockerd as .ci/run does (detached, outliving the test) and resolves with when it first answered. */
export async function startDockerd(): Promise<{ answeredAt: number }> {
  if (await pingDockerd()) throw new Error('dockerd is already running');
  const child = spawn('sh', ['-c', `nohup dockerd --host unix://${DOCKER_SOCKET} >>'${dockerdLog}' 2>&1 &`], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (await pingDockerd(500)) return { answeredAt: Date.now() };
    await sleep(POLL_MS);
  }
  const log = existsSync(dockerdLog) ? readFileSync(dockerdLog, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`dockerd did not answer within ${START_DEADLINE_MS} ms; its log:\n${log}`);
}

/** Makes sure dockerd runs: starts it when it does not answer. For afterAll/finally. */
export async function ensureDockerd(): Promise<void> {
  if (await pingDockerd(2000)) return;
  // A dockerd that is still shutting down holds the pid file: wait for it to go.
  const pid = dockerdPid();
  const deadline = Date.now() + STOP_DEADLINE_MS;
  while (pid !== undefined && alive(pid) && Date.now() < deadline) await sleep(100);
  if (await pingDockerd(2000)) return;
  await startDockerd();
}

/** Stops dockerd and starts it again; says when it went silent and when it answered again. */
export async function restartDockerd(
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<Stopped & { answeredAt: number }> {
  const stopped = await stopDockerd(signal);
  const { answeredAt } = await startDockerd();
  return { ...stopped, answeredAt };
}

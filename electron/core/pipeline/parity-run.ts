/**
 * Platform-parity runs: the image run the way Heroku or Azure App Service runs it, then checked for an HTTP
 * answer on $PORT within a deadline.
 * - Heroku: a random PORT in the environment, published on the same host port.
 * - Azure: PORT=80 published as `-p <free>:80`, with the WEBSITE_* variables App Service sets (the
 *   tutorial's log shows `-e PORT=80 -e WEBSITE_SITE_NAME=<app> -e WEBSITE_HOSTNAME=<app>.azurewebsites.net`).
 * When no answer comes, the sockets the app really listens on are read from inside the container and the
 * problem is named. The container is labelled and always removed.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import {
  BerthError,
  invalidInput,
  isAmbiguousTagName,
  type ListeningSocket,
  ParityRequest,
  type ParityRequest as ParityRequestType,
  type ParityResult,
  parseImageReference,
} from '../../contract';
import { runContainer, suggestFreePort } from '../containers';
import { type EngineHandle, engineIsLocal } from '../engine/engine-handle';
import { FrameDemuxer } from '../logs/frame-demuxer';
import { parseListeningSockets } from './listening-sockets';
import { diagnoseParity } from './parity-diagnosis';

/** The label on every parity-run container; its value is the platform. */
export const PARITY_LABEL = 'io.berth.parity';
/** How long one HTTP probe may take before the next is tried. */
const PROBE_TIMEOUT_MS = 2000;
const PROBE_INTERVAL_MS = 250;
/** How long reading the sockets through exec may take. */
const EXEC_DEADLINE_MS = 10_000;
/** Heroku's PORT is "random": Berth picks one from this range that is free on the host. */
const HEROKU_PORTS: [number, number] = [20_000, 60_000];

export interface ParityPlan {
  port: number;
  hostPort: number;
  env: Record<string, string>;
}

/** The app name the platform variables carry: the last path segment of the image's repository. */
export function appNameOf(image: string): string {
  const reference = parseImageReference(image);
  const repository = reference && !isAmbiguousTagName(reference) ? reference.repository : 'app';
  const last = repository.split('/').pop() ?? 'app';
  return (
    last
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 60) || 'app'
  );
}

/** The PORT, host port and environment the platform would give the container. */
export async function planParity(engine: EngineHandle, request: ParityRequestType): Promise<ParityPlan> {
  if (request.platform === 'heroku') {
    const port = await suggestFreePort(engine, randomInt(...HEROKU_PORTS));
    return { port, hostPort: port, env: { PORT: String(port) } };
  }
  const app = request.appName ?? appNameOf(request.image);
  return {
    port: 80,
    hostPort: await suggestFreePort(engine),
    env: { PORT: '80', WEBSITE_SITE_NAME: app, WEBSITE_HOSTNAME: `${app}.azurewebsites.net` },
  };
}

export function dockerRunLine(image: string, plan: ParityPlan): string {
  const env = Object.entries(plan.env).map(([k, v]) => `-e ${k}=${v}`);
  return ['docker run --rm', `-p ${plan.hostPort}:${plan.port}`, ...env, image].join(' ');
}

/** Runs the image as `platform` does and checks it; resolves with the verdict (a failed check is no error). */
export async function runParity(
  engine: EngineHandle,
  input: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<ParityResult> {
  const parsed = ParityRequest.safeParse(input);
  if (!parsed.success) throw invalidInput('parity run', parsed.error.issues);
  const request = parsed.data;
  await removeParityLeftovers(engine);
  const plan = await planParity(engine, request);
  const labelled: EngineHandle = { ...engine, labels: { ...engine.labels, [PARITY_LABEL]: request.platform } };
  const started = Date.now();
  const summary = await runContainer(labelled, {
    image: request.image,
    name: `berth-parity-${request.platform}-${randomBytes(4).toString('hex')}`,
    env: plan.env,
    ports: [{ hostIp: '127.0.0.1', hostPort: plan.hostPort, containerPort: plan.port }],
  });
  const container = engine.docker.getContainer(summary.id);
  try {
    const answer = await firstAnswer(container, plan.hostPort, request.deadlineMs, options.signal);
    const base = {
      platform: request.platform,
      image: request.image,
      port: plan.port,
      hostPort: plan.hostPort,
      env: plan.env,
      command: dockerRunLine(request.image, plan),
      deadlineMs: request.deadlineMs,
      at: started,
    };
    if (answer.status !== null) {
      return {
        ...base,
        passed: true,
        status: answer.status,
        elapsedMs: answer.at - started,
        listening: null,
        problem: null,
        fix: null,
      };
    }
    const evidence = answer.exitCode !== null ? { listening: null } : await listeningSockets(engine, container);
    const lastLogs = answer.exitCode !== null ? await tailLogs(container) : undefined;
    const { problem, fix } = diagnoseParity({
      platform: request.platform,
      port: plan.port,
      deadlineMs: request.deadlineMs,
      exitCode: answer.exitCode,
      ...(lastLogs !== undefined && { lastLogs }),
      ...evidence,
    });
    return {
      ...base,
      passed: false,
      status: null,
      elapsedMs: answer.at - started,
      listening: evidence.listening,
      problem,
      fix,
    };
  } finally {
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}

/** Longer than any parity run can last (the largest deadline, plus start and diagnosis). */
const LEFTOVER_AGE_S = 15 * 60;

/**
 * Removes parity-run containers older than any run can last: left behind only when Berth was killed in the
 * middle of a run (a run always removes its own). Runs in progress are younger, so they are left alone, and
 * only containers with the handle's own labels are considered.
 */
export async function removeParityLeftovers(engine: EngineHandle): Promise<number> {
  const found = await engine.docker
    .listContainers({ all: true, filters: { label: [PARITY_LABEL, ...labelFilters(engine.labels)] } })
    .catch(() => [] as Dockerode.ContainerInfo[]);
  const old = found.filter((c) => Date.now() / 1000 - c.Created > LEFTOVER_AGE_S);
  await Promise.all(
    old.map((c) =>
      engine.docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return old.length;
}

/** The handle's own labels as filters: a handle labelled for one test run only cleans up that run's leftovers. */
const labelFilters = (labels: EngineHandle['labels']): string[] =>
  Object.entries(labels ?? {}).map(([key, value]) => `${key}=${value}`);

/** Polls `http://127.0.0.1:<hostPort>/` until any HTTP answer, the container exits, or the deadline. */
async function firstAnswer(
  container: Dockerode.Container,
  hostPort: number,
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<{ status: number | null; exitCode: number | null; at: number }> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (signal?.aborted) throw new BerthError('CANCELLED', 'The parity run was cancelled.');
    const status = await fetch(`http://127.0.0.1:${hostPort}/`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      redirect: 'manual',
    }).then(
      async (res) => {
        await res.body?.cancel().catch(() => undefined);
        return res.status;
      },
      () => null,
    );
    if (status !== null) return { status, exitCode: null, at: Date.now() };
    const state = await container.inspect().then(
      (info) => info.State,
      () => null,
    );
    if (state && !state.Running) return { status: null, exitCode: state.ExitCode, at: Date.now() };
    if (Date.now() >= deadline) return { status: null, exitCode: null, at: Date.now() };
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
}

/**
 * The container's listening TCP sockets: its /proc/net/tcp and tcp6 read through exec (`cat`, which every
 * image with a shell has), else, for an engine on this machine, the same files of its main process read
 * from the host (/proc/<pid>/net/ is that process's network namespace), for images without `cat`.
 */
async function listeningSockets(
  engine: EngineHandle,
  container: Dockerode.Container,
): Promise<{ listening: ListeningSocket[] | null; unreadable?: string }> {
  const viaExec = await execRead(container, ['cat', '/proc/net/tcp', '/proc/net/tcp6']).catch((e: Error) => e);
  if (typeof viaExec === 'string' && /local_address/.test(viaExec))
    return { listening: parseListeningSockets(viaExec) };
  const reason = viaExec instanceof Error ? viaExec.message : 'cat printed no socket table';
  if (!engineIsLocal(engine.endpoint)) return { listening: null, unreadable: `exec failed: ${reason}` };
  try {
    const pid = (await container.inspect()).State.Pid;
    const tables = await Promise.all(
      ['tcp', 'tcp6'].map((f) => readFile(`/proc/${pid}/net/${f}`, 'utf8').catch(() => '')),
    );
    if (!tables.join('').includes('local_address')) throw new Error(`nothing readable in /proc/${pid}/net`);
    return { listening: parseListeningSockets(tables.join('\n')) };
  } catch (error) {
    return { listening: null, unreadable: `exec failed (${reason}), and ${(error as Error).message}` };
  }
}

/** Runs `cmd` in the container and returns its stdout. */
async function execRead(container: Dockerode.Container, cmd: string[]): Promise<string> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
  const demuxer = new FrameDemuxer();
  const out: Buffer[] = [];
  const timer = setTimeout(() => stream.destroy(), EXEC_DEADLINE_MS);
  try {
    for await (const chunk of stream) {
      for (const piece of demuxer.push(chunk as Buffer)) if (piece.stream === 'stdout') out.push(piece.data);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(out).toString('utf8');
}

/** The last few lines a stopped container printed. */
async function tailLogs(container: Dockerode.Container): Promise<string> {
  const raw = (await container
    .logs({ stdout: true, stderr: true, tail: 5, follow: false })
    .catch(() => null)) as Buffer | null;
  if (!raw) return '';
  const demuxer = new FrameDemuxer();
  return Buffer.concat(demuxer.push(raw).map((p) => p.data))
    .toString('utf8')
    .trim()
    .slice(-500);
}

/**
 * One terminal, from open to close: an exec shell in a running container, or a debug shell in a throwaway
 * container made from the state just before a failed build step. What a debug shell creates (its image and
 * container, both labelled with DEBUG_SHELL_LABEL) is removed when the shell exits, when the subscriber goes
 * away (terminal closed, page or socket gone), and when the app closes (TerminalSessions.closeAll).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  BerthError,
  type BuildModel,
  DEBUG_SHELL_LABEL,
  MASKED,
  type TerminalEvent,
  type TerminalInput,
  type TerminalSize,
  type TerminalTarget,
} from '../../contract';
import { checkContext } from '../build/context';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { buildDebugImage } from './debug-image';
import { type DebugPlan, planDebugShell } from './debug-plan';
import { INSTANCE_LABEL, removeDebugImage } from './orphans';
import { chooseShell, startTtyExec, type TtyExec } from './tty-exec';

/** Output is sent at most this often, so a chatty program makes few large events rather than many tiny ones. */
export const OUTPUT_BATCH_MS = 8;
/** The most characters one output event carries. */
export const MAX_OUTPUT_CHARS = 64 * 1024;

type Readiness = Promise<void> | undefined | void;

/** Every open terminal, so the app can end them all, and remove what they made, before it exits. */
export class TerminalSessions {
  private readonly open = new Set<{ stop(): void; done: Promise<void> }>();

  /** Keeps the session until the returned function is called. */
  track(session: { stop(): void; done: Promise<void> }): () => void {
    this.open.add(session);
    return () => this.open.delete(session);
  }

  get size(): number {
    return this.open.size;
  }

  /** Stops every open terminal and waits until each has removed its containers and images. */
  async closeAll(): Promise<void> {
    const sessions = [...this.open];
    for (const session of sessions) session.stop();
    await Promise.all(sessions.map((session) => session.done.catch(() => undefined)));
  }
}

export interface TerminalDeps {
  engine: EngineHandle;
  /** A build of this session, or a past one from its record. */
  findBuild(buildId: string): Promise<BuildModel>;
  sessions: TerminalSessions;
  /** This Berth instance's id (orphans.ts): what the terminal makes carries it, so a crash leaves nothing for good. */
  instance: string | null;
}

interface Inbox {
  listen(listener: (message: TerminalInput) => void): void;
}

/** Runs one terminal until its shell exits or `signal` aborts; resolves once everything it made is removed. */
export async function runTerminal(
  deps: TerminalDeps,
  { target, size }: { target: TerminalTarget; size: TerminalSize },
  emit: (event: TerminalEvent) => Readiness,
  subscriber: AbortSignal,
  inbox: Inbox,
): Promise<void> {
  const session = randomBytes(8).toString('hex');
  const undo: Array<() => Promise<void>> = [];
  // Ends on the subscriber's signal, or when the app closes every terminal.
  const stopped = new AbortController();
  const signal = AbortSignal.any([subscriber, stopped.signal]);
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const untrack = deps.sessions.track({ stop: () => stopped.abort(), done });
  let tty: TtyExec | undefined;
  try {
    const opened = await open(deps, target, session, emit, signal, undo);
    if (signal.aborted) return;
    tty = await startTtyExec(deps.engine, opened.container, opened.shell, size, { owner: deps.instance });
    await pump(tty, opened, emit, signal, inbox);
  } finally {
    await tty?.close().catch(() => undefined);
    // Last made, first removed: the container before its image.
    for (const step of undo.reverse()) await step().catch(() => undefined);
    untrack();
    finished();
  }
}

/** A debug shell's own labels: its session, then the instance (last, so the legacy builder's top image has both). */
function ownLabels(session: string, instance: string | null): Record<string, string> {
  return { [DEBUG_SHELL_LABEL]: session, ...(instance && { [INSTANCE_LABEL]: instance }) };
}

interface Opened {
  container: string;
  shell: 'sh' | 'bash';
  plan: DebugPlan | null;
  rebuiltSteps: number;
}

async function open(
  deps: TerminalDeps,
  target: TerminalTarget,
  session: string,
  emit: (event: TerminalEvent) => Readiness,
  signal: AbortSignal,
  undo: Array<() => Promise<void>>,
): Promise<Opened> {
  if (target.kind === 'exec') {
    const shell = await chooseShell(deps.engine, target.container, target.shell);
    return { container: target.container, shell, plan: null, rebuiltSteps: 0 };
  }
  const build = await deps.findBuild(target.buildId);
  const { step, plan } = await debugPlanOf(build, target.stepId);
  emit({ kind: 'progress', message: `Rebuilding the state before line ${step.line} from the build cache…` });
  const image = await buildDebugImage(deps.engine, build, plan.dockerfile, ownLabels(session, deps.instance), signal);
  const { docker, endpoint } = deps.engine;
  undo.push(async () => {
    await removeDebugImage(deps.engine, image.id, session);
  });
  try {
    const config = await docker.getImage(image.id).inspect();
    const imageEnv = new Set((config.Config?.Env ?? []).map((e) => e.split('=')[0]));
    // A RUN sees the stage's ARGs as variables; an ENV of the same name wins over them, as in the build.
    const env = plan.args.filter(([name]) => !imageEnv.has(name)).map(([name, value]) => `${name}=${value}`);
    const container = await docker.createContainer({
      Image: image.id,
      // /bin/sh reading a stdin nobody writes to keeps the container up, whatever the image's own command.
      Entrypoint: ['/bin/sh'],
      Cmd: [],
      OpenStdin: true,
      Env: env,
      Labels: { ...deps.engine.labels, ...ownLabels(session, deps.instance) },
    });
    undo.push(async () => {
      await container.remove({ force: true });
    });
    await container.start();
    const shell = await chooseShell(deps.engine, container.id, 'auto');
    const rebuilt = image.rebuilt.map((step) => `Not in the cache, so it ran again: ${step}`);
    return {
      container: container.id,
      shell,
      plan: { ...plan, notes: [...rebuilt, ...plan.notes] },
      rebuiltSteps: image.rebuilt.length,
    };
  } catch (error) {
    throw toBerthError(error, endpoint, 'the debug container');
  }
}

/** The step to debug (the failed one unless named) and how to get to the state before it. */
async function debugPlanOf(
  build: BuildModel,
  stepId: string | undefined,
): Promise<{ step: BuildModel['steps'][number] & { line: number }; plan: DebugPlan }> {
  if (build.state !== 'failed') {
    throw new BerthError(
      'CONFLICT',
      `Build ${build.buildId} has not failed (${build.state}).`,
      'Debug a step of a failed build.',
    );
  }
  const id = stepId ?? build.failure?.stepId;
  const step = build.steps.find((s) => s.id === id);
  if (!step || step.line === null) {
    throw new BerthError(
      'NOT_FOUND',
      `Build ${build.buildId} has no step ${id ?? '(none failed)'} to debug.`,
      'Pick the failed step in the build view.',
    );
  }
  const { request } = build;
  if (request.secrets.length > 0 || Object.values(request.buildArgs).includes(MASKED)) {
    throw new BerthError(
      'UNSUPPORTED',
      'This build used secrets or secret-looking build args, which Berth does not keep, so it cannot rebuild the state before the step.',
      'Build without them (or with dummy values), then debug the failed step.',
    );
  }
  const { realPath } = await checkContext(request.contextDir, request.dockerfile);
  const source = await readFile(realPath, 'utf8');
  const plan = planDebugShell(source, step.line, request.buildArgs);
  if (plan.instruction !== step.instruction) {
    throw new BerthError(
      'CONFLICT',
      `Line ${step.line} of the Dockerfile is now "${plan.instruction}", not "${step.instruction}".`,
      'The Dockerfile changed since this build: build again, then debug the step that fails.',
    );
  }
  return { step: { ...step, line: step.line }, plan };
}

/** Carries output down (batched, pausing the shell while the subscriber is behind) and input up, until exit. */
/**
 * The listener for a terminal's input: keys typed after a resize reach the shell once the resize has taken effect.
 * The resize is a request of its own (`POST /exec/{id}/resize`), not a message down the shell's stream, so without
 * this queue `stty size` typed just after it could still see the old size. With no resize in flight, keys go
 * straight through.
 */
export function inputInOrder(tty: Pick<TtyExec, 'write' | 'resize'>): (message: TerminalInput) => void {
  let inOrder: Promise<void> | null = null;
  return (message) => {
    if (message.kind === 'data' && inOrder === null) {
      tty.write(message.data);
      return;
    }
    const step =
      message.kind === 'data' ? async () => tty.write(message.data) : () => tty.resize(message).catch(() => undefined);
    const next: Promise<void> = (inOrder ?? Promise.resolve()).then(step);
    inOrder = next;
    void next.then(() => {
      if (inOrder === next) inOrder = null;
    });
  };
}

async function pump(
  tty: TtyExec,
  opened: Opened,
  emit: (event: TerminalEvent) => Readiness,
  signal: AbortSignal,
  inbox: Inbox,
): Promise<void> {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let typed = opened.plan?.command == null;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (pending) {
      const data = pending.slice(0, MAX_OUTPUT_CHARS);
      pending = pending.slice(data.length);
      const ready = emit({ kind: 'output', data });
      if (ready) {
        tty.pause();
        void ready.then(() => tty.resume());
      }
    }
  };
  tty.onOutput((text) => {
    pending += text;
    if (pending.length >= MAX_OUTPUT_CHARS) flush();
    else timer ??= setTimeout(flush, OUTPUT_BATCH_MS);
    // The failing command is typed once the shell has shown its first prompt; Enter runs it.
    if (!typed) {
      typed = true;
      tty.write(opened.plan?.command ?? '');
    }
  });
  inbox.listen(inputInOrder(tty));
  emit({
    kind: 'opened',
    shell: opened.shell,
    container: opened.container.slice(0, 12),
    debug: opened.plan
      ? {
          instruction: opened.plan.instruction,
          command: opened.plan.command,
          rebuiltSteps: opened.rebuiltSteps,
          notes: opened.plan.notes,
        }
      : null,
  });
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const exitCode = await Promise.race([tty.exited, aborted]);
  if (exitCode === 'aborted') return;
  flush();
  emit({ kind: 'exited', exitCode });
}

/**
 * A shell in a container over the engine's exec with a TTY (`POST /containers/{id}/exec`, then a hijacked
 * `POST /exec/{id}/start`): raw bytes both ways (a TTY's output is not multiplexed), resized with
 * `POST /exec/{id}/resize`, its exit code from `GET /exec/{id}/json` once the output ends.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { BerthError, type TerminalShell, type TerminalSize } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';

export interface TtyExec {
  /**
   * Text the shell wrote; UTF-8 sequences split across reads are joined before they are handed on. What
   * came before the listener was set is handed to it at once.
   */
  onOutput(listener: (text: string) => void): void;
  write(text: string): void;
  resize(size: TerminalSize): Promise<void>;
  /** Stops reading until `resume` (the subscriber is behind: the engine's socket fills and pauses the shell). */
  pause(): void;
  resume(): void;
  /** Resolves with the shell's exit code once its output ends (null when the engine no longer knows it). */
  readonly exited: Promise<number | null>;
  /**
   * Hangs up: the shell gets SIGHUP (and its foreground job with it), and SIGKILL if it is still running
   * HANGUP_GRACE_MS later (it ignores SIGHUP). Closing the connection alone would not do: the engine keeps an
   * exec's process running after its client goes.
   */
  close(): Promise<void>;
}

/** Which shell to run: `auto` asks the container whether it has bash. */
export async function chooseShell(
  engine: EngineHandle,
  container: string,
  wanted: TerminalShell,
): Promise<'sh' | 'bash'> {
  if (wanted !== 'auto') {
    if (wanted === 'bash' && !(await hasCommand(engine, container, 'bash'))) {
      throw new BerthError('NOT_FOUND', `Container ${container} has no bash.`, 'Open the terminal with sh instead.');
    }
    return wanted;
  }
  return (await hasCommand(engine, container, 'bash')) ? 'bash' : 'sh';
}

/** Whether `command -v <name>` succeeds in the container (no TTY, output discarded). */
async function hasCommand(engine: EngineHandle, container: string, name: string): Promise<boolean> {
  try {
    const exec = await engine.docker.getContainer(container).exec({
      Cmd: ['/bin/sh', '-c', `command -v ${name}`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    return (await exec.inspect()).ExitCode === 0;
  } catch (error) {
    throw noShell(engine, container, error);
  }
}

function noShell(engine: EngineHandle, container: string, error: unknown): BerthError {
  const berth = toBerthError(error, engine.endpoint, `container "${container}"`);
  if (/executable file not found|no such file or directory/i.test(berth.message)) {
    return new BerthError(
      'NOT_FOUND',
      `Container ${container} has no /bin/sh to open a terminal with.`,
      'Images without a shell (distroless, scratch) cannot be opened in a terminal; add a debug variant with a shell.',
    );
  }
  if (/is not running/i.test(berth.message)) {
    return new BerthError(
      'CONFLICT',
      `Container ${container} is not running.`,
      'Start the container, then open the terminal.',
    );
  }
  return berth;
}

/** Starts `shell` in the container with a TTY of `size`; `env` and `workdir` override the container's. */
export async function startTtyExec(
  engine: EngineHandle,
  container: string,
  shell: 'sh' | 'bash',
  size: TerminalSize,
  options: { env?: readonly string[]; owner?: string | null } = {},
): Promise<TtyExec> {
  let stream: Duplex;
  let exec: Awaited<ReturnType<ReturnType<EngineHandle['docker']['getContainer']>['exec']>>;
  try {
    exec = await engine.docker.getContainer(container).exec({
      // The wrapper says the shell's pid (the `exec` keeps it), so close() can hang the shell up.
      // It runs as TERMINAL_ARGV0 with the instance after it, and the instance is in its environment (and so in
      // its jobs'): a Berth that crashed leaves nothing running for good (orphans.ts).
      Cmd: [
        '/bin/sh',
        '-c',
        `printf '${PID_MARK}%s\\007' "$$"; exec ${shell === 'bash' ? 'bash' : '/bin/sh'} -i`,
        ...(options.owner ? [TERMINAL_ARGV0, options.owner] : []),
      ],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: [
        'TERM=xterm-256color',
        ...(options.owner ? [`${INSTANCE_ENV}=${options.owner}`] : []),
        ...(options.env ?? []),
      ],
    });
    stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as unknown as Duplex;
  } catch (error) {
    throw noShell(engine, container, error);
  }
  const resize = async ({ cols, rows }: TerminalSize): Promise<void> => {
    try {
      await exec.resize({ h: rows, w: cols });
    } catch (error) {
      // A shell that has just exited cannot be resized; that is no error worth showing.
      if ((error as { statusCode?: number }).statusCode !== 409)
        throw toBerthError(error, engine.endpoint, 'the terminal');
    }
  };
  await resize(size);

  const decoder = new StringDecoder('utf8');
  // What the shell writes before anyone listens (its first prompt, often) is kept for the first listener.
  let early = '';
  let listener: (text: string) => void = (text) => {
    early += text;
  };
  // The shell's pid, from the wrapper's first words (an OSC sequence no one sees); null if it never came.
  let pid: string | null | undefined;
  let pidSettled: () => void = () => {};
  const pidKnown = new Promise<void>((resolve) => {
    pidSettled = resolve;
  });
  let head = '';
  stream.on('data', (chunk: Buffer) => {
    let text = decoder.write(chunk);
    if (pid === undefined) {
      head += text;
      const mark = pidMark(head);
      if (!mark && head.length < MAX_HEAD_CHARS) return;
      pid = mark?.pid ?? null;
      pidSettled();
      text = mark ? head.replace(mark.text, '') : head;
    }
    if (text) listener(text);
  });
  stream.on('error', () => stream.destroy());
  const exited = new Promise<number | null>((resolve) => {
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      const rest = decoder.end();
      if (rest) listener(rest);
      exec.inspect().then(
        (info) => resolve(info.Running ? null : (info.ExitCode ?? null)),
        () => resolve(null),
      );
    };
    stream.once('end', done);
    stream.once('close', done);
  });
  void exited.then(pidSettled);
  return {
    onOutput: (next) => {
      listener = next;
      if (early) next(early);
      early = '';
    },
    write: (text) => {
      if (!stream.destroyed) stream.write(Buffer.from(text, 'utf8'));
    },
    resize,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    exited,
    close: async () => {
      const isRunning = () => !stream.destroyed && !stream.readableEnded;
      // Closed before the wrapper said the pid (a slow start): wait for it, or the shell would be left running.
      if (isRunning() && pid === undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([pidKnown, new Promise((resolve) => (timer = setTimeout(resolve, PID_WAIT_MS)))]);
        clearTimeout(timer);
      }
      const running = isRunning();
      stream.destroy();
      if (!running || !pid) return;
      await signalShell(engine, container, 'HUP', pid);
      // A shell that ignores SIGHUP (`trap '' HUP`) would stay: after a grace period it is killed.
      if (await stillRunning(exec, HANGUP_GRACE_MS)) {
        await signalShell(engine, container, 'KILL', pid);
        await stillRunning(exec, HANGUP_GRACE_MS);
      }
    },
  };
}

const PID_MARK = '\\033]1337;BerthShellPid=';
const MAX_HEAD_CHARS = 256;
/** How long a hang-up waits for a shell that has not yet said its pid (its /bin/sh is slow to start). */
export const PID_WAIT_MS = 30_000;

/** The wrapper's `ESC ] 1337;BerthShellPid=<pid> BEL` in the shell's first output, if it is all there. */
function pidMark(head: string): { text: string; pid: string } | null {
  const start = head.indexOf('\u001b]1337;BerthShellPid=');
  const end = start < 0 ? -1 : head.indexOf('\u0007', start);
  if (end < 0) return null;
  const text = head.slice(start, end + 1);
  const pid = text.slice(text.indexOf('=') + 1, -1);
  return /^\d+$/.test(pid) ? { text, pid } : null;
}

/** The environment variable that names the Berth instance that opened an exec shell (orphans.ts). */
export const INSTANCE_ENV = 'BERTH_INSTANCE';
/** The name an exec terminal's wrapper runs under (its $0), so the crash sweep can tell Berth's execs apart. */
export const TERMINAL_ARGV0 = 'berth-terminal';

/** How long a hung-up shell has to exit before it is killed (a shell may save its history first). */
export const HANGUP_GRACE_MS = 2_000;
/** How often the engine is asked whether the hung-up shell has exited. */
const EXIT_POLL_MS = 100;

/** Whether the exec is still running after waiting up to `graceMs` for it to end (unknown counts as ended). */
async function stillRunning(exec: { inspect(): Promise<{ Running: boolean }> }, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const running = await exec.inspect().then(
      (info) => info.Running,
      () => false,
    );
    if (!running || Date.now() >= deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
  }
}

/** Sends a signal to the shell (a quick exec of `kill`); a shell already gone is no error. */
function signalShell(engine: EngineHandle, container: string, signal: 'HUP' | 'KILL', pid: string): Promise<void> {
  return runScript(engine, container, `kill -${signal} ${pid}`);
}

/** Runs a short /bin/sh script in the container and waits for it to end; a container that is gone is no error. */
export async function runScript(engine: EngineHandle, container: string, script: string): Promise<void> {
  try {
    const exec = await engine.docker.getContainer(container).exec({ Cmd: ['/bin/sh', '-c', script] });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Duplex;
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.once('end', () => resolve());
      stream.once('error', () => resolve());
    });
  } catch {
    // the container stopped or is being removed: what the script was for is gone with it
  }
}

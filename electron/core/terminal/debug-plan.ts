/**
 * How to reach the state just before a failed build step: the Dockerfile cut off right before that
 * instruction (its last stage is the step's stage, so both builders build exactly the steps that ran before
 * it, which the cache answers), the build args the step saw as environment variables, and the command it
 * ran, ready to type at a shell prompt. Pure: no file or engine access.
 */
import { BerthError } from '../../contract';
import { type DockerfileInstruction, parseDockerfile } from '../dockerfile';

export interface DebugPlan {
  /** The Dockerfile up to (not including) the failed instruction. */
  dockerfile: string;
  /** The failed instruction, as the builders print it. */
  instruction: string;
  /**
   * The failed RUN as the builder ran it, as one shell line (`/bin/sh -c '...'` for shell form); null when
   * there is none to type (not a RUN, a heredoc).
   */
  command: string | null;
  /** The stage's ARGs in scope at the step, as NAME=value: a RUN sees them as environment variables. */
  args: Array<[string, string]>;
  /** What the shell lacks that the step had. */
  notes: string[];
}

/** `text` quoted for a POSIX shell, as one word. */
export const shellQuote = (text: string): string =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;

/** What the builders run a shell-form RUN with when the stage sets no SHELL (Linux images). */
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** RUN's own flags (`--mount=...`, `--network=...`, `--security=...`) before the command. */
const RUN_FLAG = /^--[a-z-]+=(?:"[^"]*"|\S)+\s*/;

/** The plan for the instruction that starts at `line` (1-based), as the build model's step names it. */
export function planDebugShell(source: string, line: number, buildArgs: Readonly<Record<string, string>>): DebugPlan {
  const parsed = parseDockerfile(source);
  const failed = parsed.instructions.find((i) => i.line === line);
  if (!failed) {
    throw new BerthError(
      'CONFLICT',
      `The Dockerfile has no instruction at line ${line} any more.`,
      'The Dockerfile changed since this build: build again, then debug the step that fails.',
    );
  }
  if (failed.keyword === 'FROM' || failed.stage < 0) {
    throw new BerthError(
      'UNSUPPORTED',
      `The build failed at "${failed.text}": there is no state before it to open a shell in.`,
      'Fix the base image (pull it, or check its name), then build again.',
    );
  }
  const stage = parsed.stages[failed.stage];
  const before = stage?.instructions.filter((i) => i.line < line) ?? [];
  const notes: string[] = [];
  const { command, notes: commandNotes } = commandOf(failed, before);
  notes.push(...commandNotes);
  return {
    dockerfile: `${source
      .split(/\r?\n/)
      .slice(0, failed.line - 1)
      .join('\n')}\n`,
    instruction: failed.text,
    command,
    args: argsInScope(parsed.args, failed.stage, line, buildArgs),
    notes,
  };
}

function commandOf(
  failed: DockerfileInstruction,
  before: DockerfileInstruction[],
): { command: string | null; notes: string[] } {
  if (failed.keyword !== 'RUN') {
    return {
      command: null,
      notes: [`The step is ${failed.keyword}, not a command: the shell shows the files and settings it started from.`],
    };
  }
  if (failed.heredoc) return { command: null, notes: ['The step runs a heredoc script: type it yourself.'] };
  const notes: string[] = [];
  let rest = failed.args.trim();
  for (let flag = RUN_FLAG.exec(rest); flag; flag = RUN_FLAG.exec(rest)) {
    notes.push(`The step's ${flag[0].trim()} is not applied in this shell.`);
    rest = rest.slice(flag[0].length);
  }
  // As the builder runs it: exec form as the program itself, shell form through the stage's SHELL (by default
  // `/bin/sh -c`), so an `exit` or `cd` in it stays in its own shell and the exit code is the step's.
  let command: string | null = null;
  if (rest.startsWith('[')) {
    try {
      const words = JSON.parse(rest) as unknown;
      if (Array.isArray(words) && words.every((w) => typeof w === 'string')) command = words.map(shellQuote).join(' ');
    } catch {
      // not valid JSON: the builders run it in shell form too
    }
  }
  if (command === null) {
    const shell = [...before].reverse().find((i) => i.keyword === 'SHELL');
    const words = shell ? (JSON.parse(shell.args) as string[]) : DEFAULT_SHELL;
    command = [...words.map(shellQuote), shellQuote(rest)].join(' ');
  }
  return /[\r\n]/.test(command) ? { command: null, notes } : { command, notes };
}

/** The stage's ARGs declared before `line`, with the build arg's value or the default; unset ones left out. */
function argsInScope(
  args: ReturnType<typeof parseDockerfile>['args'],
  stage: number,
  line: number,
  buildArgs: Readonly<Record<string, string>>,
): Array<[string, string]> {
  const values = new Map<string, string>();
  for (const arg of args.filter((a) => a.stage === stage && a.line < line)) {
    const given = Object.hasOwn(buildArgs, arg.name) ? buildArgs[arg.name] : undefined;
    const value =
      given ??
      arg.defaultValue
        ?.replace(/^(["'])(.*)\1$/, '$2')
        .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => values.get(a ?? b) ?? '');
    if (value !== undefined) values.set(arg.name, value);
  }
  return [...values];
}

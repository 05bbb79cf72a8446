/**
 * Terminals: an interactive shell over the engine's exec with a TTY, either in a running container (exec)
 * or in a throwaway container made from the state just before a failed build step (debug). One stream per
 * terminal carries the output down; the same subscription takes the keystrokes and resizes up (a duplex
 * stream: only the connection that opened a terminal can write to it, since no procedure names one).
 */
import { z } from 'zod';
import { ContainerRef, RunId } from './ids';

export const TERMINAL_COLS = { min: 2, max: 1000 } as const;
export const TERMINAL_ROWS = { min: 1, max: 500 } as const;
/** The most characters one input message may carry; the terminal splits a longer paste into pieces. */
export const MAX_TERMINAL_INPUT_CHARS = 16 * 1024;
/** The label on every container and image Berth makes for a debug shell; its value names the session. */
export const DEBUG_SHELL_LABEL = 'io.berth.debug-shell';

const Cols = z
  .number()
  .int('whole columns')
  .min(TERMINAL_COLS.min, `at least ${TERMINAL_COLS.min} columns`)
  .max(TERMINAL_COLS.max, `at most ${TERMINAL_COLS.max} columns`);
const Rows = z
  .number()
  .int('whole rows')
  .min(TERMINAL_ROWS.min, `at least ${TERMINAL_ROWS.min} row`)
  .max(TERMINAL_ROWS.max, `at most ${TERMINAL_ROWS.max} rows`);

export const TerminalSize = z.object({ cols: Cols, rows: Rows }).strict();
export type TerminalSize = z.infer<typeof TerminalSize>;

/** `auto`: bash when the container has it, else sh. */
export const TerminalShell = z.enum(['auto', 'sh', 'bash']);
export type TerminalShell = z.infer<typeof TerminalShell>;

/** A build step id as the build model names it: `buildkit-3`, `legacy-7`. */
export const BuildStepId = z.string().regex(/^(?:buildkit|legacy)-[0-9]{1,5}$/, 'not a step of a build');

export const TerminalTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exec'), container: ContainerRef, shell: TerminalShell.default('auto') }).strict(),
  z
    .object({
      kind: z.literal('debug'),
      buildId: RunId,
      /** The failed step; absent means the step the build failed at. */
      stepId: BuildStepId.optional(),
    })
    .strict(),
]);
export type TerminalTarget = z.infer<typeof TerminalTarget>;

export const TerminalParams = z.object({ target: TerminalTarget, size: TerminalSize }).strict();
export type TerminalParams = z.input<typeof TerminalParams>;

export const TerminalEvent = z.discriminatedUnion('kind', [
  /** Preparing (a debug shell rebuilds the state before the step from the cache first). */
  z.object({ kind: z.literal('progress'), message: z.string() }),
  z.object({
    kind: z.literal('opened'),
    /** The shell that runs: `sh` or `bash`. */
    shell: z.enum(['sh', 'bash']),
    /** The container the shell runs in (12 hex digits). */
    container: z.string(),
    debug: z
      .object({
        /** The step being debugged, as the Dockerfile has it. */
        instruction: z.string(),
        /** The command pre-typed at the prompt (Enter runs it); null when it cannot be typed (heredoc, no RUN). */
        command: z.string().nullable(),
        /** Steps the rebuild up to the step ran instead of taking from the cache (0: the exact earlier state). */
        rebuiltSteps: z.number().int().min(0),
        /** What the shell does not have that the step had (cache or secret mounts, a SHELL of its own...). */
        notes: z.array(z.string()),
      })
      .nullable(),
  }),
  /** Terminal output, as text (UTF-8 sequences split across reads are joined first). */
  z.object({ kind: z.literal('output'), data: z.string() }),
  /** The shell ended; the stream ends after this. */
  z.object({ kind: z.literal('exited'), exitCode: z.number().int().nullable() }),
]);
export type TerminalEvent = z.infer<typeof TerminalEvent>;

/** What the client sends up the terminal's stream. */
export const TerminalInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('data'),
      data: z
        .string()
        .min(1, 'send at least one character')
        .max(MAX_TERMINAL_INPUT_CHARS, `send at most ${MAX_TERMINAL_INPUT_CHARS} characters at a time`),
    })
    .strict(),
  z.object({ kind: z.literal('resize'), cols: Cols, rows: Rows }).strict(),
]);
export type TerminalInput = z.infer<typeof TerminalInput>;

/** Splits text into input messages no longer than the limit, never inside a surrogate pair. */
export function terminalInputChunks(text: string, limit = MAX_TERMINAL_INPUT_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + limit, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

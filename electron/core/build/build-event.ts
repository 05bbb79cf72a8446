/** What the decoders (BuildKit, legacy) make of the engine's stream, before it folds into the step model. */

/** Where a step sits, as each builder names it. */
export type StepRef =
  | { builder: 'buildkit'; stage: string | null; position: number }
  | { builder: 'legacy'; number: number };

export type BuildEvent =
  | {
      kind: 'step';
      ref: StepRef;
      state: 'queued' | 'running' | 'cached' | 'done' | 'error';
      startedAt?: number;
      endedAt?: number;
      error?: string;
      /** The step downloaded something (a FROM that pulled its base image). */
      pulled?: boolean;
    }
  | { kind: 'log'; ref: StepRef; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'warning'; text: string }
  | { kind: 'image'; id: string }
  | { kind: 'error'; message: string; exitCode: number | null };

/** The exit code in an engine error message: "returned a non-zero code: N" (legacy), "exit code: N" (BuildKit). */
export function exitCodeOf(message: string): number | null {
  const match = /(?:returned a non-zero code|exit code):\s*(\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

/** One engine stream line: JSON, whatever the builder. */
export interface StreamLine {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

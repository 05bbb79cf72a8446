/** What the decoders (BuildKit, legacy) make of the engine's stream, before it folds into the step model. */

/** Where a step sits, as each builder names it. */
export type StepRef =
  | { builder: 'buildkit'; stage: string | null; position: number }
  | { builder: 'legacy'; number: number };

export type BuildEvent =
  | {
      kind: 'step';
      ref: StepRef;
      /** `metadata`: the legacy builder printed the step but neither ran a container nor made an image. */
      state: 'queued' | 'running' | 'cached' | 'done' | 'error' | 'metadata';
      startedAt?: number;
      endedAt?: number;
      error?: string;
      /** BuildKit's vertex for the step and the vertexes it takes as inputs (digests); the legacy builder has none. */
      vertex?: { digest: string; inputs: string[] };
    }
  /** Output as it arrives (not cut into lines); `unknown` when the builder does not say which stream. */
  | { kind: 'log'; ref: StepRef; stream: 'stdout' | 'stderr' | 'unknown'; text: string }
  /** A BuildKit vertex that is not a Dockerfile step failed ("[internal] load metadata for ..."). */
  | { kind: 'internal-error'; name: string; error: string }
  | { kind: 'warning'; text: string }
  | { kind: 'image'; id: string }
  | { kind: 'error'; message: string; exitCode: number | null };

/**
 * The exit code in an engine error message: "returned a non-zero code: N" (legacy), "exit code: N" (BuildKit),
 * "exit status N" (Podman).
 */
export function exitCodeOf(message: string): number | null {
  const match = /(?:returned a non-zero code:|exit code:|exit status)\s*(\d+)/.exec(message);
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

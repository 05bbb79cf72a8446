/**
 * One deploy as a job: its steps in order, the platform's output, the URL at the end. Emits the whole
 * DeployModel on every change (the JobRunner and the deploy streams follow it); `done` never rejects.
 * Every text that enters the model passes through `mask`, so a secret the platform echoes (an API key in a
 * release log, say) is replaced before anyone sees it.
 */
import { randomUUID } from 'node:crypto';
import { BerthError, type DeployModel, type DeployStep, MASKED } from '../../contract';

/** How many output lines a deploy keeps (the oldest are dropped first). */
export const OUTPUT_LINES_KEPT = 2000;

export type StepState = DeployStep['state'];

export class DeployJob {
  readonly id: string;
  private model: DeployModel;
  private readonly listeners = new Set<(model: DeployModel) => void>();
  private readonly secrets: string[];
  private readonly controller = new AbortController();
  private resolveDone!: (model: DeployModel) => void;
  readonly done: Promise<DeployModel>;

  constructor(platform: DeployModel['platform'], target: string, steps: string[], secrets: string[]) {
    this.id = randomUUID();
    this.secrets = secrets.filter((s) => s.length >= 4);
    this.model = {
      deployId: this.id,
      platform,
      target,
      state: 'running',
      steps: steps.map((name) => ({ name, state: 'waiting', detail: null })),
      output: [],
      url: null,
      tailing: false,
      failure: null,
    };
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Aborted when the user cancels: every request of the deploy listens to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  current(): DeployModel {
    return this.model;
  }

  onChange(listener: (model: DeployModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cancel(): void {
    this.controller.abort();
  }

  mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join(MASKED);
    return masked;
  }

  private update(patch: Partial<DeployModel>): void {
    this.model = { ...this.model, ...patch };
    for (const listener of this.listeners) {
      try {
        listener(this.model);
      } catch {
        // a failing subscriber must not stop the deploy
      }
    }
    if (this.model.state !== 'running' && !this.model.tailing) this.resolveDone(this.model);
  }

  step(name: string, state: StepState, detail: string | null = null): void {
    this.update({
      steps: this.model.steps.map((s) =>
        s.name === name ? { ...s, state, detail: detail === null ? s.detail : this.mask(detail) } : s,
      ),
    });
  }

  /** Runs `work` as step `name`: running, then done with the detail it returns, or failed. */
  async run<T>(name: string, work: () => Promise<T>, detail?: (value: T) => string | null): Promise<T> {
    this.step(name, 'running');
    try {
      const value = await work();
      this.step(name, 'done', detail ? detail(value) : null);
      return value;
    } catch (error) {
      this.step(name, 'failed');
      throw error;
    }
  }

  print(lines: string[]): void {
    if (lines.length === 0) return;
    this.update({ output: [...this.model.output, ...lines.map((l) => this.mask(l))].slice(-OUTPUT_LINES_KEPT) });
  }

  succeed(url: string | null, tailing = false): void {
    this.update({ state: 'succeeded', url, tailing });
  }

  endTail(): void {
    if (this.model.tailing) this.update({ tailing: false });
  }

  fail(error: unknown): void {
    const berth =
      error instanceof BerthError
        ? error
        : new BerthError(
            'DEPLOY_FAILED',
            `The deploy stopped: ${(error as Error)?.message ?? String(error)}`,
            'Try the deploy again.',
          );
    const shape = berth.toShape();
    this.update({
      state: 'failed',
      tailing: false,
      steps: this.model.steps.map((s) => (s.state === 'running' ? { ...s, state: 'failed' } : s)),
      failure: {
        ...shape,
        message: this.mask(shape.message),
        ...(shape.fix !== undefined && { fix: this.mask(shape.fix) }),
      },
    });
  }
}

/** Reads a streamed text body line by line, until it ends, `signal` aborts or `deadlineMs` passes. */
export async function followLines(
  url: string,
  headers: Record<string, string>,
  onLines: (lines: string[]) => void,
  signal: AbortSignal,
  deadlineMs: number,
): Promise<void> {
  const stop = AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)]);
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'error', signal: stop });
  } catch {
    return;
  }
  if (!res.ok || !res.body) return;
  const decoder = new TextDecoder();
  let rest = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const lines = text.split(/\r?\n/);
      rest = lines.pop() ?? '';
      onLines(lines);
    }
  } catch {
    // the deadline or a cancel ended the stream: what came is kept
  }
  if (rest !== '') onLines([rest]);
}

/**
 * The jobs of this session by id (builds, pushes): each job re-sends its whole model on change and ends
 * once. The runner answers `get`, `subscribe`, `cancel` and `done` by id, so the contract's start/get/cancel
 * procedures and model streams wire straight to it, and keeps the newest `keep` finished jobs readable.
 */
import { BerthError } from '../contract';

export interface Job<M> {
  readonly id: string;
  /** The whole model now. */
  current(): M;
  /** Calls `listener` with the whole model on every change; returns the function that stops it. */
  onChange(listener: (model: M) => void): () => void;
  /** Resolves with the final model; never rejects. */
  readonly done: Promise<M>;
  cancel?(): void;
}

export interface JobRunnerOptions {
  /** The job's name in messages: "build", "push". */
  noun: string;
  /** The fix a NOT_FOUND error gives. */
  fix: string;
  /** How many finished jobs stay in memory (oldest are forgotten first). */
  keep?: number;
}

const DEFAULT_KEEP = 20;

export class JobRunner<M, J extends Job<M> = Job<M>> {
  private readonly jobs = new Map<string, J>();
  private readonly finished: string[] = [];

  constructor(private readonly options: JobRunnerOptions) {}

  /** Takes a started job; returns its id. */
  add(job: J): string {
    this.jobs.set(job.id, job);
    void job.done.then(() => this.finish(job.id));
    return job.id;
  }

  /** The job itself; NOT_FOUND when there is none by that id (or it was forgotten). */
  job(id: string): J {
    const job = this.jobs.get(id);
    if (!job) {
      throw new BerthError('NOT_FOUND', `No ${this.options.noun} with id "${id}" in this session.`, this.options.fix);
    }
    return job;
  }

  get(id: string): M {
    return this.job(id).current();
  }

  /** Calls `listener` with the current model at once, then on every change. Returns unsubscribe. */
  subscribe(id: string, listener: (model: M) => void): () => void {
    const job = this.job(id);
    const stop = job.onChange(listener);
    listener(job.current());
    return stop;
  }

  cancel(id: string): void {
    const job = this.job(id);
    if (!job.cancel) {
      throw new BerthError('UNSUPPORTED', `A ${this.options.noun} cannot be cancelled.`, 'Wait for it to end.');
    }
    job.cancel();
  }

  /** Resolves with the final model of the job. */
  done(id: string): Promise<M> {
    return this.job(id).done;
  }

  private finish(id: string): void {
    this.finished.push(id);
    const keep = this.options.keep ?? DEFAULT_KEEP;
    for (const old of this.finished.splice(0, Math.max(0, this.finished.length - keep))) this.jobs.delete(old);
  }
}

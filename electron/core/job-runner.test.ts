import { type Job, JobRunner } from './job-runner';

interface Model {
  id: string;
  n: number;
  over: boolean;
}

/** A job driven by hand: `step` changes the model, `end` finishes it. */
class ManualJob implements Job<Model> {
  private model: Model;
  private readonly listeners = new Set<(m: Model) => void>();
  private resolve!: (m: Model) => void;
  readonly done = new Promise<Model>((r) => {
    this.resolve = r;
  });
  cancelled = false;

  constructor(readonly id: string) {
    this.model = { id, n: 0, over: false };
  }
  current(): Model {
    return this.model;
  }
  onChange(listener: (m: Model) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  cancel(): void {
    this.cancelled = true;
  }
  step(): void {
    this.model = { ...this.model, n: this.model.n + 1 };
    for (const l of this.listeners) l(this.model);
  }
  end(): void {
    this.model = { ...this.model, over: true };
    for (const l of this.listeners) l(this.model);
    this.resolve(this.model);
  }
}

const runner = (keep?: number) =>
  new JobRunner<Model, ManualJob>({ noun: 'test job', fix: 'Start it again.', ...(keep !== undefined && { keep }) });

describe('JobRunner', () => {
  it('answers get, subscribe (current model first, then each change), cancel and done by id', async () => {
    const jobs = runner();
    const job = new ManualJob('a');
    expect(jobs.add(job)).toBe('a');
    job.step();
    const seen: number[] = [];
    const stop = jobs.subscribe('a', (m) => seen.push(m.n));
    job.step();
    stop();
    job.step();
    expect(seen).toEqual([1, 2]);
    expect(jobs.get('a').n).toBe(3);
    jobs.cancel('a');
    expect(job.cancelled).toBe(true);
    job.end();
    expect(await jobs.done('a')).toMatchObject({ id: 'a', over: true });
  });

  it('refuses an unknown id with NOT_FOUND, naming the job and the fix', () => {
    expect(() => runner().get('nope')).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: 'No test job with id "nope" in this session.',
        fix: 'Start it again.',
      }),
    );
  });

  it('keeps only the newest `keep` finished jobs, and never forgets a running one', async () => {
    const jobs = runner(2);
    const all = ['a', 'b', 'c', 'd'].map((id) => new ManualJob(id));
    for (const job of all) jobs.add(job);
    for (const job of all.slice(1)) job.end();
    await Promise.all(all.slice(1).map((j) => j.done));
    await Promise.resolve();
    expect(() => jobs.get('b')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(jobs.get('c').over).toBe(true);
    expect(jobs.get('d').over).toBe(true);
    expect(jobs.get('a').over).toBe(false);
  });

  it('says UNSUPPORTED for a job that cannot be cancelled', () => {
    const jobs = new JobRunner<Model>({ noun: 'push', fix: '' });
    const job = new ManualJob('p');
    jobs.add({ id: 'p', current: () => job.current(), onChange: (l) => job.onChange(l), done: job.done });
    expect(() => jobs.cancel('p')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});

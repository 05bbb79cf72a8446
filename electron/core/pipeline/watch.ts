/**
 * Watch mode, the local version of Docker Hub's automated builds: the build context is watched (fs.watch,
 * recursive) with its .dockerignore rules applied, and after a change (debounced) the image is rebuilt, the
 * running container recreated with the same settings, and, optionally, the image pushed. Each round is kept
 * in the model, with the steps that missed the cache and the first cause of a miss when the build found one.
 * A change during a round starts one more round after it. Stopping closes the watcher and waits for the round.
 */
import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { sep } from 'node:path';
import {
  BerthError,
  invalidInput,
  type WatchModel,
  WatchRequest,
  type WatchRequestInput,
  type WatchRound,
} from '../../contract';
import { checkContext, startBuild } from '../build';
import { type IgnoreRules, readIgnoreRules } from '../build/context';
import { firstCauseOf } from '../build/records';
import { recreateContainer } from '../containers';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { type CredentialStore, startPush } from '../registry';
import { cacheFigures } from './cache-figures';

export interface WatchOptions {
  engine: EngineHandle;
  /** Where each round's build record is written; with it, each round names the cause of its first cache miss. */
  recordsDir?: string;
  credentials?: CredentialStore;
  watchId?: string;
}

export class WatchSession {
  readonly watchId: string;
  /** Resolves with the final model once stopped (the watcher closed and the last round ended); never rejects. */
  readonly done: Promise<WatchModel>;
  private model: WatchModel;
  private readonly listeners = new Set<(model: WatchModel) => void>();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly pending = new Set<string>();
  private round: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private container: string | null;
  private ended!: () => void;

  private constructor(
    private readonly request: WatchRequest,
    private readonly rules: { current: IgnoreRules; dockerfile: string },
    private readonly options: WatchOptions,
  ) {
    this.watchId = options.watchId ?? randomUUID();
    this.container = request.container ?? null;
    this.model = {
      watchId: this.watchId,
      contextDir: request.build.contextDir,
      state: 'watching',
      container: this.container,
      pushTarget: request.pushTarget ?? null,
      rounds: [],
      startedAt: Date.now(),
    };
    this.done = new Promise<void>((resolve) => {
      this.ended = resolve;
    }).then(() => this.model);
  }

  /** Checks the request and the context folder (INVALID_INPUT or NOT_FOUND; nothing is watched), then watches. */
  static async start(input: WatchRequestInput, options: WatchOptions): Promise<WatchSession> {
    const parsed = WatchRequest.safeParse(input);
    if (!parsed.success) throw invalidInput('watch request', parsed.error.issues);
    const { dir, inside } = await checkContext(parsed.data.build.contextDir, parsed.data.build.dockerfile);
    const dockerfile = inside.split(sep).join('/');
    const request = { ...parsed.data, build: { ...parsed.data.build, contextDir: dir, dockerfile } };
    const session = new WatchSession(request, { current: await readIgnoreRules(dir, dockerfile), dockerfile }, options);
    session.watcher = watch(dir, { recursive: true }, (_event, name) => session.changed(name));
    session.watcher.on('error', () => session.stop());
    return session;
  }

  get id(): string {
    return this.watchId;
  }

  current(): WatchModel {
    return this.model;
  }

  onChange(listener: (model: WatchModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops watching: the watcher closes at once, a running build is cancelled, `done` resolves when all ended. */
  cancel(): void {
    this.stop();
  }

  stop(): void {
    if (this.model.state === 'stopped') return;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    this.abort.abort();
    void (this.round ?? Promise.resolve()).then(() => {
      this.update({ state: 'stopped' });
      this.ended();
    });
  }

  private changed(name: string | Buffer | null): void {
    if (this.model.state === 'stopped') return;
    const path = name ? String(name).split(sep).join('/') : null;
    if (path !== null && this.rules.current.ignores(path)) return;
    this.pending.add(path ?? '(unknown file)');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.request.debounceMs);
  }

  private flush(): void {
    this.timer = null;
    if (this.round || this.pending.size === 0 || this.model.state === 'stopped') return;
    const changed = [...this.pending].sort();
    this.pending.clear();
    this.round = this.runRound(changed).finally(() => {
      this.round = null;
      if (this.pending.size > 0) this.flush(); // changes made during the round
    });
  }

  private async runRound(changed: string[]): Promise<void> {
    const { engine, recordsDir } = this.options;
    if (changed.includes('.dockerignore')) {
      this.rules.current = await readIgnoreRules(this.request.build.contextDir, this.rules.dockerfile);
    }
    let round: WatchRound = {
      round: this.model.rounds.length + 1,
      changed,
      state: 'building',
      ...{ buildId: null, imageId: null, cachedSteps: 0, totalSteps: 0, missed: [], cacheExplanation: null },
      ...{ containerId: null, digest: null, startedAt: Date.now(), endedAt: null, failure: null },
    };
    const set = (fields: Partial<WatchRound>) => {
      round = { ...round, ...fields };
      this.update({ rounds: [...this.model.rounds.filter((r) => r.round !== round.round), round] });
    };
    set({});
    try {
      const build = startBuild(engine, this.request.build, {
        signal: this.abort.signal,
        ...(recordsDir && { recordsDir }),
      });
      set({ buildId: build.buildId });
      const model = await build.done;
      set({ ...cacheFigures(model), cacheExplanation: firstCauseOf(model) });
      if (model.state !== 'succeeded' || !model.imageId) {
        throw new BerthError(
          model.failure?.code ?? 'BUILD_FAILED',
          model.failure?.message ?? 'The build ended without an image.',
          model.failure?.fix ?? 'Fix the failing step; the next change starts another round.',
        );
      }
      set({ imageId: model.imageId });
      if (this.container) {
        set({ state: 'recreating' });
        const summary = await recreateContainer(engine, this.container);
        this.container = summary.id;
        this.update({ container: summary.id });
        set({ containerId: summary.id });
      }
      if (this.request.pushTarget) {
        set({ state: 'pushing' });
        const push = await startPush({
          engine,
          request: { source: model.imageId, target: this.request.pushTarget },
          ...(this.options.credentials && { store: this.options.credentials }),
        }).done;
        if (push.state !== 'succeeded')
          throw BerthError.fromShape(
            push.failure ?? { code: 'PUSH_FAILED', message: 'The push ended without a digest.' },
          );
        set({ digest: push.digest });
      }
      set({ state: 'succeeded', endedAt: Date.now() });
    } catch (error) {
      set({ state: 'failed', endedAt: Date.now(), failure: toBerthError(error, engine.endpoint).toShape() });
    }
  }

  private update(fields: Partial<WatchModel>): void {
    this.model = { ...this.model, ...fields };
    for (const listener of this.listeners) {
      try {
        listener(this.model);
      } catch {
        // a failing subscriber must not stop watch mode
      }
    }
  }
}

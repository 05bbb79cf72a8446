/**
 * One build, from request to record: packs the context, runs it on the engine with BuildKit or the legacy
 * builder, folds the stream into the BuildModel, emits that model on change (throttled), and can be cancelled.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import {
  BerthError,
  type BuildModel,
  BuildRequest,
  type BuildRequestInput,
  invalidInput,
  secretArgWarning,
  secretLookingArgs,
} from '../../contract';
import { engineIsPodman } from '../engine/capabilities';
import type { EngineHandle } from '../engine/engine-handle';
import { engineAnswers } from '../engine-check';
import { toBerthError } from '../errors';
import type { StepInput } from '../insight';
import { outlineDockerfile } from '../project/dockerfile-outline';
import type { BuildEvent } from './build-event';
import { legacyWarningOf, undeclaredArgsWarning, undeclaredBuildArgs } from './build-warnings';
import { BuildKitDecoder } from './buildkit-decode';
import { explainBuild, recordedInputs } from './cache-causes';
import { type BuildContext, type ContextFile, checkContext, readContext } from './context';
import { chooseBuilder, sendBuild } from './engine-build';
import { engineLostFailure, type FailureContext, refusedFailure, streamFailure } from './failure';
import { LegacyDecoder } from './legacy-decode';
import { planSteps } from './plan';
import { PodmanDecoder } from './podman-decode';
import { recordOf, storageFailure, writeRecord } from './records';
import { maskedRequest, maskValuesInModel } from './secret-mask';
import { openSecretsSession, type SecretsSession } from './secrets-session';
import { StepFold } from './step-fold';

export interface Build {
  readonly buildId: string;
  /** The same as buildId: what the JobRunner keys jobs by. */
  readonly id: string;
  /** Called with the whole model on change (throttled) and at once with the final state. Returns unsubscribe. */
  onChange(listener: (model: BuildModel) => void): () => void;
  current(): BuildModel;
  cancel(): void;
  /** Resolves with the final model (succeeded, failed or cancelled); never rejects. */
  readonly done: Promise<BuildModel>;
}

export interface BuildOptions {
  buildId?: string;
  /** Where the record of the build is written when it ends; no record without it. */
  recordsDir?: string;
  signal?: AbortSignal;
  throttleMs?: number;
  /** Sees every decoded engine event before it folds into the step model (benchmarks compare the engine's own cache verdicts). */
  onEngineEvent?: (event: BuildEvent) => void;
}

/** Applies the request's defaults; INVALID_INPUT with the fields at fault. */
export function parseBuildRequest(input: BuildRequestInput): BuildRequest {
  const parsed = BuildRequest.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInput('build request', parsed.error.issues);
}

/** Validates the request and starts the build; context problems end the build as failed (see `done`). */
export function startBuild(engine: EngineHandle, input: BuildRequestInput, options: BuildOptions = {}): Build {
  return new RunningBuild(engine, parseBuildRequest(input), options);
}

/**
 * What build.start does: checks the request and the context folder first (nothing is sent and no build
 * exists when they are wrong: INVALID_INPUT or NOT_FOUND), then starts the build.
 */
export async function checkAndStartBuild(
  engine: EngineHandle,
  input: BuildRequestInput,
  options: BuildOptions = {},
): Promise<Build> {
  const parsed = parseBuildRequest(input);
  const { dir, inside } = await checkContext(parsed.contextDir, parsed.dockerfile);
  // The record names the project as the checked folder and Dockerfile, so builds of one project compare.
  const request = { ...parsed, contextDir: dir, dockerfile: inside.split(sep).join('/') };
  return startBuild(engine, request, options);
}

class RunningBuild implements Build {
  readonly buildId: string;
  readonly done: Promise<BuildModel>;
  private model: BuildModel;
  private fold: StepFold | null = null;
  private readonly listeners = new Set<(model: BuildModel) => void>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private files: ContextFile[] | null = null;
  /** Warnings about the request itself (secret-looking build args), before any from the engine. */
  private readonly requestWarnings: string[];
  /** The BuildKit secrets, kept out of the model: it shows their ids only. */
  private readonly secrets: BuildRequest['secrets'];
  private source: string | null = null;

  constructor(
    private readonly engine: EngineHandle,
    request: BuildRequest,
    private readonly options: BuildOptions,
  ) {
    this.buildId = options.buildId ?? randomUUID();
    const builder = request.builder === 'legacy' ? 'legacy' : 'buildkit';
    const secretWarning = secretArgWarning(secretLookingArgs(request.buildArgs));
    this.requestWarnings = secretWarning ? [secretWarning] : [];
    this.secrets = request.secrets;
    this.model = {
      ...{
        buildId: this.buildId,
        request: maskedRequest(request),
        builder,
        state: 'preparing',
        context: null,
        steps: [],
      },
      warnings: [...this.requestWarnings],
      ...{ startedAt: Date.now(), endedAt: null, imageId: null, failure: null },
    };
    options.signal?.addEventListener('abort', () => this.cancel(), { once: true });
    this.done = this.run().then(() => this.current());
  }

  get id(): string {
    return this.buildId;
  }

  onChange(listener: (model: BuildModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  current(): BuildModel {
    const model = {
      ...this.model,
      steps: this.fold?.steps() ?? [],
      warnings: [...this.requestWarnings, ...(this.fold?.warnings ?? [])],
    };
    return this.secrets.length > 0
      ? maskValuesInModel(
          model,
          this.secrets.map((s) => ({ value: s.value })),
        )
      : model;
  }

  cancel(): void {
    if (this.model.endedAt === null) this.abort.abort();
  }

  private async run(): Promise<void> {
    const { request } = this.model;
    let context: BuildContext | null = null;
    let session: SecretsSession | null = null;
    try {
      context = await readContext(request.contextDir, request.dockerfile);
      this.update({ context: { bytes: context.bytes, files: context.files } });
      const source = await readFile(context.dockerfileRealPath, 'utf8');
      this.source = source;
      const builder = await chooseBuilder(this.engine, request.builder);
      if (this.secrets.length > 0 && builder === 'legacy') throw secretsNeedBuildKit();
      const plan = planSteps(source, request.target);
      this.fold = new StepFold(plan, { builder });
      const undeclared =
        builder === 'buildkit' ? undeclaredBuildArgs(outlineDockerfile(source), request.buildArgs, request.target) : [];
      this.throwIfCancelled();
      this.update({ builder, state: 'sending' });
      if (this.secrets.length > 0)
        session = await openSecretsSession(this.engine.docker, this.secrets, this.abort.signal);
      const tar = context.pack();
      const lines = await sendBuild(
        this.engine.docker,
        tar,
        context.dockerfile,
        request,
        builder,
        this.abort.signal,
        this.engine.labels,
        session?.id,
      );
      this.update({ state: 'running' });
      const decoder =
        builder === 'buildkit'
          ? new BuildKitDecoder()
          : (await engineIsPodman(this.engine))
            ? new PodmanDecoder(plan)
            : new LegacyDecoder();
      for await (const line of lines) {
        const warning = builder === 'legacy' ? legacyWarningOf(line) : null;
        if (warning) this.warn(warning);
        else this.apply(decoder.push(line));
      }
      if (!(decoder instanceof BuildKitDecoder)) this.apply(decoder.end());
      // Newer BuildKit engines report unused build args themselves; 20.10's does not, so Berth says it.
      if (undeclared.length > 0 && !this.fold.warnings.some((w) => /build-args? \[/i.test(w))) {
        this.warn(undeclaredArgsWarning(undeclared));
      }
      this.throwIfCancelled();
      if (this.fold.imageId && !this.fold.error) this.finish('succeeded');
      else {
        // A failure may be the engine going away under the build: a dockerd that shuts down kills the
        // running step (its error line comes first), and a crashed one just ends the stream.
        const lost = await this.engineLost(this.fold.error?.message ?? 'the build stream ended early');
        this.finish('failed', lost);
      }
    } catch (error) {
      if (this.abort.signal.aborted) this.finish('cancelled');
      else {
        const engine = toBerthErrorKeepingEngine(error, this.engine.endpoint);
        // Engine answers (HTTP errors) and Berth's own errors (context, cancel) are not a lost engine.
        const answered =
          (engine as { statusCode?: number }).statusCode !== undefined ||
          (error instanceof BerthError && error.code !== 'ENGINE_UNREACHABLE');
        const lost = answered ? undefined : await this.engineLost(errorDetail(error));
        this.finish('failed', lost ?? refusedFailure(engine, this.failureContext()));
      }
    }
    await session?.close();
    this.files = context ? await context.snapshot().catch(() => null) : null;
    await this.record();
    this.emit();
  }

  /** An ENGINE_UNREACHABLE failure when the engine does not answer a ping now; undefined when it does. */
  private async engineLost(detail: string): Promise<BuildModel['failure'] | undefined> {
    return (await engineAnswers(this.engine.docker))
      ? undefined
      : engineLostFailure(this.engine.endpoint, this.model.builder, detail);
  }

  private apply(events: BuildEvent[]): void {
    let changed = false;
    for (const event of events) {
      this.options.onEngineEvent?.(event);
      changed = this.fold!.apply(event) || changed;
    }
    if (changed) this.changed();
  }

  /** Adds a warning to the build once. */
  private warn(text: string): void {
    if (this.fold && !this.fold.warnings.includes(text)) this.apply([{ kind: 'warning', text }]);
  }

  private finish(state: 'succeeded' | 'failed' | 'cancelled', failure?: BuildModel['failure']): void {
    // The final model goes out only after the record is written (see run), so whoever reads the records
    // on seeing the build end finds this one: drop a throttled emit that is still pending.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const endedAt = Date.now();
    const why = failure?.code === 'ENGINE_UNREACHABLE' ? 'Interrupted: the engine stopped answering.' : undefined;
    this.fold?.finish(state, endedAt, why);
    const streamError = this.fold?.error;
    this.model.failure =
      state === 'cancelled'
        ? { code: 'CANCELLED', message: 'The build was cancelled.', stepId: null, exitCode: null }
        : (failure ??
          (streamError
            ? streamFailure(streamError, this.fold!.steps(), this.failureContext(), this.fold!.internalError)
            : null) ??
          (state === 'failed'
            ? {
                code: 'BUILD_FAILED',
                message: 'The engine ended the build without an image.',
                stepId: null,
                exitCode: null,
              }
            : null));
    Object.assign(this.model, { state, endedAt, imageId: this.fold?.imageId ?? null });
  }

  private failureContext(): FailureContext {
    const { dockerfile, buildArgs, target } = this.model.request;
    return { dockerfile, source: this.source, request: { buildArgs, target } };
  }

  private async record(): Promise<void> {
    const dir = this.options.recordsDir;
    if (!dir) return;
    let inputs: StepInput[] | null = null;
    if (this.source !== null && this.fold) {
      try {
        inputs = await recordedInputs(this.engine.docker, dir, this.source, this.current());
        this.model.cacheCauses = await explainBuild(dir, this.current(), inputs, this.files);
      } catch {
        // the causes explain a build: not finding them (a damaged earlier record) never fails it
      }
    }
    await writeRecord(dir, recordOf(this.current(), this.files, inputs)).catch((error: unknown) => {
      const failure = storageFailure(this.options.recordsDir!, error);
      this.model.recordError = failure.toShape();
      this.fold?.warnings.push(`${failure.message} ${failure.fix ?? ''}`.trim());
    });
  }

  private throwIfCancelled(): void {
    if (this.abort.signal.aborted) throw new BerthError('CANCELLED', 'The build was cancelled.');
  }

  private update(fields: Partial<BuildModel>): void {
    Object.assign(this.model, fields);
    this.changed();
  }

  private changed(): void {
    if (this.model.endedAt !== null) return; // the final emit follows the record
    this.timer ??= setTimeout(() => this.emit(), this.options.throttleMs ?? 75);
  }

  private emit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const model = this.current();
    for (const listener of this.listeners) listener(model);
  }
}

function errorDetail(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}

/** Engine HTTP errors stay as the engine said them (refusedFailure reads them); lost connections become BerthErrors. */
function toBerthErrorKeepingEngine(error: unknown, endpoint: string): unknown {
  const e = error as { statusCode?: number };
  return e.statusCode === 400 || e.statusCode === 500 ? error : toBerthError(error, endpoint);
}

/** Secrets need BuildKit: the legacy builder has no sessions, and a build arg would put the value in the image. */
function secretsNeedBuildKit(): BerthError {
  return new BerthError(
    'UNSUPPORTED',
    'This engine builds with the legacy builder, which cannot take BuildKit secrets.',
    'Enable BuildKit on the engine (Docker 18.09 or later, "features": {"buildkit": true}), or build without secrets.',
  );
}

/**
 * One run of the ship pipeline: the stages in order, each with its state, times and one-line detail; the
 * first failure ends the run (a failed parity run does not, when the user overrode it on purpose for the
 * deploy: that choice is recorded). A failed run can be resumed: the new run keeps the outputs of the stages
 * before the failed one (image id, digest, ...) and starts at the failed stage. Each run ends with a record.
 */
import { randomUUID } from 'node:crypto';
import {
  BerthError,
  invalidInput,
  type PipelineModel,
  type PipelineOutputs,
  PipelineRequest,
  type PipelineRequestInput,
  type PipelineStage,
  type Platform,
} from '../../contract';
import { maskedRequest } from '../build/secret-mask';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import type { CredentialStore } from '../registry';
import { writePipelineRecord } from './pipeline-records';
import type { Deployer, Stage } from './stage';
import { ParityFailed, STAGES } from './stages';

export interface PipelineOptions {
  engine: EngineHandle;
  /** Where the pipeline's own record goes (the history); no record without it. */
  historyDir?: string;
  /** Where the build stage writes its build record. */
  recordsDir?: string;
  credentials?: CredentialStore;
  deployers?: ReadonlyMap<Platform, Deployer>;
  stages?: readonly Stage[];
  pipelineId?: string;
}

/** Where a resumed run starts, and what it keeps. */
export interface ResumePoint {
  from: PipelineModel;
}

const EMPTY_OUTPUTS: PipelineOutputs = {
  buildId: null,
  imageId: null,
  parity: [],
  tagged: null,
  pushId: null,
  digest: null,
  deployUrl: null,
  deployId: null,
};

export function parsePipelineRequest(input: PipelineRequestInput): PipelineRequest {
  const parsed = PipelineRequest.safeParse(input);
  if (!parsed.success) throw invalidInput('pipeline request', parsed.error.issues);
  return parsed.data;
}

/** The request as models and records carry it: no credentials, secret values masked. */
function shownRequest(request: PipelineRequest): PipelineModel['request'] {
  const { credentials: _, ...rest } = request;
  return { ...rest, build: maskedRequest(rest.build) };
}

export class Pipeline {
  readonly pipelineId: string;
  readonly done: Promise<PipelineModel>;
  private model: PipelineModel;
  private readonly listeners = new Set<(model: PipelineModel) => void>();
  private readonly abort = new AbortController();
  private readonly stages: readonly Stage[];

  constructor(
    /** The request with its credentials: kept in memory only, for a resume in this session. */
    readonly request: PipelineRequest,
    private readonly options: PipelineOptions,
    resume?: ResumePoint,
  ) {
    this.pipelineId = options.pipelineId ?? randomUUID();
    this.stages = (options.stages ?? STAGES).filter((s) => s.applies(request));
    const startAt = resume ? this.resumeIndex(resume.from) : 0;
    const kept = resume ? keptOutputs(resume.from, this.stages[startAt]?.name) : EMPTY_OUTPUTS;
    this.model = {
      pipelineId: this.pipelineId,
      resumedFrom: resume?.from.pipelineId ?? null,
      request: shownRequest(request),
      state: 'running',
      stages: this.stages.map((stage, i) => {
        const before = resume?.from.stages.find((s) => s.name === stage.name);
        return i < startAt && before
          ? { ...before, state: 'kept' as const }
          : {
              name: stage.name,
              state: 'pending' as const,
              startedAt: null,
              endedAt: null,
              detail: null,
              failure: null,
            };
      }),
      outputs: kept,
      parityOverridden: false,
      startedAt: Date.now(),
      endedAt: null,
      recordError: null,
    };
    this.done = this.run(startAt).then(() => this.model);
  }

  /** Where a resume starts: the stage the run stopped at (its last failure, else its first stage never run). */
  private resumeIndex(from: PipelineModel): number {
    const stopped = from.stages.findLast((s) => s.state === 'failed') ?? from.stages.find((s) => s.state === 'pending');
    const at = stopped ? this.stages.findIndex((s) => s.name === stopped.name) : -1;
    return at < 0 ? this.stages.length : at;
  }

  get id(): string {
    return this.pipelineId;
  }

  current(): PipelineModel {
    return this.model;
  }

  onChange(listener: (model: PipelineModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cancel(): void {
    if (this.model.endedAt === null) this.abort.abort();
  }

  private async run(startAt: number): Promise<void> {
    let state: PipelineModel['state'] = 'succeeded';
    for (let i = startAt; i < this.stages.length; i++) {
      const stage = this.stages[i]!;
      if (this.abort.signal.aborted) {
        state = 'cancelled';
        break;
      }
      this.setStage(i, { state: 'running', startedAt: Date.now() });
      try {
        const result = await stage.run({
          engine: this.options.engine,
          request: this.request,
          outputs: this.model.outputs,
          signal: this.abort.signal,
          report: (detail) => this.setStage(i, { detail }),
          ...(this.options.recordsDir && { recordsDir: this.options.recordsDir }),
          ...(this.options.credentials && { credentials: this.options.credentials }),
          deployers: this.options.deployers ?? new Map(),
          started: (deployId) => this.update({ outputs: { ...this.model.outputs, deployId } }),
        });
        this.update({ outputs: { ...this.model.outputs, ...result.outputs } });
        this.setStage(i, { state: 'succeeded', endedAt: Date.now(), detail: result.detail });
      } catch (error) {
        const failure = toBerthError(error, this.options.engine.endpoint);
        if (error instanceof ParityFailed) this.update({ outputs: { ...this.model.outputs, ...error.outputs } });
        const cancelled = this.abort.signal.aborted || failure.code === 'CANCELLED';
        this.setStage(i, {
          state: 'failed',
          endedAt: Date.now(),
          failure: failure.toShape(),
          detail: cancelled ? 'cancelled' : this.model.stages[i]!.detail,
        });
        if (error instanceof ParityFailed && this.request.deploy?.overrideParity && !cancelled) {
          this.update({ parityOverridden: true });
          continue;
        }
        state = cancelled ? 'cancelled' : 'failed';
        break;
      }
    }
    this.model = { ...this.model, state, endedAt: Date.now() };
    if (this.options.historyDir) {
      await writePipelineRecord(this.options.historyDir, this.model).catch((error: BerthError) => {
        this.model = { ...this.model, recordError: error.toShape() };
      });
    }
    this.emit();
  }

  private setStage(index: number, fields: Partial<PipelineStage>): void {
    const stages = this.model.stages.map((s, i) => (i === index ? { ...s, ...fields } : s));
    this.update({ stages });
  }

  private update(fields: Partial<PipelineModel>): void {
    this.model = { ...this.model, ...fields };
    if (this.model.endedAt === null) this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.model);
      } catch {
        // a failing subscriber must not stop the pipeline
      }
    }
  }
}

/** The outputs of the stages before `startAt` in a previous run: what a resume keeps. */
function keptOutputs(from: PipelineModel, startAt: string | undefined): PipelineOutputs {
  const order = ['build', 'parity', 'tag', 'push', 'deploy'];
  const at = startAt ? order.indexOf(startAt) : order.length;
  const o = from.outputs;
  const keep = (stage: string) => order.indexOf(stage) < at;
  return {
    buildId: keep('build') ? o.buildId : null,
    imageId: keep('build') ? o.imageId : null,
    parity: keep('parity') ? o.parity : [],
    tagged: keep('tag') ? o.tagged : null,
    pushId: keep('push') ? o.pushId : null,
    digest: keep('push') ? o.digest : null,
    deployUrl: null,
    deployId: null,
  };
}

/** Validates the request (INVALID_INPUT, nothing starts) and starts the pipeline. */
export function startPipeline(input: PipelineRequestInput, options: PipelineOptions): Pipeline {
  return new Pipeline(parsePipelineRequest(input), options);
}

/**
 * Starts a run that resumes `from` at its failed stage, with the same request (credentials given again,
 * since they were never kept). CONFLICT when `from` did not fail.
 */
export function resumePipeline(from: PipelineModel, request: PipelineRequestInput, options: PipelineOptions): Pipeline {
  const parsed = parsePipelineRequest(request);
  if (from.state === 'running' || from.state === 'succeeded') {
    throw new BerthError(
      'CONFLICT',
      `Pipeline ${from.pipelineId} ${from.state === 'running' ? 'is still running' : 'succeeded'}, so there is nothing to resume.`,
      'Resume a pipeline that failed or was cancelled, or start a new one.',
    );
  }
  return new Pipeline(parsed, options, { from });
}

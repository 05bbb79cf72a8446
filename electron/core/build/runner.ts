/**
 * The builds of this session by id, so the contract's build.start / build.get / build.cancel / build stream
 * can be wired straight to it. Finished builds stay readable until `keep` newer ones have finished.
 */
import type Dockerode from 'dockerode';
import { BerthError, type BuildModel, type BuildRecordSummary, type BuildRequestInput } from '../../contract';
import { type Build, parseBuildRequest, startBuild } from './build';
import { checkContext } from './context';
import { listRecords } from './records';

export interface BuildRunnerOptions {
  /** The app data folder that holds one record per build. */
  recordsDir: string;
  /** How many finished builds stay in memory. */
  keep?: number;
  throttleMs?: number;
}

export class BuildRunner {
  private readonly builds = new Map<string, Build>();

  constructor(
    private readonly docker: Dockerode,
    private readonly endpoint: string,
    private readonly options: BuildRunnerOptions,
  ) {}

  /** Checks the request and the context folder (nothing is sent when they are wrong), then starts the build. */
  async start(input: BuildRequestInput): Promise<string> {
    const request = parseBuildRequest(input);
    await checkContext(request.contextDir, request.dockerfile);
    const build = startBuild(this.docker, this.endpoint, request, {
      recordsDir: this.options.recordsDir,
      ...(this.options.throttleMs !== undefined && { throttleMs: this.options.throttleMs }),
    });
    this.builds.set(build.buildId, build);
    void build.done.then(() => this.forgetOldBuilds());
    return build.buildId;
  }

  get(buildId: string): BuildModel {
    return this.build(buildId).current();
  }

  cancel(buildId: string): void {
    this.build(buildId).cancel();
  }

  /** Calls `listener` with the current model at once, then on every change. Returns unsubscribe. */
  subscribe(buildId: string, listener: (model: BuildModel) => void): () => void {
    const build = this.build(buildId);
    const unsubscribe = build.onChange(listener);
    listener(build.current());
    return unsubscribe;
  }

  /** Resolves with the final model of the build. */
  done(buildId: string): Promise<BuildModel> {
    return this.build(buildId).done;
  }

  records(): Promise<BuildRecordSummary[]> {
    return listRecords(this.options.recordsDir);
  }

  private forgetOldBuilds(): void {
    const finished = [...this.builds.values()].filter((b) => b.current().endedAt !== null);
    for (const old of finished.slice(0, Math.max(0, finished.length - (this.options.keep ?? 20)))) {
      this.builds.delete(old.buildId);
    }
  }

  private build(buildId: string): Build {
    const build = this.builds.get(buildId);
    if (!build) {
      throw new BerthError('NOT_FOUND', `No build ${buildId} in this session.`, 'Start a build, or open its record.');
    }
    return build;
  }
}

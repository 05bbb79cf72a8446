/** Engine-test support: starts builds FROM the test base image, tagged for cleanup, as build.start does. */
import type Dockerode from 'dockerode';
import { inject } from 'vitest';
import { type EngineLitter, uniqueName } from '../../../../test/engine-harness';
import type { BuildModel } from '../../../contract';
import { JobRunner } from '../../job-runner';
import { type Build, checkAndStartBuild } from '../build';

export class TestBuilds {
  readonly runner = new JobRunner<BuildModel, Build>({ noun: 'build', fix: 'Start the build again.' });

  constructor(
    private readonly docker: Dockerode,
    private readonly litter: EngineLitter,
    private readonly recordsDir: string,
  ) {}

  /** Checks and starts a build of `dockerfile` in `contextDir`, and keeps it by id. */
  async start(contextDir: string, dockerfile: string, builder: 'buildkit' | 'legacy'): Promise<string> {
    const build = await checkAndStartBuild(
      { docker: this.docker, endpoint: 'unix:///var/run/docker.sock' },
      {
        contextDir,
        dockerfile,
        builder,
        buildArgs: { NODE_IMAGE: inject('nodeImage') },
        tags: [this.litter.image(`${uniqueName(builder)}:latest`)],
      },
      { recordsDir: this.recordsDir, throttleMs: 50 },
    );
    return this.runner.add(build);
  }
}

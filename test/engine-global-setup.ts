import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { ensureBaseImage } from '../scripts/base-image';

/**
 * Runs once before the engine and e2e tests: checks that dockerd answers, then makes sure a
 * Node base image exists. node:22-alpine is used where present; otherwise (no Docker Hub access)
 * the offline base image is built from this machine's node. Tests read it with inject('nodeImage').
 */
export default function setup(project: TestProject): void {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 10_000 });
  } catch {
    throw new Error('The Docker engine does not answer. Start it (bash .ci/run does), or set DOCKER_HOST.');
  }
  let nodeImage = 'node:22-alpine';
  try {
    execFileSync('docker', ['image', 'inspect', nodeImage], { stdio: 'pipe' });
  } catch {
    nodeImage = ensureBaseImage();
  }
  project.provide('nodeImage', nodeImage);
}

declare module 'vitest' {
  export interface ProvidedContext {
    nodeImage: string;
  }
}

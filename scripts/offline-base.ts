/**
 * Before the dashboard starts: when the tutorial's base image (node:22-alpine) is not on the engine and
 * Docker Hub cannot be reached, build the local base image so the default project still builds. The
 * backend then offers it as NODE_IMAGE (electron/core/project). Never fails the start: it only explains.
 */
import { execFileSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { ensureBaseImage } from './base-image';

const TUTORIAL_NODE_IMAGE = 'node:22-alpine';
const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

function engineHas(image: string): boolean | undefined {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    return /No such image/i.test(stderr) ? false : undefined; // undefined: no engine or no CLI
  }
}

async function dockerHubReachable(): Promise<boolean> {
  try {
    await lookup(DOCKER_HUB_REGISTRY);
    return true;
  } catch {
    return false;
  }
}

export async function prepareOfflineBase(): Promise<void> {
  if (engineHas(TUTORIAL_NODE_IMAGE) !== false) return;
  if (await dockerHubReachable()) return;
  try {
    const name = ensureBaseImage();
    console.log(`[start] Docker Hub is out of reach: the notes service will build on the local base image ${name}.`);
  } catch (error) {
    console.warn(
      `[start] Docker Hub is out of reach and the local base image could not be made: ${(error as Error).message}`,
    );
  }
}

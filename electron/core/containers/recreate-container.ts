import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ContainerSummary } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { specFromInspect, specFromLabel } from './container-config';
import { inspectRaw } from './container-list';
import { requireImage } from './run-checks';
import { runContainer } from './run-container';

/**
 * Replaces a container with a new one made with the same settings (from Berth's spec label, or rebuilt
 * from inspect for containers Berth did not create) and the same name, e.g. to pick up a rebuilt image.
 * The old container is stopped and set aside under another name first; if the new one cannot run, the old
 * one gets its name back (and is started again if it was running), so a failed recreate loses nothing.
 */
export async function recreateContainer(
  connection: EngineHandle,
  id: string,
  options: { stopTimeoutSeconds?: number } = {},
): Promise<ContainerSummary> {
  const { docker, endpoint } = connection;
  const info = await inspectRaw(connection, id);
  const name = info.Name.replace(/^\//, '');
  const image = await docker
    .getImage(info.Config.Image)
    .inspect()
    .catch(() => undefined);
  const spec = { ...(specFromLabel(info) ?? specFromInspect(info, image)), name };
  await requireImage(connection, spec.image);

  const old = docker.getContainer(info.Id);
  const wasRunning = info.State.Running;
  try {
    if (wasRunning) await old.stop({ t: options.stopTimeoutSeconds ?? 10 }).catch(ignoreNotModified);
    await old.rename({ name: `${name}-berth-old-${randomBytes(3).toString('hex')}` });
  } catch (error) {
    throw toBerthError(error, endpoint, `container "${id}"`);
  }

  let summary: ContainerSummary;
  try {
    summary = await runContainer(connection, spec);
  } catch (error) {
    await restore(old, name, wasRunning);
    throw error;
  }
  await old.remove({ force: true, v: true }).catch(() => undefined);
  return summary;
}

async function restore(old: Dockerode.Container, name: string, start: boolean): Promise<void> {
  await old.rename({ name }).catch(() => undefined);
  if (start) await old.start().catch(() => undefined);
}

function ignoreNotModified(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 304) throw error;
}

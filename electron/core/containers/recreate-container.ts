import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ContainerSummary, RunSpec } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { specFromInspect, specFromLabel } from './container-config';
import { inspectRaw } from './container-list';
import { requireImage } from './run-checks';
import { runContainer } from './run-container';
import { checkRunSpec } from './run-spec-check';

/**
 * Replaces a container with a new one made with the same settings (from Berth's spec label, or rebuilt
 * from inspect for containers Berth did not create) and the same name, e.g. to pick up a rebuilt image.
 * The old container is stopped and set aside under another name first; if the new one cannot run, the old
 * one gets its name back (and is started again if it was running), so a failed recreate loses nothing.
 */
export async function recreateContainer(
  connection: EngineHandle,
  id: string,
  options: { stopTimeoutSeconds?: number; edit?: (spec: RunSpec) => RunSpec } = {},
): Promise<ContainerSummary> {
  const { docker, endpoint } = connection;
  const { info, spec: current } = await currentSpec(connection, id);
  const name = current.name ?? info.Name.replace(/^\//, '');
  // The edited settings are checked in full before the old container is touched.
  const spec = checkRunSpec({ ...(options.edit ? options.edit(current) : current), name });
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

/** The settings a container runs with: Berth's spec label, or rebuilt from inspect for a foreign one. */
export async function currentSpec(
  connection: EngineHandle,
  id: string,
): Promise<{ info: Dockerode.ContainerInspectInfo; spec: RunSpec }> {
  const info = await inspectRaw(connection, id);
  const image = await connection.docker
    .getImage(info.Config.Image)
    .inspect()
    .catch(() => undefined);
  return {
    info,
    spec: { ...(specFromLabel(info) ?? specFromInspect(info, image)), name: info.Name.replace(/^\//, '') },
  };
}

async function restore(old: Dockerode.Container, name: string, start: boolean): Promise<void> {
  await old.rename({ name }).catch(() => undefined);
  if (start) await old.start().catch(() => undefined);
}

function ignoreNotModified(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 304) throw error;
}

import type Dockerode from 'dockerode';
import type { ContainerDetail, ContainerSummary } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { mapLimited } from '../engine/map-limited';
import { toBerthError } from '../errors';
import { detailFromInspect, summaryFromList } from './container-view';

const INSPECT_AT_ONCE = 8;

/**
 * Every container in any state, newest first. The list answer has everything the Containers view shows
 * (health is in its status, "Up 3 minutes (healthy)") except the start time the Uptime column ticks from,
 * which only inspect has: so only running and paused containers are inspected (the CLI's `ps` inspects
 * none, it prints the status once).
 */
export async function listContainers({ docker, endpoint }: EngineHandle): Promise<ContainerSummary[]> {
  let entries: Dockerode.ContainerInfo[];
  try {
    entries = await docker.listContainers({ all: true });
  } catch (error) {
    throw toBerthError(error, endpoint, 'containers');
  }
  const details = await inspectAll(docker, entries);
  return entries.map((entry, i) => summaryFromList(entry, details[i]));
}

/** One container by id or name, in the list's shape; NOT_FOUND when it does not exist. */
export async function containerSummary(connection: EngineHandle, id: string): Promise<ContainerSummary> {
  const info = await inspectRaw(connection, id);
  const entry = await listEntry(connection.docker, info.Id);
  if (!entry) throw toBerthError({ statusCode: 404, message: id }, connection.endpoint, 'container');
  return summaryFromList(entry, info);
}

export async function inspectContainer(connection: EngineHandle, id: string): Promise<ContainerDetail> {
  const info = await inspectRaw(connection, id);
  const entry = await listEntry(connection.docker, info.Id);
  return detailFromInspect(info, entry?.Status);
}

/** The engine's inspect answer, with a clear NOT_FOUND naming the container. */
export async function inspectRaw(
  { docker, endpoint }: EngineHandle,
  id: string,
): Promise<Dockerode.ContainerInspectInfo> {
  try {
    return await docker.getContainer(id).inspect();
  } catch (error) {
    throw toBerthError(error, endpoint, `container "${id}"`);
  }
}

async function listEntry(docker: Dockerode, id: string): Promise<Dockerode.ContainerInfo | undefined> {
  const entries = await docker.listContainers({ all: true, filters: { id: [id] } });
  return entries.find((e) => e.Id === id);
}

/** Inspect answers in list order; a container removed between list and inspect just keeps startedAt null. */
function inspectAll(
  docker: Dockerode,
  entries: Dockerode.ContainerInfo[],
): Promise<Array<Dockerode.ContainerInspectInfo | undefined>> {
  return mapLimited(entries, INSPECT_AT_ONCE, (entry) =>
    // Not up: the view shows the engine's status, not an uptime, so no inspect (a list of many exited or
    // created containers costs one request). A container removed between list and inspect keeps startedAt null.
    entry.State !== 'running' && entry.State !== 'paused'
      ? Promise.resolve(undefined)
      : docker
          .getContainer(entry.Id)
          .inspect()
          .catch(() => undefined),
  );
}

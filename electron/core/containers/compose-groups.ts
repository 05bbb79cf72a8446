/** Containers grouped by compose project and service, and start, stop or remove for a whole project. */
import type Dockerode from 'dockerode';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL, type ComposeGroup } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { engineMessage, toBerthError } from '../errors';

type Entry = Pick<Dockerode.ContainerInfo, 'Id' | 'Names' | 'State' | 'Labels'>;

/** Projects sorted by name, services by name, containers by name. Pure. */
export function composeGroups(entries: readonly Entry[]): ComposeGroup[] {
  const projects = new Map<string, Map<string, ComposeGroup['services'][number]['containers']>>();
  for (const entry of entries) {
    const project = entry.Labels?.[COMPOSE_PROJECT_LABEL];
    if (!project) continue;
    const service = entry.Labels?.[COMPOSE_SERVICE_LABEL] ?? '';
    const services = projects.get(project) ?? new Map();
    projects.set(project, services);
    const list = services.get(service) ?? [];
    services.set(service, list);
    list.push({
      id: entry.Id,
      name: (entry.Names?.[0] ?? entry.Id).replace(/^\//, ''),
      state: entry.State as ComposeGroup['services'][number]['containers'][number]['state'],
    });
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return [...projects.keys()].sort(byName).map((project) => ({
    project,
    services: [...(projects.get(project)?.entries() ?? [])]
      .sort(([a], [b]) => byName(a, b))
      .map(([service, containers]) => ({ service, containers: containers.sort((a, b) => byName(a.name, b.name)) })),
  }));
}

async function projectContainers(engine: EngineHandle, project?: string): Promise<Entry[]> {
  try {
    return await engine.docker.listContainers({
      all: true,
      filters: { label: [project ? `${COMPOSE_PROJECT_LABEL}=${project}` : COMPOSE_PROJECT_LABEL] },
    });
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'containers');
  }
}

export async function listComposeGroups(engine: EngineHandle): Promise<ComposeGroup[]> {
  return composeGroups(await projectContainers(engine));
}

/**
 * Starts, stops or removes every container of one compose project; reports each one that failed. With `ids`
 * (a remove, from the API), only those of them: a container that joined the project since the user confirmed
 * is left alone, and one that left it is not touched; both are reported.
 */
export async function composeGroupAction(
  engine: EngineHandle,
  project: string,
  action: 'start' | 'stop' | 'remove',
  ids?: readonly string[],
): Promise<{ done: string[]; failed: Array<{ id: string; message: string }> }> {
  const all = await projectContainers(engine, project);
  const confirmed = (id: string) => ids === undefined || ids.some((short) => id.startsWith(short));
  const entries = all.filter((entry) => confirmed(entry.Id));
  const done: string[] = [];
  const failed: Array<{ id: string; message: string }> = [
    ...all
      .filter((entry) => !confirmed(entry.Id))
      .map((entry) => ({ id: entry.Id, message: `not among the containers you confirmed: left as it is` })),
    ...(ids ?? [])
      .filter((id) => !all.some((entry) => entry.Id.startsWith(id)))
      .map((id) => ({ id, message: `no longer in project ${project}: left as it is` })),
  ];
  await Promise.all(
    entries.map(async (entry) => {
      const container = engine.docker.getContainer(entry.Id);
      try {
        if (action === 'start') await container.start();
        else if (action === 'stop') await container.stop({ t: 10 });
        else await container.remove({ force: true });
        done.push(entry.Id);
      } catch (error) {
        // 304: already started or stopped, which is what was asked.
        if ((error as { statusCode?: number }).statusCode === 304) done.push(entry.Id);
        else failed.push({ id: entry.Id, message: engineMessage(error) });
      }
    }),
  );
  return { done, failed };
}

/**
 * Swarm services through the engine: whether it is a manager, the services with their tasks, deploy (create,
 * or roll out a new image), scale and remove (service logs: service-logs.ts). Every call first checks the engine is a
 * Swarm manager, and says so with the fix when it is not.
 */
import type Dockerode from 'dockerode';
import {
  BerthError,
  invalidInput,
  type ServiceDeployInput,
  ServiceDeployRequest,
  type ServiceTask,
  type SwarmService,
  type SwarmStatus,
} from '../../contract';
import { requireImage } from '../containers/run-checks';
import { currentCapabilities } from '../engine/capabilities';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { serviceSpec } from './swarm-spec';

const NOT_MANAGER_FIX =
  "Run Berth against a Swarm manager: `docker swarm init` makes this engine one, or switch to a manager's context.";

/** Whether the Services view can work on this engine, and if not why. */
export async function swarmStatus(engine: EngineHandle): Promise<SwarmStatus> {
  try {
    const caps = await currentCapabilities(engine);
    if (caps.swarmManager) return { manager: true, reason: null };
    return {
      manager: false,
      reason: caps.podman
        ? 'Podman has no Swarm mode.'
        : 'This engine is not a Swarm manager (`docker swarm init` makes it one).',
    };
  } catch (error) {
    return { manager: false, reason: toBerthError(error, engine.endpoint).message };
  }
}

export async function requireManager(engine: EngineHandle): Promise<void> {
  const status = await swarmStatus(engine);
  if (!status.manager) throw new BerthError('UNSUPPORTED', status.reason ?? 'Not a Swarm manager.', NOT_MANAGER_FIX);
}

interface RawTask {
  ID: string;
  Slot?: number;
  ServiceID: string;
  UpdatedAt?: string;
  DesiredState?: string;
  Spec?: { ContainerSpec?: { Image?: string } };
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string };
    PortStatus?: { Ports?: Array<{ TargetPort?: number; PublishedPort?: number }> };
  };
}

export interface RawService {
  ID: string;
  Version?: { Index?: number };
  Spec?: {
    Name?: string;
    Mode?: { Replicated?: { Replicas?: number } };
    TaskTemplate?: { ContainerSpec?: { Image?: string } };
  } & Record<string, unknown>;
  UpdateStatus?: { State?: string; Message?: string };
}

/** Swarm pins the image digest it resolved (`name:tag@sha256:...`); the name as given reads better. */
const withoutDigest = (image: string): string => image.replace(/@sha256:[0-9a-f]{64}$/, '');

/**
 * A task's published ports, each once: the engine lists a host-mode port once per address family it bound
 * (the same host port for IPv4 and IPv6).
 */
function publishedPorts(ports: Array<{ TargetPort?: number; PublishedPort?: number }>): ServiceTask['ports'] {
  const seen = new Map<string, ServiceTask['ports'][number]>();
  for (const p of ports) {
    if (p.TargetPort && p.PublishedPort) {
      seen.set(`${p.TargetPort}:${p.PublishedPort}`, { containerPort: p.TargetPort, hostPort: p.PublishedPort });
    }
  }
  return [...seen.values()];
}

function taskOf(raw: RawTask): ServiceTask {
  const status = raw.Status ?? {};
  return {
    id: raw.ID,
    slot: raw.Slot ?? null,
    image: withoutDigest(raw.Spec?.ContainerSpec?.Image ?? ''),
    state: status.State ?? 'unknown',
    desiredState: raw.DesiredState ?? 'unknown',
    message: status.Message ?? '',
    error: status.Err || null,
    containerId: status.ContainerStatus?.ContainerID || null,
    ports: publishedPorts(status.PortStatus?.Ports ?? []),
    updatedAt: raw.UpdatedAt ? Date.parse(raw.UpdatedAt) : 0,
  };
}

function serviceOf(raw: RawService, tasks: RawTask[]): SwarmService {
  const own = tasks
    .filter((t) => t.ServiceID === raw.ID)
    .map(taskOf)
    .sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || b.updatedAt - a.updatedAt);
  return {
    id: raw.ID,
    name: raw.Spec?.Name ?? raw.ID,
    image: withoutDigest(raw.Spec?.TaskTemplate?.ContainerSpec?.Image ?? ''),
    replicas: raw.Spec?.Mode?.Replicated?.Replicas ?? 0,
    running: own.filter((t) => t.state === 'running' && t.desiredState === 'running').length,
    update: raw.UpdateStatus?.State ? { state: raw.UpdateStatus.State, message: raw.UpdateStatus.Message ?? '' } : null,
    tasks: own,
  };
}

/** Every service with its tasks (current and recent history, as `docker service ps` shows). */
export async function listServices(engine: EngineHandle): Promise<SwarmService[]> {
  await requireManager(engine);
  try {
    const [services, tasks] = await Promise.all([
      engine.docker.listServices() as Promise<RawService[]>,
      engine.docker.listTasks() as Promise<RawTask[]>,
    ]);
    return services.map((s) => serviceOf(s, tasks)).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'service');
  }
}

export async function findService(docker: Dockerode, ref: string): Promise<RawService | null> {
  try {
    return (await docker.getService(ref).inspect()) as RawService;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}

/** One service with its tasks; NOT_FOUND when there is none of that id or name. */
export async function inspectService(engine: EngineHandle, ref: string): Promise<SwarmService> {
  await requireManager(engine);
  try {
    const raw = await findService(engine.docker, ref);
    if (!raw) throw notFound(ref);
    const tasks = (await engine.docker.listTasks({ filters: { service: [raw.ID] } })) as RawTask[];
    return serviceOf(raw, tasks);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `service "${ref}"`);
  }
}

export const notFound = (ref: string) =>
  new BerthError('NOT_FOUND', `There is no service "${ref}" on this swarm.`, 'Pick a service from the Services view.');

/**
 * Deploys the image: creates the service, or, when one of that name exists, rolls it out to the new spec
 * (the engine then updates one task at a time and rolls back by itself if a new task fails).
 */
export async function deployService(engine: EngineHandle, input: ServiceDeployInput): Promise<SwarmService> {
  const parsed = ServiceDeployRequest.safeParse(input);
  if (!parsed.success) throw invalidInput('service deploy', parsed.error.issues);
  const request = parsed.data;
  await requireManager(engine);
  await requireImage(engine, request.image);
  const spec = serviceSpec(request, engine.labels);
  try {
    const existing = await findService(engine.docker, request.name);
    if (existing) {
      await engine.docker
        .getService(existing.ID)
        .update({ ...spec, version: existing.Version?.Index } as unknown as Dockerode.ServiceSpec);
    } else {
      await engine.docker.createService(spec as unknown as Dockerode.ServiceSpec);
    }
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `service "${request.name}"`);
  }
  return inspectService(engine, request.name);
}

/** Sets the replica count; the rest of the spec is kept as it is. */
export async function scaleService(engine: EngineHandle, ref: string, replicas: number): Promise<SwarmService> {
  await requireManager(engine);
  try {
    const raw = await findService(engine.docker, ref);
    if (!raw?.Spec) throw notFound(ref);
    const spec = { ...raw.Spec, Mode: { Replicated: { Replicas: replicas } } };
    await engine.docker.getService(raw.ID).update({ ...spec, version: raw.Version?.Index } as Dockerode.ServiceSpec);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `service "${ref}"`);
  }
  return inspectService(engine, ref);
}

export async function removeService(engine: EngineHandle, ref: string): Promise<void> {
  await requireManager(engine);
  try {
    const raw = await findService(engine.docker, ref);
    if (!raw) throw notFound(ref);
    await engine.docker.getService(raw.ID).remove();
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `service "${ref}"`);
  }
}

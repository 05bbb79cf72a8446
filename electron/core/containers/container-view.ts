import type Dockerode from 'dockerode';
import type { ContainerDetail, ContainerSummary, PortBinding } from '../../contract';

type Health = ContainerSummary['health'];
type State = ContainerSummary['state'];

const STATES = new Set<string>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

/** Health from the engine's human status: "Up 3 minutes (healthy)", "(health: starting)", "(unhealthy)". */
export function healthFromStatus(status: string): Health {
  if (/\(health: starting\)/.test(status)) return 'starting';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(healthy\)/.test(status)) return 'healthy';
  return null;
}

/** Health from inspect's State.Health.Status ("none" or missing means no health check). */
export function healthFromInspect(status: string | undefined): Health {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : null;
}

/** ms since the epoch from an engine time; the zero time ("0001-01-01T00:00:00Z") means never. */
export function engineTime(value: string | undefined): number | null {
  if (!value || value.startsWith('0001-')) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function protocolOf(value: string | undefined): PortBinding['protocol'] {
  return value === 'udp' || value === 'sctp' ? value : 'tcp';
}

function stateOf(value: string | undefined): State {
  return value && STATES.has(value) ? (value as State) : 'dead';
}

/** Published ports from a list entry; exposed-only ports (no host port) are left out. */
export function portsFromList(ports: Dockerode.Port[]): PortBinding[] {
  return ports
    .filter((p) => p.PublicPort)
    .map((p) => ({
      hostIp: p.IP || '0.0.0.0',
      hostPort: p.PublicPort,
      containerPort: p.PrivatePort,
      protocol: protocolOf(p.Type),
    }));
}

type PortMap = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null | undefined>;

/** Port bindings from inspect's `NetworkSettings.Ports` (running) or `HostConfig.PortBindings` (configured). */
export function portsFromMap(map: PortMap | null | undefined): PortBinding[] {
  const bindings: PortBinding[] = [];
  for (const [key, hosts] of Object.entries(map ?? {})) {
    const [port, protocol] = key.split('/');
    for (const host of hosts ?? []) {
      const hostPort = Number(host.HostPort);
      if (!hostPort) continue;
      bindings.push({
        hostIp: host.HostIp || '0.0.0.0',
        hostPort,
        containerPort: Number(port),
        protocol: protocolOf(protocol),
      });
    }
  }
  return bindings;
}

export function summaryFromInspect(info: Dockerode.ContainerInspectInfo, status = ''): ContainerSummary {
  const running = info.State.Running;
  const ports = portsFromMap(running ? info.NetworkSettings.Ports : info.HostConfig.PortBindings);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    state: stateOf(info.State.Status),
    status: status || describeState(info),
    health: healthFromInspect(info.State.Health?.Status),
    created: engineTime(info.Created) ?? 0,
    startedAt: engineTime(info.State.StartedAt),
    ports: running ? ports : [],
  };
}

/** A summary from a list entry, with startedAt (and health, if the list had none) from inspect when given. */
export function summaryFromList(
  entry: Dockerode.ContainerInfo,
  info?: Dockerode.ContainerInspectInfo,
): ContainerSummary {
  return {
    id: entry.Id,
    name: (entry.Names[0] ?? '').replace(/^\//, ''),
    image: entry.Image,
    imageId: entry.ImageID,
    state: stateOf(entry.State),
    status: entry.Status,
    health: healthFromStatus(entry.Status) ?? healthFromInspect(info?.State.Health?.Status),
    created: entry.Created * 1000,
    startedAt: info ? engineTime(info.State.StartedAt) : null,
    ports: portsFromList(entry.Ports ?? []),
  };
}

export function detailFromInspect(info: Dockerode.ContainerInspectInfo, status = ''): ContainerDetail {
  return {
    ...summaryFromInspect(info, status),
    env: info.Config.Env ?? [],
    command: [info.Path, ...(info.Args ?? [])].filter((part) => part !== ''),
    mounts: (info.Mounts ?? []).map((m) => ({
      type: m.Type ?? 'bind',
      source: m.Source,
      destination: m.Destination,
      ...(m.Name ? { name: m.Name } : {}),
    })),
    exitCode: info.State.Running ? null : info.State.ExitCode,
    finishedAt: engineTime(info.State.FinishedAt),
  };
}

function describeState(info: Dockerode.ContainerInspectInfo): string {
  const state = info.State;
  if (state.Running) return state.Paused ? 'Paused' : 'Up';
  if (state.Status === 'exited') return `Exited (${state.ExitCode})`;
  return state.Status.charAt(0).toUpperCase() + state.Status.slice(1);
}

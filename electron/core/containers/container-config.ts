import type Dockerode from 'dockerode';
import { RestartPolicy, RunSpec } from '../../contract';
import { portsFromMap } from './container-view';

/** Labels Berth puts on the containers it creates. */
export const BERTH_LABEL = 'io.berth.managed';
/** The RunSpec a container was created from, as JSON, so it can be recreated exactly. */
export const SPEC_LABEL = 'io.berth.spec';

/** Volumes the engine named itself (an image's VOLUME); they go with the old container. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

const portKey = (p: RunSpec['ports'][number]) => `${p.containerPort}/${p.protocol}`;

/** The engine's create request for a checked RunSpec, with `labels` added to Berth's own. */
export function createOptions(
  spec: RunSpec,
  labels: Readonly<Record<string, string>> = {},
): Dockerode.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const port of spec.ports) {
    exposed[portKey(port)] = {};
    bindings[portKey(port)] = [
      ...(bindings[portKey(port)] ?? []),
      { HostIp: port.hostIp, HostPort: String(port.hostPort) },
    ];
  }
  return {
    ...(spec.name ? { name: spec.name } : {}),
    Image: spec.image,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    ...(spec.command ? { Cmd: spec.command } : {}),
    ExposedPorts: exposed,
    Labels: { ...labels, [BERTH_LABEL]: 'true', [SPEC_LABEL]: JSON.stringify(spec) },
    HostConfig: {
      PortBindings: bindings,
      Binds: spec.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`),
      ...(spec.restart ? { RestartPolicy: { Name: spec.restart } } : {}),
    },
  };
}

/** The RunSpec stored on a container Berth created, or null (foreign container, or a label that no longer parses). */
export function specFromLabel(info: Dockerode.ContainerInspectInfo): RunSpec | null {
  const raw = info.Config.Labels?.[SPEC_LABEL];
  if (!raw) return null;
  try {
    const parsed = RunSpec.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A RunSpec rebuilt from inspect, for containers Berth did not create: env and command only where they
 * differ from the image's defaults (so a rebuilt image's new defaults apply), the configured port bindings,
 * and named volumes and bind mounts.
 */
export function specFromInspect(info: Dockerode.ContainerInspectInfo, image?: Dockerode.ImageInspectInfo): RunSpec {
  const imageEnv = new Set(image?.Config.Env ?? []);
  const env: Record<string, string> = {};
  for (const entry of info.Config.Env ?? []) {
    if (imageEnv.has(entry)) continue;
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const cmd = info.Config.Cmd ?? [];
  const imageCmd = image?.Config.Cmd ?? [];
  const restart = RestartPolicy.safeParse(info.HostConfig.RestartPolicy?.Name);
  const sameCmd = cmd.length === imageCmd.length && cmd.every((part, i) => part === imageCmd[i]);
  return RunSpec.parse({
    image: info.Config.Image,
    name: info.Name.replace(/^\//, ''),
    env,
    ports: portsFromMap(info.HostConfig.PortBindings)
      .filter((p) => p.protocol !== 'sctp')
      .map((p) => ({ ...p, hostIp: p.hostIp || '0.0.0.0' })),
    volumes: (info.Mounts ?? [])
      .filter((m) => m.Type === 'bind' || (m.Type === 'volume' && m.Name && !ANONYMOUS_VOLUME.test(m.Name)))
      .map((m) => ({ source: m.Type === 'volume' ? m.Name! : m.Source, target: m.Destination, readOnly: !m.RW })),
    ...(sameCmd || cmd.length === 0 ? {} : { command: cmd }),
    ...(restart.success && restart.data !== 'no' ? { restart: restart.data } : {}),
  });
}

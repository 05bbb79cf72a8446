import type { ContainerChangesInput, RunSpec } from '../../electron/contract';
import { parseVolume, portNumber } from './run-spec';

/** The edit form: one text per setting, each line one port, variable or volume. */
export interface EditFormValues {
  image: string;
  ports: string;
  env: string;
  volumes: string;
  restart: NonNullable<RunSpec['restart']>;
}

export function formValues(spec: RunSpec): EditFormValues {
  return {
    image: spec.image,
    ports: spec.ports.map((p) => `${p.hostIp}:${p.hostPort}:${p.containerPort}/${p.protocol}`).join('\n'),
    env: Object.entries(spec.env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    volumes: spec.volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`).join('\n'),
    restart: spec.restart ?? 'no',
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** "8080:3000", "127.0.0.1:8080:3000" or "0.0.0.0:8080:3000/udp"; what cannot be read is sent as is for the contract to refuse. */
function parsePort(line: string): NonNullable<ContainerChangesInput['ports']>[number] {
  const [body = '', protocol = 'tcp'] = line.split('/');
  const parts = body.split(':');
  const containerPort = portNumber(parts.pop() ?? '');
  const hostPort = portNumber(parts.pop() ?? '');
  const hostIp = parts.length > 0 ? parts.join(':') : '127.0.0.1';
  return { hostIp, hostPort, containerPort, protocol: protocol as 'tcp' };
}

/** Only the settings that differ from the current ones, as changes for containers.edit. */
export function changesFrom(current: RunSpec, values: EditFormValues): ContainerChangesInput {
  const was = formValues(current);
  const changes: ContainerChangesInput = {};
  if (values.image.trim() !== was.image) changes.image = values.image.trim();
  if (values.ports !== was.ports) changes.ports = lines(values.ports).map(parsePort);
  if (values.env !== was.env)
    changes.env = Object.fromEntries(
      lines(values.env).map((l) => {
        const at = l.indexOf('=');
        return at < 0 ? [l, ''] : [l.slice(0, at), l.slice(at + 1)];
      }),
    );
  if (values.volumes !== was.volumes) changes.volumes = lines(values.volumes).flatMap((l) => parseVolume(l) ?? []);
  if (values.restart !== was.restart) changes.restart = values.restart;
  return changes;
}

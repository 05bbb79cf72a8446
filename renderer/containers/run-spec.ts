import { type ErrorShape, fieldsFromIssues, RunSpec, type RunSpecInput } from '../../electron/contract';
import { type KeyValue, toRecord } from '../ui/KeyValueRows';

export interface RunFormValues {
  image: string;
  name: string;
  port: string;
  hostPort: string;
  env: KeyValue[];
  volume: string;
}

/** "notas-data:/data" or "/srv/notes:/data:ro" → a volume mount; empty → none. */
export function parseVolume(text: string): RunSpecInput['volumes'] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const readOnly = trimmed.endsWith(':ro');
  const body = readOnly ? trimmed.slice(0, -3) : trimmed.replace(/:rw$/, '');
  const split = body.lastIndexOf(':/');
  if (split <= 0) return [{ source: body, target: '' }];
  return [{ source: body.slice(0, split), target: body.slice(split + 1), readOnly }];
}

/**
 * A port typed in the form: plain decimal digits become a number; anything else (hex, "8080abc", a blank)
 * becomes NaN, which the contract refuses with "port must be a number" instead of guessing.
 */
export function portNumber(text: string): number {
  const trimmed = text.trim();
  return /^[0-9]{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The form as the tutorial's `docker run -e PORT=$PORT -p HOST_PORT:PORT -v VOLUME IMAGE`. */
export function toRunSpec(values: RunFormValues): RunSpecInput {
  const env = toRecord(values.env);
  if (values.port.trim()) env.PORT = values.port.trim();
  return {
    image: values.image.trim(),
    ...(values.name.trim() && { name: values.name.trim() }),
    env,
    ports: values.hostPort.trim()
      ? [{ hostIp: '127.0.0.1', hostPort: portNumber(values.hostPort), containerPort: portNumber(values.port || '0') }]
      : [],
    volumes: parseVolume(values.volume),
  };
}

/** Check the spec against the contract before sending it; field errors come back keyed like the backend's. */
export function validateRunSpec(spec: RunSpecInput): ErrorShape | null {
  const result = RunSpec.safeParse(spec);
  if (result.success) return null;
  const fields = fieldsFromIssues(result.error.issues);
  return { code: 'INVALID_INPUT', message: 'Some settings are not valid.', fix: 'Correct the marked fields.', fields };
}

/** Where a field error belongs in the form. */
export function formField(key: string): 'image' | 'name' | 'port' | 'hostPort' | 'volume' | `env:${string}` | 'other' {
  if (key === 'image' || key === 'name') return key;
  if (/^ports\.\d+\.hostPort$/.test(key) || key === 'hostPort') return 'hostPort';
  if (/^ports\.\d+\.containerPort$/.test(key) || key === 'env.PORT') return 'port';
  if (key.startsWith('volumes')) return 'volume';
  if (key.startsWith('env.')) return `env:${key.slice(4)}`;
  return 'other';
}

export function errorsByFormField(error: ErrorShape | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, messages] of Object.entries(error?.fields ?? {})) {
    const field = formField(key);
    if (!out[field] && messages[0]) out[field] = messages[0];
  }
  return out;
}

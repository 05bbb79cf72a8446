import type { ServiceDeployInput } from '../../electron/contract';
import { portNumber, type RunFormValues, toRunSpec } from '../containers/run-spec';

/**
 * A deploy from the same run settings as `containers.run` (toRunSpec): image, environment (PORT among it) and
 * the container port. The host port is left to the engine, one per task, so it is not taken from the form.
 */
export function toServiceDeploy(values: RunFormValues, replicas: string): ServiceDeployInput {
  const spec = toRunSpec({ ...values, hostPort: '' });
  const port = values.port.trim();
  return {
    name: values.name.trim(),
    image: spec.image,
    env: spec.env ?? {},
    containerPorts: port ? [portNumber(port)] : [],
    replicas: portNumber(replicas),
  };
}

/** How a task state reads as a badge tone: running is good, failed/rejected bad, the way there neutral. */
export function taskTone(state: string): 'good' | 'bad' | 'info' | 'muted' {
  if (state === 'running') return 'good';
  if (state === 'failed' || state === 'rejected' || state === 'orphaned') return 'bad';
  if (state === 'shutdown' || state === 'complete' || state === 'remove') return 'muted';
  return 'info';
}

/** The rolling update's state as a badge tone: a rollback is a warning, a paused update bad. */
export function updateTone(state: string): 'good' | 'warn' | 'bad' | 'info' {
  if (state === 'completed') return 'good';
  if (state.startsWith('rollback')) return 'warn';
  if (state === 'paused' || state === 'rollback_paused') return 'bad';
  return 'info';
}

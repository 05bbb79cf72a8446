/**
 * The Swarm service spec for a deploy (pure): a replicated service of the built image, its environment and
 * container ports from the run settings, each port published in host mode with no fixed host port (the
 * ingress routing mesh does not answer on every machine, and two tasks on one node cannot share a host port),
 * and a rolling update gated by the image's HEALTHCHECK: one task at a time, the new one started first and
 * watched for `monitorMs`; a task that fails (unhealthy counts) rolls the whole service back.
 */
import type { ServiceDeployRequest } from '../../contract';

/** The label on every service Berth deploys, so the Services view and clean-up can tell them apart. */
export const SERVICE_LABEL = 'io.berth.service';

const NS_PER_MS = 1_000_000;

export interface ServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: { Image: string; Env: string[]; Labels: Record<string, string> };
    RestartPolicy: { Condition: 'any' | 'on-failure' | 'none'; MaxAttempts?: number };
  };
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig: UpdatePolicy;
  RollbackConfig: UpdatePolicy;
  EndpointSpec: { Mode: 'vip'; Ports: Array<{ Protocol: 'tcp'; TargetPort: number; PublishMode: 'host' }> };
}

interface UpdatePolicy {
  Parallelism: number;
  Delay: number;
  FailureAction: 'rollback' | 'pause' | 'continue';
  Monitor: number;
  MaxFailureRatio: number;
  Order: 'start-first' | 'stop-first';
}

export function serviceSpec(request: ServiceDeployRequest, labels: Readonly<Record<string, string>> = {}): ServiceSpec {
  const allLabels = { ...labels, [SERVICE_LABEL]: 'true' };
  const policy = (FailureAction: UpdatePolicy['FailureAction']): UpdatePolicy => ({
    Parallelism: 1,
    Delay: 0,
    FailureAction,
    Monitor: request.monitorMs * NS_PER_MS,
    MaxFailureRatio: 0,
    // The new task starts before the old one stops: the service never drops below its replica count, which
    // works because no two tasks share a host port.
    Order: 'start-first',
  });
  return {
    Name: request.name,
    Labels: allLabels,
    TaskTemplate: {
      ContainerSpec: {
        Image: request.image,
        Env: Object.entries(request.env).map(([k, v]) => `${k}=${v}`),
        Labels: allLabels,
      },
      RestartPolicy: { Condition: 'any' },
    },
    Mode: { Replicated: { Replicas: request.replicas } },
    UpdateConfig: policy('rollback'),
    RollbackConfig: policy('pause'),
    EndpointSpec: {
      Mode: 'vip',
      Ports: request.containerPorts.map((TargetPort) => ({ Protocol: 'tcp', TargetPort, PublishMode: 'host' })),
    },
  };
}

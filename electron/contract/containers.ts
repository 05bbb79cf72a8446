/** Containers: the list, one container in detail, and the settings to run one. */
import { z } from 'zod';
import { ContainerName, ContainerPath, HostIp, Port, VolumeSource } from './ids';
import { ImageRef } from './image-reference';
import { Millis } from './shapes';

export const PortBinding = z.object({
  hostIp: z.string(),
  hostPort: z.number(),
  containerPort: z.number(),
  protocol: z.enum(['tcp', 'udp', 'sctp']),
});
export type PortBinding = z.infer<typeof PortBinding>;

export const ContainerState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export const ContainerSummary = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  state: ContainerState,
  status: z.string().describe('the engine\'s human status, e.g. "Up 3 minutes (healthy)"'),
  health: z.enum(['starting', 'healthy', 'unhealthy']).nullable(),
  created: Millis,
  startedAt: Millis.nullable(),
  ports: z.array(PortBinding),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerDetail = ContainerSummary.extend({
  env: z.array(z.string()),
  command: z.array(z.string()),
  mounts: z.array(
    z.object({ type: z.string(), source: z.string(), destination: z.string(), name: z.string().optional() }),
  ),
  exitCode: z.number().nullable(),
  finishedAt: Millis.nullable(),
});
export type ContainerDetail = z.infer<typeof ContainerDetail>;

export const RestartPolicy = z.enum(['no', 'always', 'unless-stopped', 'on-failure']);
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const RunSpec = z
  .object({
    image: ImageRef,
    name: ContainerName.optional(),
    env: z.record(z.string().regex(/^[^=\0]+$/, 'env names must not contain "="'), z.string()).default({}),
    ports: z
      .array(
        z.object({
          hostIp: HostIp.default('127.0.0.1'),
          hostPort: Port,
          containerPort: Port,
          protocol: z.enum(['tcp', 'udp']).default('tcp'),
        }),
      )
      .default([]),
    volumes: z
      .array(
        z.object({
          source: VolumeSource.describe('a named volume or an absolute host path'),
          target: ContainerPath,
          readOnly: z.boolean().default(false),
        }),
      )
      .default([]),
    command: z.array(z.string()).optional(),
    /** The engine's restart policy; left out means "no". */
    restart: RestartPolicy.optional(),
  })
  .strict();
export type RunSpec = z.infer<typeof RunSpec>;
export type RunSpecInput = z.input<typeof RunSpec>;

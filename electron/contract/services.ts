/**
 * Swarm services (issue 13): the Services view, deploy as a replicated service, scale, service logs.
 * Pure schemas, shared by core, api and renderer.
 */
import { z } from 'zod';
import { RunSpec } from './containers';
import { Port } from './ids';
import { ImageRef } from './image-reference';

/** Service names become DNS names inside the swarm: letters, digits and inner dashes, at most 63. */
const SERVICE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
/** Swarm object ids: 25 lower-case letters and digits. */
const SWARM_ID = /^[a-z0-9]{25}$/;

export const ServiceName = z
  .string({ message: 'the service name must be text' })
  .regex(SERVICE_NAME, 'a service name is 1–63 letters, digits and dashes, starting and ending with a letter or digit');

export const ServiceRef = z
  .string({ message: 'the service id or name must be text' })
  .refine((text) => SWARM_ID.test(text) || SERVICE_NAME.test(text), 'not a service id or name');

/** At most this many replicas: one machine here, and a typo (1000) should not start a thousand tasks. */
export const MAX_REPLICAS = 64;
export const Replicas = z
  .number({ message: 'replicas must be a number' })
  .int('replicas must be a whole number')
  .min(0, 'replicas must be 0 or more')
  .max(MAX_REPLICAS, `at most ${MAX_REPLICAS} replicas`);

/**
 * Deploy an image as a replicated service, from the same run settings as `containers.run`: the image, the
 * environment (PORT among it) and each port's container port. Host ports are not fixed: two tasks on one node
 * cannot share one, so the engine gives each task its own (mode=host) and the Services view shows it.
 * Deploying a name that exists rolls the service out to the image, gated by the image's HEALTHCHECK.
 */
export const ServiceDeployRequest = z
  .object({
    name: ServiceName,
    image: ImageRef,
    env: RunSpec.shape.env,
    containerPorts: z.array(Port).max(16).default([]),
    replicas: Replicas.default(1),
    /** How long each new task is watched after it starts before the next is updated (ms). */
    monitorMs: z.number().int().min(1000).max(600_000).default(30_000),
  })
  .strict();
export type ServiceDeployRequest = z.infer<typeof ServiceDeployRequest>;
export type ServiceDeployInput = z.input<typeof ServiceDeployRequest>;

/** Swarm's task states (docker service ps), from `new` to `orphaned`. */
export const TaskState = z
  .string()
  .describe(
    'new, pending, assigned, accepted, preparing, starting, running, complete, failed, shutdown, rejected, ...',
  );

export const ServiceTask = z.object({
  id: z.string(),
  slot: z.number().nullable(),
  image: z.string(),
  state: TaskState,
  desiredState: z.string(),
  message: z.string(),
  error: z.string().nullable(),
  containerId: z.string().nullable(),
  /** The host ports this task published (mode=host), `{containerPort, hostPort}`. */
  ports: z.array(z.object({ containerPort: z.number(), hostPort: z.number() })),
  updatedAt: z.number(),
});
export type ServiceTask = z.infer<typeof ServiceTask>;

export const SwarmService = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  replicas: z.number().describe('desired'),
  running: z.number(),
  /** The rolling update's state, as the engine says it: updating, completed, rollback_started, rollback_completed, paused, ... */
  update: z.object({ state: z.string(), message: z.string() }).nullable(),
  tasks: z.array(ServiceTask),
});
export type SwarmService = z.infer<typeof SwarmService>;

/** Whether the Services view can work, and if not why. */
export const SwarmStatus = z.object({
  manager: z.boolean(),
  reason: z.string().nullable(),
});
export type SwarmStatus = z.infer<typeof SwarmStatus>;

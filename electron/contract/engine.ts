/** The engine: its connection status, docker contexts and normalised events. */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { Millis } from './shapes';

export const EngineStatus = z.object({
  state: z.enum(['connecting', 'connected', 'disconnected']),
  endpoint: z.string().describe('e.g. unix:///var/run/docker.sock or tcp://host:2376'),
  context: z.string().describe('docker context name, "default" when none'),
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  os: z.string().optional(),
  arch: z.string().optional(),
  buildkit: z
    .boolean()
    .nullable()
    .describe('whether the engine can run BuildKit builds; null while unknown (the engine is not connected)'),
  podman: z.boolean().optional().describe('whether the engine is Podman (Version.Components "Podman Engine")'),
  swarmManager: z.boolean().optional().describe('whether the engine is a Swarm manager (Info.Swarm.ControlAvailable)'),
  buildkitMissing: z.string().optional().describe('why the engine has no BuildKit, when it has none'),
  portHost: z
    .string()
    .optional()
    .describe('the host a port published on all interfaces answers at: 127.0.0.1 for a local engine, else its host'),
  error: ErrorShape.optional(),
});
export type EngineStatus = z.infer<typeof EngineStatus>;

export const EngineContext = z.object({
  name: z.string(),
  endpoint: z.string(),
  description: z.string().optional(),
  current: z.boolean(),
});
export type EngineContext = z.infer<typeof EngineContext>;

/** One event from the engine's /events stream, normalised across old and new field names. */
export const EngineEvent = z.object({
  type: z.string().describe('container, image, volume, network, builder, ...'),
  action: z.string().describe('start, die, destroy, tag, delete, health_status: healthy, ...'),
  id: z.string(),
  name: z.string().optional(),
  attributes: z.record(z.string(), z.string()),
  time: Millis,
});
export type EngineEvent = z.infer<typeof EngineEvent>;

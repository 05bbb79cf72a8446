/** Editing a container: the settings that can change, and the diff shown before it is recreated. */
import { z } from 'zod';
import { RestartPolicy, RunSpec } from './containers';
import { ContainerRef } from './ids';

/** What an edit may change; anything left out stays as it is. Each field is checked as strictly as a run. */
export const ContainerChanges = z
  .object({
    image: RunSpec.shape.image.optional(),
    env: RunSpec.shape.env.unwrap().optional(),
    ports: RunSpec.shape.ports.unwrap().optional(),
    volumes: RunSpec.shape.volumes.unwrap().optional(),
    restart: RestartPolicy.optional(),
  })
  .strict();
export type ContainerChanges = z.infer<typeof ContainerChanges>;
export type ContainerChangesInput = z.input<typeof ContainerChanges>;

export const ContainerEditInput = z.object({ id: ContainerRef, changes: ContainerChanges }).strict();

/** One setting as text before and after, e.g. `ports` "127.0.0.1:8080->3000/tcp" → "127.0.0.1:8081->3000/tcp". */
export const SettingChange = z.object({
  setting: z.enum(['image', 'env', 'ports', 'volumes', 'restart']),
  removed: z.array(z.string()),
  added: z.array(z.string()),
});
export type SettingChange = z.infer<typeof SettingChange>;

export const ContainerEditPreview = z.object({
  name: z.string(),
  before: RunSpec,
  after: RunSpec,
  changes: z.array(SettingChange),
});
export type ContainerEditPreview = z.infer<typeof ContainerEditPreview>;

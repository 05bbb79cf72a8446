/** Compose groups: containers grouped by their compose project and service labels. */
import { z } from 'zod';
import { ContainerState } from './containers';
import { HEX_ID } from './ids';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** A compose project name as compose writes it: lowercase letters, digits, _ and -, starting with a letter or digit. */
export const ComposeProject = z
  .string({ message: 'the project name must be text' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,127}$/, 'a compose project name uses lowercase letters, digits, _ and -');

export const ComposeGroup = z.object({
  project: z.string(),
  services: z.array(
    z.object({
      service: z.string(),
      containers: z.array(z.object({ id: z.string(), name: z.string(), state: ContainerState })),
    }),
  ),
});
export type ComposeGroup = z.infer<typeof ComposeGroup>;

export const ComposeGroupAction = z
  .object({
    project: ComposeProject,
    action: z.enum(['start', 'stop', 'remove']),
    /** For a remove: the containers the user confirmed; one that joined the project since is left alone. */
    ids: z.array(z.string().regex(HEX_ID, 'a container id from the list')).max(1000).optional(),
  })
  .strict()
  .refine((input) => input.action !== 'remove' || input.ids !== undefined, {
    message: 'a remove names the containers that were confirmed',
    path: ['ids'],
  });

export const ComposeGroupResult = z.object({
  done: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});

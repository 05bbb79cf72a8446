/** Registries and pushes: credentials, the push request and the push model its stream carries. */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { RegistryHost } from './ids';
import { ImageRef } from './image-reference';

export const RegistryCredentials = z
  .object({
    registry: RegistryHost.describe('host[:port]; "docker.io" for Docker Hub'),
    username: z.string().min(1, 'enter a user name'),
    password: z.string().min(1, 'enter a password or access token'),
  })
  .strict();

export const PushRequest = z
  .object({
    source: ImageRef.describe('local image to push'),
    target: ImageRef.describe('full destination reference, e.g. 127.0.0.1:5000/notas-iv:1.0'),
    credentials: RegistryCredentials.optional().describe('omit to use saved credentials for the registry'),
  })
  .strict();
export type PushRequest = z.infer<typeof PushRequest>;

export const PushLayer = z.object({
  id: z.string(),
  status: z.enum(['waiting', 'preparing', 'pushing', 'pushed', 'exists', 'failed']),
  current: z.number(),
  total: z.number(),
});
export type PushLayer = z.infer<typeof PushLayer>;

/**
 * A push as it goes. `digest` and `size` are the registry's proof of success: set only when `state` is
 * 'succeeded' (and then `digest` always is), null in every other state, so a failed push never shows one.
 */
export const PushModel = z
  .object({
    pushId: z.string(),
    target: z.string(),
    state: z.enum(['checking', 'tagging', 'pushing', 'succeeded', 'failed']),
    layers: z.array(PushLayer),
    digest: z.string().nullable(),
    size: z.number().nullable(),
    failure: ErrorShape.nullable(),
  })
  .superRefine((model, ctx) => {
    if (model.state === 'succeeded' && model.digest === null) {
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'a succeeded push has a digest' });
    }
    if (model.state !== 'succeeded' && (model.digest !== null || model.size !== null)) {
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'only a succeeded push has a digest and size' });
    }
  });
export type PushModel = z.infer<typeof PushModel>;

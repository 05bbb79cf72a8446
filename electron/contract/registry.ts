/** Registries and pushes: credentials, the push request and the push model its stream carries. */
import { z } from 'zod';
import { LoginSource, RepositoryPage } from './credentials';
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
    alsoTags: z
      .array(z.string().regex(/^[\w][\w.-]{0,127}$/, 'a tag: letters, digits, _ . - (at most 128)'))
      .max(8, 'at most 8 more tags in one push')
      .optional()
      .describe('more tags of the same repository, pushed after the target one by one (e.g. ["latest"])'),
    allowOtherNamespace: z
      .boolean()
      .optional()
      .describe('push even when the namespace is not the logged-in user (e.g. an organisation)'),
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
/** One tag of a push, pushed after the previous one: how many layers it sent and how many were already there. */
export const TagPush = z
  .object({
    target: z.string(),
    state: z.enum(['waiting', 'pushing', 'succeeded', 'failed']),
    digest: z.string().nullable(),
    pushed: z.number(),
    existing: z.number(),
  })
  .strict();
export type TagPush = z.infer<typeof TagPush>;

export const PushModel = z
  .object({
    pushId: z.string(),
    target: z.string(),
    state: z.enum(['checking', 'tagging', 'pushing', 'succeeded', 'failed']),
    layers: z.array(PushLayer),
    digest: z.string().nullable(),
    size: z.number().nullable(),
    failure: ErrorShape.nullable(),
    /** Every tag of the push in order (the target first); `layers` are those of the tag being pushed. */
    tags: z.array(TagPush).optional(),
    /** The login the push used (never its secret): `typed` when given for this push only. */
    login: z
      .object({ username: z.string(), source: z.union([LoginSource, z.literal('typed')]) })
      .nullable()
      .optional(),
    /** Where the pushed repository can be seen, once the push succeeded. */
    page: RepositoryPage.nullable().optional(),
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

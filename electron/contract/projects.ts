/** Projects and their Dockerfiles: what the build form reads (dockerfile.read) and remembers (project.recent). */
import { z } from 'zod';
import { Millis } from './shapes';

/** A folder path typed or picked by the user: no NUL, of a sane length (core asks for an absolute one, with a fix). */
export const FolderPath = z
  .string()
  .min(1, 'choose a context folder')
  .max(4096, 'the folder path is too long')
  .refine((p) => !p.includes('\0'), 'the folder path must not contain a NUL character');

/** A Dockerfile path relative to the context folder. */
export const DockerfilePath = z
  .string()
  .min(1, 'name the Dockerfile')
  .max(1024, 'the Dockerfile path is too long')
  .refine((p) => !p.includes('\0'), 'the Dockerfile path must not contain a NUL character');

/** The Dockerfile's shape, as the build form and the text view need it. Lines are 1-based. */
export const DockerfileOutline = z.object({
  stages: z.array(
    z.object({
      index: z.number(),
      name: z.string().nullable().describe('the `AS name`, null for an unnamed stage'),
      base: z.string(),
      line: z.number(),
    }),
  ),
  args: z.array(
    z.object({
      name: z.string(),
      defaultValue: z.string().nullable().describe('null when the ARG declares no default'),
      line: z.number(),
      stage: z.number().nullable().describe('null for a global ARG before the first FROM'),
    }),
  ),
  instructions: z.array(
    z.object({
      keyword: z.string(),
      line: z.number(),
      endLine: z.number(),
      stage: z.number().nullable(),
    }),
  ),
});
export type DockerfileOutline = z.infer<typeof DockerfileOutline>;

export const DockerfileFile = z.object({
  contextDir: z.string().describe('the context folder, symlinks resolved'),
  dockerfile: z.string().describe('its path inside the context, with forward slashes'),
  text: z.string(),
  bytes: z.number(),
  /** The bundled notes service (Berth's default project): the form pre-fills its local base image. */
  bundled: z.boolean(),
  outline: DockerfileOutline,
});
export type DockerfileFile = z.infer<typeof DockerfileFile>;

export const RecentProject = z.object({
  contextDir: z.string(),
  dockerfile: z.string(),
  target: z.string().nullable(),
  usedAt: Millis,
});
export type RecentProject = z.infer<typeof RecentProject>;

/** Images: the list, one image in detail, and its layers. */
import { z } from 'zod';
import { Millis } from './shapes';

export const ImageSummary = z.object({
  id: z.string().describe('sha256:...'),
  tags: z.array(z.string()).describe('repo:tag; empty for a dangling image'),
  created: Millis,
  size: z.number(),
  containers: z.number().describe('containers using this image, in any state'),
  dangling: z.boolean(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const ImageDetail = ImageSummary.extend({
  architecture: z.string(),
  os: z.string(),
  env: z.array(z.string()),
  exposedPorts: z.array(z.string()).describe('e.g. 5000/tcp'),
  cmd: z.array(z.string()).nullable(),
  entrypoint: z.array(z.string()).nullable(),
  workingDir: z.string(),
  user: z.string(),
  volumes: z.array(z.string()),
  labels: z.record(z.string(), z.string()),
  healthcheck: z.array(z.string()).nullable(),
});
export type ImageDetail = z.infer<typeof ImageDetail>;

export const ImageLayer = z.object({
  index: z.number().describe('0 = bottom of the image'),
  diffId: z.string().nullable().describe('rootfs diff id; null for an empty layer'),
  createdBy: z.string(),
  instruction: z.string().describe('the Dockerfile instruction, e.g. "COPY service/src ./src"'),
  size: z.number(),
  empty: z.boolean().describe('metadata-only step: ENV, EXPOSE, CMD, ...'),
  created: Millis,
  comment: z.string().optional(),
  baseImage: z.string().optional().describe('the local base image this layer came from (its tag or short id)'),
});
export type ImageLayer = z.infer<typeof ImageLayer>;

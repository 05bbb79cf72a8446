/** Several containers' logs in one stream, interleaved by the engine's timestamps. */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { ContainerRef } from './ids';
import { ImageRef } from './image-reference';
import { LogLine } from './logs';
import { Millis } from './shapes';

/** Which containers to merge: named ones, a compose project, or every container of an image. */
export const LogSelection = z.discriminatedUnion('by', [
  z.object({ by: z.literal('containers'), ids: z.array(ContainerRef).min(1).max(50) }).strict(),
  z
    .object({
      by: z.literal('project'),
      project: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a compose project name: lower-case letters, digits, _ and -')
        .max(128),
    })
    .strict(),
  z.object({ by: z.literal('image'), image: ImageRef }).strict(),
]);
export type LogSelection = z.infer<typeof LogSelection>;

export const MergedLogsParams = z
  .object({
    selection: LogSelection,
    tail: z.number().int().min(0).max(100_000).default(1000),
    since: Millis.optional(),
    until: Millis.optional(),
    follow: z.boolean().default(true),
  })
  .strict()
  .refine((p) => p.since === undefined || p.until === undefined || p.since < p.until, {
    message: 'since must be before until',
    path: ['until'],
  })
  .refine((p) => p.until === undefined || !p.follow, {
    message: 'a range with an end (until) cannot be followed',
    path: ['follow'],
  });
export type MergedLogsParams = z.infer<typeof MergedLogsParams>;

/** A line of the merged stream: `source` indexes the `sources` event; `late` when it came after later lines. */
export const MergedLogLine = LogLine.extend({
  source: z.number().int().min(0),
  late: z.literal(true).optional().describe('arrived after the hold-back window, so shown out of order'),
});
export type MergedLogLine = z.infer<typeof MergedLogLine>;

export const MergedLogSource = z.object({ id: z.string(), name: z.string() });
export type MergedLogSource = z.infer<typeof MergedLogSource>;

export const MergedLogEvent = z.discriminatedUnion('kind', [
  /** First event: the containers being merged, in tag order. */
  z.object({ kind: z.literal('sources'), sources: z.array(MergedLogSource) }),
  z.object({ kind: z.literal('lines'), lines: z.array(MergedLogLine) }),
  /** One container's stream ended (the others go on). */
  z.object({
    kind: z.literal('source-end'),
    source: z.number().int().min(0),
    reason: z.enum(['container-stopped', 'container-removed', 'done']),
  }),
  z.object({ kind: z.literal('source-error'), source: z.number().int().min(0), error: ErrorShape }),
  z.object({ kind: z.literal('end'), reason: z.literal('done') }),
  /** One container's follow was interrupted (engine restart) and resumed: lines in between may be missing. */
  z.object({ kind: z.literal('gap'), source: z.number().int().min(0), from: Millis, to: Millis }),
  /** One container's log file rotated under its follow (see the `logs` stream's `rotated` event). */
  z.object({
    kind: z.literal('rotated'),
    source: z.number().int().min(0),
    from: Millis,
    to: Millis,
    missing: z.number().int().min(0),
    recovered: z.number().int().min(0),
  }),
]);
export type MergedLogEvent = z.infer<typeof MergedLogEvent>;

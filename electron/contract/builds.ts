/** Builds: the request, the step model the build stream carries, and the records of past builds. */
import { z } from 'zod';
import { CacheExplanation } from './cache-causes';
import { ErrorShape } from './errors';
import { StageName } from './ids';
import { ImageRef } from './image-reference';
import { Millis } from './shapes';

export const Builder = z.enum(['buildkit', 'legacy']);

/** The largest BuildKit secret Berth passes (BuildKit's own limit is 500 KB). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** A value passed as a BuildKit secret, read in the Dockerfile with `RUN --mount=type=secret,id=<id>`. */
export const BuildSecret = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/,
        'secret ids are letters, digits, _ . - (up to 128, not starting with a digit)',
      ),
    value: z
      .string()
      .min(1, 'give the secret a value')
      .refine(
        (v) => new TextEncoder().encode(v).length <= MAX_SECRET_BYTES,
        `a secret is at most ${MAX_SECRET_BYTES} bytes`,
      ),
  })
  .strict();
export type BuildSecret = z.infer<typeof BuildSecret>;
export type Builder = z.infer<typeof Builder>;

export const BuildRequest = z
  .object({
    contextDir: z.string().min(1, 'choose a context folder'),
    dockerfile: z.string().min(1).default('Dockerfile').describe('path relative to the context folder'),
    buildArgs: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build arg names are letters, digits and _'), z.string())
      .default({})
      .describe(
        'values stay readable in the image history; secret-looking ones (TOKEN, PASSWORD, KEY...) are masked in records and warned about',
      ),
    target: StageName.optional(),
    tags: z.array(ImageRef).default([]),
    noCache: z.boolean().default(false),
    builder: z.enum(['auto', 'buildkit', 'legacy']).default('auto'),
    secrets: z
      .array(BuildSecret)
      .max(32)
      .default([])
      .describe('passed as BuildKit secrets (never in the image history); in models and records the values are masked'),
  })
  .strict()
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.secrets.forEach((secret, index) => {
      if (seen.has(secret.id))
        ctx.addIssue({ code: 'custom', path: ['secrets', index, 'id'], message: `secret ${secret.id} is given twice` });
      if (Object.hasOwn(request.buildArgs, secret.id))
        ctx.addIssue({
          code: 'custom',
          path: ['secrets', index, 'id'],
          message: `${secret.id} is both a build arg and a secret: pass it one way (as a secret, it stays out of the image)`,
        });
      seen.add(secret.id);
    });
    if (request.secrets.length > 0 && request.builder === 'legacy')
      ctx.addIssue({
        code: 'custom',
        path: ['builder'],
        message: 'the legacy builder cannot take BuildKit secrets: build with BuildKit, or pass no secrets',
      });
  });
export type BuildRequest = z.infer<typeof BuildRequest>;
export type BuildRequestInput = z.input<typeof BuildRequest>;

/**
 * A step's verdict, as the engine gave it: `done` ran, `cached` reused the cache (or a local base image),
 * `error` failed, `metadata` changed only the image configuration (BuildKit reports no vertex for it),
 * `not-run` never ran in a build that has ended. `queued` and `running` only while the build runs.
 */
export const StepState = z.enum(['queued', 'running', 'cached', 'done', 'error', 'metadata', 'not-run']);
export type StepState = z.infer<typeof StepState>;

/** A line of build output. The legacy builder does not say which stream a line came from: `unknown`. */
export const BuildLogLine = z.object({
  stream: z.enum(['stdout', 'stderr', 'unknown']),
  text: z.string().describe('one line without its newline; carriage returns (progress redraws) kept'),
});
export type BuildLogLine = z.infer<typeof BuildLogLine>;

export const BuildStep = z.object({
  id: z.string().describe('stable within a build: "<builder>-<n>", n the instruction\'s place in the Dockerfile'),
  index: z.number().describe('order of the step in the build, from 0'),
  stage: z.string().nullable().describe('stage name ("build", "stage-2", ...) when known'),
  instruction: z.string().describe('e.g. "RUN npm ci --omit=dev"'),
  line: z.number().nullable().describe('1-based Dockerfile line of the instruction, when known'),
  metadataOnly: z.boolean().describe('the instruction changes only the image configuration: it costs no layer'),
  state: StepState,
  startedAt: Millis.nullable(),
  endedAt: Millis.nullable(),
  logs: z
    .array(BuildLogLine)
    .describe(
      'the tail of the step output (bounded; the last line may still grow); each stream in the order it was written, stdout against stderr in arrival order, which neither builder guarantees to be the order the process wrote them',
    ),
  logsDropped: z.number().describe('lines left out of `logs` because the tail is bounded'),
  error: z.string().nullable(),
  after: z
    .array(z.string())
    .optional()
    .describe(
      'ids of the steps whose results this one starts from (the previous step of its stage, a `FROM <stage>`, `COPY --from`, `RUN --mount=from`); for the legacy builder, the step before it. Absent in records older than the build timeline',
    ),
});
export type BuildStep = z.infer<typeof BuildStep>;

/** A step as it is before anything happened to it: queued, no times, no logs. */
export const queuedStep = (
  fields: Pick<BuildStep, 'id' | 'index' | 'stage' | 'instruction' | 'line'> &
    Partial<Pick<BuildStep, 'metadataOnly' | 'after'>>,
): BuildStep => ({
  metadataOnly: false,
  ...fields,
  state: 'queued',
  startedAt: null,
  endedAt: null,
  logs: [],
  logsDropped: 0,
  error: null,
});

export const BuildFailure = ErrorShape.extend({
  stepId: z.string().nullable(),
  exitCode: z.number().nullable(),
});

export const BuildModel = z.object({
  buildId: z.string(),
  request: BuildRequest,
  builder: Builder,
  state: z.enum(['preparing', 'sending', 'running', 'succeeded', 'failed', 'cancelled']),
  context: z.object({ bytes: z.number(), files: z.number() }).nullable(),
  steps: z.array(BuildStep),
  warnings: z.array(z.string()),
  startedAt: Millis,
  endedAt: Millis.nullable(),
  imageId: z.string().nullable(),
  failure: BuildFailure.nullable(),
  /** Set when the build's record could not be written; earlier records are untouched. */
  recordError: ErrorShape.optional(),
  /** Why each step missed the cache, against the previous build of the project; set when the build ends. */
  cacheCauses: CacheExplanation.optional(),
});
export type BuildModel = z.infer<typeof BuildModel>;

export const BuildRecordSummary = z.object({
  buildId: z.string(),
  at: Millis,
  durationMs: z.number(),
  builder: Builder,
  state: z.enum(['succeeded', 'failed', 'cancelled']),
  tags: z.array(z.string()),
  contextDir: z.string(),
  dockerfile: z.string(),
  target: z.string().nullable().describe('the target stage built; null for the last stage'),
  imageId: z.string().nullable(),
  cachedSteps: z.number(),
  totalSteps: z.number(),
  /** The first cause of a cache miss, in one line (see describeCause); null when nothing missed or none was recorded. */
  firstCause: z.string().nullable().optional(),
});
export type BuildRecordSummary = z.infer<typeof BuildRecordSummary>;

/**
 * Which project a build belongs to: its context folder, Dockerfile and target. Builds are compared (history's
 * change, cache comparisons) only with builds of the same project.
 */
export function projectKey(build: {
  contextDir: string;
  dockerfile: string;
  target?: string | null | undefined;
}): string {
  const dir = build.contextDir.replace(/[\\/]+$/, '') || '/';
  const dockerfile = build.dockerfile.replace(/^(?:\.\/)+/, '');
  return JSON.stringify([dir, dockerfile, build.target ?? null]);
}

/**
 * The build before `record` of the same project (context folder, Dockerfile and target), or undefined: a
 * build is only ever compared (time, cache hits, changed files) with an earlier build of its own project.
 */
export function previousOfSameProject<
  R extends { at: number; contextDir: string; dockerfile: string; target: string | null },
>(records: readonly R[], record: R): R | undefined {
  const key = projectKey(record);
  let best: R | undefined;
  for (const other of records) {
    if (other === record || other.at >= record.at || projectKey(other) !== key) continue;
    if (!best || other.at > best.at) best = other;
  }
  return best;
}

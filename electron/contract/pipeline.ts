/**
 * The ship pipeline (build → parity run → tag → push → deploy), platform-parity runs, and watch mode:
 * requests, the models their streams carry, and the history summaries. Pure (imported by the renderer).
 */
import { z } from 'zod';
import { BuildRequest } from './builds';
import {
  AzureLocation,
  AzurePlanName,
  AzureResourceGroup,
  AzureSiteName,
  AzureSubscriptionId,
  HerokuAppName,
} from './deploy';
import { ErrorShape } from './errors';
import { ContainerRef, RunId } from './ids';
import { ImageRef } from './image-reference';
import { RegistryCredentials } from './registry';
import { Millis } from './shapes';

/** The platforms a parity run imitates, and a deploy goes to. */
export const Platform = z.enum(['heroku', 'azure']);
export type Platform = z.infer<typeof Platform>;

/** The longest a parity run waits for the first HTTP answer by default. */
export const PARITY_DEADLINE_MS = 30_000;

export const ParityRequest = z
  .object({
    image: ImageRef,
    platform: Platform,
    deadlineMs: z.number().int().min(1000).max(600_000).default(PARITY_DEADLINE_MS),
    /** The app name in the platform variables (Azure's WEBSITE_SITE_NAME); the image's name by default. */
    appName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'app names are lowercase letters, digits and -')
      .optional(),
  })
  .strict();
export type ParityRequest = z.infer<typeof ParityRequest>;

/** A TCP socket listening inside the container, read from its /proc/net/tcp and tcp6. */
export const ListeningSocket = z.object({ address: z.string(), port: z.number() });
export type ListeningSocket = z.infer<typeof ListeningSocket>;

/** What a parity run found: passed, or exactly what is wrong. */
export const ParityResult = z.object({
  platform: Platform,
  image: z.string(),
  passed: z.boolean(),
  /** The PORT the platform sets. */
  port: z.number(),
  hostPort: z.number(),
  /** The environment given to the container, as the platform gives it. */
  env: z.record(z.string(), z.string()),
  /** The `docker run` equivalent of what was run. */
  command: z.string(),
  /** The HTTP status of the first answer, when there was one. */
  status: z.number().nullable(),
  elapsedMs: z.number(),
  deadlineMs: z.number(),
  /** The sockets the app listened on when the deadline passed (null when they could not be read). */
  listening: z.array(ListeningSocket).nullable(),
  /** What is wrong, in one sentence naming the ports: null when the run passed. */
  problem: z.string().nullable(),
  fix: z.string().nullable(),
  at: Millis,
});
export type ParityResult = z.infer<typeof ParityResult>;

export const PipelineStageName = z.enum(['build', 'parity', 'tag', 'push', 'deploy']);
export type PipelineStageName = z.infer<typeof PipelineStageName>;

export const StageState = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'kept']);
export type StageState = z.infer<typeof StageState>;

export const PipelineStage = z.object({
  name: PipelineStageName,
  state: StageState,
  startedAt: Millis.nullable(),
  endedAt: Millis.nullable(),
  /** One line: what the stage did or is doing ("image sha256:…", "digest sha256:…", "passed as heroku"). */
  detail: z.string().nullable(),
  failure: ErrorShape.nullable(),
});
export type PipelineStage = z.infer<typeof PipelineStage>;

/** What stages hand to later ones; kept so that a resumed pipeline starts where the failed one stopped. */
export const PipelineOutputs = z.object({
  buildId: z.string().nullable(),
  imageId: z.string().nullable(),
  parity: z.array(ParityResult),
  tagged: z.string().nullable(),
  pushId: z.string().nullable(),
  digest: z.string().nullable(),
  deployUrl: z.string().nullable(),
  /** The deploy job the deploy stage started (follow it on the deploy stream); records from before it have none. */
  deployId: z.string().nullable().default(null),
});
export type PipelineOutputs = z.infer<typeof PipelineOutputs>;

/** Where an App Service deploy goes besides the app (site) name; missing resources are created. */
export const PipelineAzureTarget = z
  .object({
    subscriptionId: AzureSubscriptionId,
    resourceGroup: AzureResourceGroup,
    location: AzureLocation.default('westeurope'),
    plan: AzurePlanName,
    /** App Service pulls with the pipeline's push login (kept as DOCKER_REGISTRY_SERVER_* settings, never recorded). */
    privateRegistry: z.boolean().default(false),
    /** WEBSITES_PORT by hand; read from the image's config by default. */
    port: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type PipelineAzureTarget = z.infer<typeof PipelineAzureTarget>;

export const DeployTarget = z
  .object({
    platform: Platform,
    app: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'app names are lowercase letters, digits and -'),
    /** Deploy even though the parity run for this platform did not pass: the user's deliberate choice, recorded. */
    overrideParity: z.boolean().default(false),
    /** Required for an Azure deploy: the subscription, resource group, region and Linux plan. */
    azure: PipelineAzureTarget.optional(),
  })
  .strict();
export type DeployTarget = z.infer<typeof DeployTarget>;

const PipelineRequestFields = z
  .object({
    build: BuildRequest,
    /** The platforms to imitate before any deploy. */
    parity: z.array(Platform).max(2).default([]),
    /** The reference to tag and push; no tag and push stages without it. */
    target: ImageRef.optional(),
    credentials: RegistryCredentials.optional().describe('omit to use saved credentials; never recorded'),
    deploy: DeployTarget.optional(),
  })
  .strict();

export const PipelineRequest = PipelineRequestFields.superRefine((request, ctx) => {
  // The platform's own name rules, checked before anything is built rather than at the deploy stage.
  if (request.deploy) {
    const name = (request.deploy.platform === 'heroku' ? HerokuAppName : AzureSiteName).safeParse(request.deploy.app);
    for (const issue of name.success ? [] : name.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['deploy', 'app'], message: issue.message });
    }
  }
  if (request.deploy?.platform === 'azure' && !request.deploy.azure) {
    ctx.addIssue({
      code: 'custom',
      path: ['deploy', 'azure'],
      message: 'an App Service deploy needs the subscription, resource group and Linux plan',
    });
  }
  if (request.deploy?.platform === 'azure' && !request.target) {
    ctx.addIssue({
      code: 'custom',
      path: ['target'],
      message: 'App Service pulls the image from a registry: give the pipeline a push target',
    });
  }
});
export type PipelineRequest = z.infer<typeof PipelineRequest>;
export type PipelineRequestInput = z.input<typeof PipelineRequest>;

export const PipelineState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

export const PipelineModel = z.object({
  pipelineId: z.string(),
  /** The pipeline this one resumed, when it is a resume. */
  resumedFrom: z.string().nullable(),
  /** The request without credentials (and with secret build values masked). */
  request: PipelineRequestFields.omit({ credentials: true }),
  state: PipelineState,
  stages: z.array(PipelineStage),
  outputs: PipelineOutputs,
  /** Set when the deploy ran although its parity run did not pass, because the user said so. */
  parityOverridden: z.boolean(),
  startedAt: Millis,
  endedAt: Millis.nullable(),
  /** Set when the history record could not be written. */
  recordError: ErrorShape.nullable(),
});
export type PipelineModel = z.infer<typeof PipelineModel>;

export const PipelineSummary = z.object({
  pipelineId: z.string(),
  resumedFrom: z.string().nullable(),
  state: PipelineState,
  startedAt: Millis,
  endedAt: Millis.nullable(),
  tags: z.array(z.string()),
  failedStage: PipelineStageName.nullable(),
  stages: z.array(z.object({ name: PipelineStageName, state: StageState })),
});
export type PipelineSummary = z.infer<typeof PipelineSummary>;

export const ResumeRequest = z
  .object({
    pipelineId: RunId,
    credentials: RegistryCredentials.optional().describe('omit to use saved credentials; never recorded'),
    overrideParity: z.boolean().optional(),
  })
  .strict();

export const WatchRequest = z
  .object({
    build: BuildRequest,
    /** The running container to recreate with the same settings after each rebuild. */
    container: ContainerRef.optional(),
    /** Push after each successful rebuild. */
    pushTarget: ImageRef.optional(),
    debounceMs: z.number().int().min(50).max(10_000).default(400),
  })
  .strict();
export type WatchRequest = z.infer<typeof WatchRequest>;
export type WatchRequestInput = z.input<typeof WatchRequest>;

export const WatchRound = z.object({
  round: z.number(),
  /** The changed context paths (after .dockerignore) that started the round; empty for the first build. */
  changed: z.array(z.string()),
  state: z.enum(['building', 'recreating', 'pushing', 'succeeded', 'failed']),
  buildId: z.string().nullable(),
  imageId: z.string().nullable(),
  cachedSteps: z.number(),
  totalSteps: z.number(),
  /** The steps that missed the cache, by name. */
  missed: z.array(z.string()),
  /** Why the first step missed (the build's cache causes), when the build was compared with an earlier one. */
  cacheExplanation: z.string().nullable(),
  containerId: z.string().nullable(),
  digest: z.string().nullable(),
  startedAt: Millis,
  endedAt: Millis.nullable(),
  failure: ErrorShape.nullable(),
});
export type WatchRound = z.infer<typeof WatchRound>;

export const WatchModel = z.object({
  watchId: z.string(),
  contextDir: z.string(),
  state: z.enum(['watching', 'stopped']),
  container: z.string().nullable(),
  pushTarget: z.string().nullable(),
  rounds: z.array(WatchRound),
  startedAt: Millis,
});
export type WatchModel = z.infer<typeof WatchModel>;

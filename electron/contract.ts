/**
 * The one contract between Berth's UI and everything else.
 *
 * Every procedure the renderer may call and every event stream it may subscribe to is declared here,
 * with zod schemas for inputs, outputs and events, plus the typed error that crosses the boundary.
 * Both transports (Electron IPC in electron/shell, HTTP/WebSocket in electron/web) carry exactly this,
 * and validate inputs on the backend side. Nothing that is not declared here is reachable.
 *
 * This file is imported by the renderer, so it must stay free of Node and Electron imports.
 */
import { z } from 'zod';

// ───────────────────────────── Errors ─────────────────────────────

export const ErrorCode = z.enum([
  'ENGINE_UNREACHABLE', // the Docker engine does not answer
  'INVALID_INPUT', // the request fails validation; `fields` says which
  'NOT_FOUND', // image, container, build or file does not exist
  'CONFLICT', // name already in use, image in use by a container, ...
  'PORT_TAKEN', // host port already bound
  'BUILD_FAILED', // the engine reported an error during a build
  'PUSH_FAILED', // the registry or engine reported an error during a push
  'AUTH_FAILED', // registry credentials rejected
  'DEPLOY_FAILED', // Heroku or Azure reported an error
  'CANCELLED', // the user cancelled
  'UNSUPPORTED', // not possible in this mode (e.g. openExternal in web mode)
  'INTERNAL', // a bug: anything unexpected
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** What an error looks like on the wire: a code, a human message and, where there is one, the fix. */
export const ErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  fix: z.string().optional(),
  fields: z.record(z.string(), z.array(z.string())).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** The error every layer raises and every transport carries unchanged to the UI. */
export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly fields: Record<string, string[]> | undefined;

  constructor(code: ErrorCode, message: string, fix?: string, fields?: Record<string, string[]>) {
    super(message);
    this.name = 'BerthError';
    this.code = code;
    this.fix = fix;
    this.fields = fields;
  }

  toShape(): ErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.fix !== undefined && { fix: this.fix }),
      ...(this.fields !== undefined && { fields: this.fields }),
    };
  }

  static fromShape(shape: ErrorShape): BerthError {
    return new BerthError(shape.code, shape.message, shape.fix, shape.fields);
  }
}

// ───────────────────────────── Shared shapes ─────────────────────────────

const Millis = z.number().describe('milliseconds since the Unix epoch');
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

/** A Docker image reference such as `notas-iv`, `user/notas-iv:1.0` or `127.0.0.1:5000/notas-iv@sha256:...`. */
export const ImageRef = z
  .string()
  .min(1, 'image reference must not be empty')
  .max(512)
  .regex(
    /^(?:(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$|^(?:sha256:)?[a-f0-9]{12,64}$/,
    'not a valid image reference: use lowercase name[:tag], e.g. notas-iv:latest',
  );

export const Port = z.coerce
  .number({ message: 'port must be a number' })
  .int('port must be a whole number')
  .min(1, 'port must be between 1 and 65535')
  .max(65535, 'port must be between 1 and 65535');

// ───────────────────────────── Engine ─────────────────────────────

export const EngineStatus = z.object({
  state: z.enum(['connecting', 'connected', 'disconnected']),
  endpoint: z.string().describe('e.g. unix:///var/run/docker.sock or tcp://host:2376'),
  context: z.string().describe('docker context name, "default" when none'),
  version: z.string().optional(),
  apiVersion: z.string().optional(),
  os: z.string().optional(),
  arch: z.string().optional(),
  buildkit: z.boolean().describe('whether the engine can run BuildKit builds'),
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

// ───────────────────────────── Images ─────────────────────────────

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
});
export type ImageLayer = z.infer<typeof ImageLayer>;

// ───────────────────────────── Containers ─────────────────────────────

export const PortBinding = z.object({
  hostIp: z.string(),
  hostPort: z.number(),
  containerPort: z.number(),
  protocol: z.enum(['tcp', 'udp', 'sctp']),
});
export type PortBinding = z.infer<typeof PortBinding>;

export const ContainerState = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export const ContainerSummary = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  imageId: z.string(),
  state: ContainerState,
  status: z.string().describe('the engine\'s human status, e.g. "Up 3 minutes (healthy)"'),
  health: z.enum(['starting', 'healthy', 'unhealthy']).nullable(),
  created: Millis,
  startedAt: Millis.nullable(),
  ports: z.array(PortBinding),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerDetail = ContainerSummary.extend({
  env: z.array(z.string()),
  command: z.array(z.string()),
  mounts: z.array(
    z.object({ type: z.string(), source: z.string(), destination: z.string(), name: z.string().optional() }),
  ),
  exitCode: z.number().nullable(),
  finishedAt: Millis.nullable(),
});
export type ContainerDetail = z.infer<typeof ContainerDetail>;

export const RunSpec = z
  .object({
    image: ImageRef,
    name: z
      .string()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
        'container name may use letters, digits, _ . - and must start with a letter or digit',
      )
      .max(128)
      .optional(),
    env: z.record(z.string().regex(/^[^=\0]+$/, 'env names must not contain "="'), z.string()).default({}),
    ports: z
      .array(
        z.object({
          hostIp: z.union([z.ipv4(), z.ipv6()]).default('127.0.0.1'),
          hostPort: Port,
          containerPort: Port,
          protocol: z.enum(['tcp', 'udp']).default('tcp'),
        }),
      )
      .default([]),
    volumes: z
      .array(
        z.object({
          source: z.string().min(1).describe('a named volume or an absolute host path'),
          target: z.string().startsWith('/', 'the container path must be absolute'),
          readOnly: z.boolean().default(false),
        }),
      )
      .default([]),
    command: z.array(z.string()).optional(),
  })
  .strict();
export type RunSpec = z.infer<typeof RunSpec>;
export type RunSpecInput = z.input<typeof RunSpec>;

// ───────────────────────────── Logs ─────────────────────────────

export const LogLine = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string().describe('one line, without its newline; ANSI escapes kept'),
  ts: z.string().optional().describe('RFC 3339 timestamp from the engine when asked for'),
});
export type LogLine = z.infer<typeof LogLine>;

export const LogEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lines'), lines: z.array(LogLine) }),
  z.object({ kind: z.literal('end'), reason: z.enum(['container-stopped', 'container-removed', 'done']) }),
]);
export type LogEvent = z.infer<typeof LogEvent>;

// ───────────────────────────── Builds ─────────────────────────────

export const Builder = z.enum(['buildkit', 'legacy']);
export type Builder = z.infer<typeof Builder>;

export const BuildRequest = z
  .object({
    contextDir: z.string().min(1, 'choose a context folder'),
    dockerfile: z.string().min(1).default('Dockerfile').describe('path relative to the context folder'),
    buildArgs: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build arg names are letters, digits and _'), z.string())
      .default({}),
    target: z.string().optional(),
    tags: z.array(ImageRef).default([]),
    noCache: z.boolean().default(false),
    builder: z.enum(['auto', 'buildkit', 'legacy']).default('auto'),
  })
  .strict();
export type BuildRequest = z.infer<typeof BuildRequest>;
export type BuildRequestInput = z.input<typeof BuildRequest>;

export const StepState = z.enum(['queued', 'running', 'cached', 'done', 'error']);
export type StepState = z.infer<typeof StepState>;

export const BuildStep = z.object({
  id: z.string().describe('stable within a build: the BuildKit vertex digest or "legacy-<n>"'),
  index: z.number().describe('order of the step in the build, from 0'),
  stage: z.string().nullable().describe('stage name ("build", "stage-2", ...) when known'),
  instruction: z.string().describe('e.g. "RUN npm ci --omit=dev"'),
  line: z.number().nullable().describe('1-based Dockerfile line of the instruction, when known'),
  state: StepState,
  startedAt: Millis.nullable(),
  endedAt: Millis.nullable(),
  logs: z.array(LogLine).describe('the tail of the step output (bounded)'),
  logsDropped: z.number().describe('lines left out of `logs` because the tail is bounded'),
  error: z.string().nullable(),
});
export type BuildStep = z.infer<typeof BuildStep>;

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
  imageId: z.string().nullable(),
  cachedSteps: z.number(),
  totalSteps: z.number(),
});
export type BuildRecordSummary = z.infer<typeof BuildRecordSummary>;

// ───────────────────────────── Registry and push ─────────────────────────────

export const RegistryCredentials = z
  .object({
    registry: z.string().min(1).describe('host[:port]; "docker.io" for Docker Hub'),
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

// ───────────────────────────── Procedures ─────────────────────────────

const IdInput = z.object({ id: z.string().min(1, 'container id or name is required') }).strict();
const RefInput = z.object({ ref: ImageRef }).strict();

export const procedures = {
  'engine.status': { input: Empty, output: EngineStatus },
  'engine.contexts': { input: Empty, output: z.array(EngineContext) },
  'engine.useContext': { input: z.object({ name: z.string().min(1) }).strict(), output: EngineStatus },

  'project.default': {
    input: Empty,
    output: z.object({
      contextDir: z.string(),
      dockerfile: z.string(),
      buildArgs: z.record(z.string(), z.string()),
      tags: z.array(z.string()),
    }),
  },

  'images.list': { input: Empty, output: z.array(ImageSummary) },
  'images.inspect': { input: RefInput, output: ImageDetail },
  'images.layers': { input: RefInput, output: z.array(ImageLayer) },
  'images.remove': {
    input: z.object({ ref: ImageRef, force: z.boolean().default(false) }).strict(),
    output: z.object({ untagged: z.array(z.string()), deleted: z.array(z.string()) }),
  },
  'images.prune': { input: Empty, output: z.object({ deleted: z.number(), reclaimedBytes: z.number() }) },
  'images.tag': { input: z.object({ source: ImageRef, target: ImageRef }).strict(), output: Ok },

  'containers.list': { input: Empty, output: z.array(ContainerSummary) },
  'containers.inspect': { input: IdInput, output: ContainerDetail },
  'containers.start': { input: IdInput, output: Ok },
  'containers.stop': { input: IdInput, output: Ok },
  'containers.restart': { input: IdInput, output: Ok },
  'containers.remove': { input: IdInput.extend({ force: z.boolean().default(false) }).strict(), output: Ok },
  'containers.run': { input: RunSpec, output: ContainerSummary },
  'containers.recreate': { input: IdInput, output: ContainerSummary },
  'ports.suggest': {
    input: z.object({ preferred: Port.optional(), hostIp: z.string().default('127.0.0.1') }).strict(),
    output: z.object({ port: z.number() }),
  },

  'build.start': { input: BuildRequest, output: z.object({ buildId: z.string() }) },
  'build.cancel': { input: z.object({ buildId: z.string() }).strict(), output: Ok },
  'build.get': { input: z.object({ buildId: z.string() }).strict(), output: BuildModel },
  'build.records': { input: Empty, output: z.array(BuildRecordSummary) },

  'registry.login': {
    input: RegistryCredentials.extend({ remember: z.boolean().default(false) }).strict(),
    output: z.object({ message: z.string() }),
  },
  'registry.saved': { input: Empty, output: z.array(z.object({ registry: z.string(), username: z.string() })) },
  'push.start': { input: PushRequest, output: z.object({ pushId: z.string() }) },
  'push.get': { input: z.object({ pushId: z.string() }).strict(), output: PushModel },

  'app.openExternal': {
    input: z.object({ url: z.string().url('give a full http(s) URL') }).strict(),
    output: Ok,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

// ───────────────────────────── Event streams ─────────────────────────────

export const streams = {
  /** Engine connection changes and every engine event; one subscription feeds every list. */
  engine: {
    params: Empty,
    event: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('status'), status: EngineStatus }),
      z.object({ kind: z.literal('event'), event: EngineEvent }),
    ]),
  },
  /** The whole build model, re-sent (throttled) as it changes; the first event is the current snapshot. */
  build: { params: z.object({ buildId: z.string() }).strict(), event: BuildModel },
  /** Container logs: the last `tail` lines, then new ones as they come, in batches. */
  logs: {
    params: z
      .object({
        id: z.string().min(1),
        tail: z.number().int().min(0).max(100_000).default(1000),
        since: Millis.optional(),
        timestamps: z.boolean().default(false),
        follow: z.boolean().default(true),
      })
      .strict(),
    event: LogEvent,
  },
  /** The whole push model, re-sent as it changes. */
  push: { params: z.object({ pushId: z.string() }).strict(), event: PushModel },
} as const satisfies Record<string, { params: z.ZodType; event: z.ZodType }>;

// ───────────────────────────── Types for both sides ─────────────────────────────

export type ProcedureName = keyof typeof procedures;
export type StreamName = keyof typeof streams;
/** What a caller passes (defaults may be omitted). */
export type ProcedureInput<P extends ProcedureName> = z.input<(typeof procedures)[P]['input']>;
/** What a handler receives (defaults applied). */
export type ProcedureArgs<P extends ProcedureName> = z.output<(typeof procedures)[P]['input']>;
export type ProcedureOutput<P extends ProcedureName> = z.output<(typeof procedures)[P]['output']>;
export type StreamParamsInput<S extends StreamName> = z.input<(typeof streams)[S]['params']>;
export type StreamParams<S extends StreamName> = z.output<(typeof streams)[S]['params']>;
export type StreamEvent<S extends StreamName> = z.output<(typeof streams)[S]['event']>;

/** What the renderer sees, whichever transport carries it. */
export interface BerthApi {
  call<P extends ProcedureName>(name: P, input: ProcedureInput<P>): Promise<ProcedureOutput<P>>;
  /** Returns the function that ends the subscription. */
  subscribe<S extends StreamName>(
    name: S,
    params: StreamParamsInput<S>,
    onEvent: (event: StreamEvent<S>) => void,
    onError?: (error: BerthError) => void,
  ): () => void;
}

export const isProcedureName = (name: unknown): name is ProcedureName =>
  typeof name === 'string' && Object.hasOwn(procedures, name);
export const isStreamName = (name: unknown): name is StreamName =>
  typeof name === 'string' && Object.hasOwn(streams, name);

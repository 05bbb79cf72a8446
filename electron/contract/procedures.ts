/** Every procedure the UI may call and every stream it may subscribe to, with the types both sides use. */
import { z } from 'zod';
import {
  AdviceInput,
  AdviceMeasurement,
  AdviceReport,
  ApplyAdviceInput,
  ApplyAdviceResult,
  MeasureInput,
} from './advice';
import { BuildModel, BuildRecordSummary, BuildRequest } from './builds';
import { ComposeGroup, ComposeGroupAction, ComposeGroupResult } from './compose-groups';
import { ContainerEditInput, ContainerEditPreview } from './container-edit';
import { ContainerSummary, RunSpec } from './containers';
import { LoginList, NamespaceCheck, SecretKeeping } from './credentials';
import { deployProcedures, deployStreams } from './deploy';
import { CleanupPreview, CleanupReport, CleanupRequest, CleanupScope, DiskUsage } from './disk';
import { EngineContext, EngineEvent, EngineStatus } from './engine';
import { NewEngine, PortReach } from './engine-contexts';
import type { BerthError } from './errors';
import { filesProcedures } from './files';
import { ContainerRef, ContextName, HostIp, Port, RegistryHost, RunId } from './ids';
import { ImageRef, TagRef } from './image-reference';
import { ImageLayer, ImageSummary } from './images';
import { ImageDiff, ImageDiffInput, LayerExploration } from './layer-explorer';
import { LogStreamEvent, MergedLogStreamEvent } from './log-batch';
import { LogDownloadTicket, LogExportEvent, LogExportRequest } from './logs-export';
import { MergedLogsParams } from './logs-merged';
import { OtlpTrace } from './otlp-trace';
import {
  ParityRequest,
  ParityResult,
  PipelineModel,
  PipelineRequest,
  PipelineSummary,
  ResumeRequest,
  WatchModel,
  WatchRequest,
} from './pipeline';
import { DockerfileFile, DockerfilePath, FolderPath, RecentProject } from './projects';
import { PushModel, PushRequest, RegistryCredentials } from './registry';
import { ServiceLogsParams } from './service-logs';
import { Replicas, ServiceDeployRequest, ServiceRef, SwarmService, SwarmStatus } from './services';
import { Empty, Millis, Ok } from './shapes';
import { StatsEvent } from './stats';
import { TerminalEvent, TerminalInput, TerminalParams } from './terminal';

const IdInput = z.object({ id: ContainerRef }).strict();
const RefInput = z.object({ ref: ImageRef }).strict();

export const procedures = {
  'engine.status': { input: Empty, output: EngineStatus },
  'engine.contexts': { input: Empty, output: z.array(EngineContext) },
  'engine.useContext': { input: z.object({ name: ContextName }).strict(), output: EngineStatus },
  /** Saves a new docker context (the CLI's format) and lists it; it does not switch to it. */
  'engine.addContext': { input: NewEngine, output: EngineContext },
  /** Tries a published host port at the engine's host from this machine (a remote engine's port links). */
  'engine.portReachable': { input: z.object({ port: Port }).strict(), output: PortReach },

  'project.default': {
    input: Empty,
    output: z.object({
      contextDir: z.string(),
      dockerfile: z.string(),
      buildArgs: z.record(z.string(), z.string()),
      tags: z.array(z.string()),
      folderPicker: z.boolean().describe('whether app.pickFolder can show a native dialog (desktop app, not web mode)'),
    }),
  },
  'project.recent': { input: Empty, output: z.array(RecentProject) },
  'dockerfile.read': {
    input: z.object({ contextDir: FolderPath, dockerfile: DockerfilePath.default('Dockerfile') }).strict(),
    output: DockerfileFile,
  },

  'images.list': { input: Empty, output: z.array(ImageSummary) },
  'images.layers': { input: RefInput, output: z.array(ImageLayer) },
  'images.explore': { input: RefInput, output: LayerExploration },
  'images.diff': { input: ImageDiffInput, output: ImageDiff },
  'images.remove': {
    input: z.object({ ref: ImageRef, force: z.boolean().default(false) }).strict(),
    output: z.object({ untagged: z.array(z.string()), deleted: z.array(z.string()) }),
  },
  'images.prune': { input: Empty, output: z.object({ deleted: z.number(), reclaimedBytes: z.number() }) },
  'images.tag': { input: z.object({ source: ImageRef, target: TagRef }).strict(), output: Ok },

  'containers.list': { input: Empty, output: z.array(ContainerSummary) },
  'containers.start': { input: IdInput, output: Ok },
  'containers.stop': { input: IdInput, output: Ok },
  'containers.restart': { input: IdInput, output: Ok },
  'containers.remove': { input: IdInput.extend({ force: z.boolean().default(false) }).strict(), output: Ok },
  'containers.run': { input: RunSpec, output: ContainerSummary },
  'containers.recreate': { input: IdInput, output: ContainerSummary },
  /** The settings diff an edit would make (checked in full); nothing changes. */
  'containers.editPreview': { input: ContainerEditInput, output: ContainerEditPreview },
  /** Recreates the container under its name with the changes; the old one comes back if the new one fails. */
  /** Containers with compose labels, grouped by project and service. */
  'compose.groups': { input: Empty, output: z.array(ComposeGroup) },
  /** Start, stop or remove every container of one compose project. */
  'compose.action': { input: ComposeGroupAction, output: ComposeGroupResult },
  'containers.edit': { input: ContainerEditInput, output: ContainerSummary },
  'ports.suggest': {
    input: z.object({ preferred: Port.optional(), hostIp: HostIp.default('127.0.0.1') }).strict(),
    output: z.object({ port: z.number() }),
  },

  /** Sizes and reclaimable space of images, containers, volumes and build cache (the engine's system/df). */
  'disk.usage': { input: Empty, output: DiskUsage },
  /** Exactly what a clean-up would remove. */
  'disk.preview': { input: CleanupScope, output: CleanupPreview },
  /** Removes exactly the previewed ids that still qualify (build cache: the engine's filtered prune). */
  'disk.clean': { input: CleanupRequest, output: CleanupReport },

  'build.start': { input: BuildRequest, output: z.object({ buildId: z.string() }) },
  'build.cancel': { input: z.object({ buildId: RunId }).strict(), output: Ok },
  'build.get': { input: z.object({ buildId: RunId }).strict(), output: BuildModel },
  'build.records': { input: Empty, output: z.array(BuildRecordSummary) },
  /** Keeps the context snapshots of the last N builds per project; older records lose only their snapshot. */
  'build.retain': {
    input: z.object({ keepPerProject: z.number().int().min(1).max(10_000) }).strict(),
    output: z.object({ trimmed: z.array(z.string()), freedBytes: z.number() }),
  },
  /** A finished build's trace (OTLP/JSON): one span for the build, one per stage and per step that ran. */
  'build.trace': { input: z.object({ buildId: RunId }).strict(), output: OtlpTrace },

  /** Dockerfile advice (issue 11 part 3): findings with fixes, applying one, and measuring a rebuild. */
  'advice.check': { input: AdviceInput, output: AdviceReport },
  'advice.apply': { input: ApplyAdviceInput, output: ApplyAdviceResult },
  'advice.measure': { input: MeasureInput, output: AdviceMeasurement },

  'registry.login': {
    input: RegistryCredentials.extend({ remember: z.boolean().default(false) }).strict(),
    output: z.object({
      message: z.string(),
      /** Where a remembered login was kept: the user's helper, the OS keychain, or memory for this session. */
      keeping: SecretKeeping.optional(),
      helper: z.string().nullable().optional(),
    }),
  },
  'registry.saved': { input: Empty, output: z.array(z.object({ registry: z.string(), username: z.string() })) },
  'push.start': { input: PushRequest, output: z.object({ pushId: z.string() }) },
  /** Every login Berth can use, each with its source (config file, helper, Berth); never a secret. */
  'registry.logins': { input: Empty, output: LoginList },
  /** Forgets the login Berth would use for a registry (Berth's own, or through the helper). */
  'registry.logout': { input: z.object({ registry: RegistryHost }).strict(), output: Ok },
  /** Whether a push target's namespace belongs to the login for its registry, with a retag when it does not. */
  'registry.namespace': { input: z.object({ target: TagRef }).strict(), output: NamespaceCheck },

  'parity.run': { input: ParityRequest, output: ParityResult },
  'pipeline.start': { input: PipelineRequest, output: z.object({ pipelineId: z.string() }) },
  'pipeline.resume': { input: ResumeRequest, output: z.object({ pipelineId: z.string() }) },
  'pipeline.cancel': { input: z.object({ pipelineId: RunId }).strict(), output: Ok },
  'pipeline.get': { input: z.object({ pipelineId: RunId }).strict(), output: PipelineModel },
  'pipeline.history': { input: Empty, output: z.array(PipelineSummary) },
  'watch.start': { input: WatchRequest, output: z.object({ watchId: z.string() }) },
  'watch.stop': { input: z.object({ watchId: RunId }).strict(), output: Ok },
  'services.status': { input: Empty, output: SwarmStatus },
  'services.list': { input: Empty, output: z.array(SwarmService) },
  'services.deploy': { input: ServiceDeployRequest, output: SwarmService },
  'services.scale': { input: z.object({ ref: ServiceRef, replicas: Replicas }).strict(), output: SwarmService },
  'services.remove': { input: z.object({ ref: ServiceRef }).strict(), output: Ok },

  'app.openExternal': {
    input: z.object({ url: z.string().url('give a full http(s) URL') }).strict(),
    output: Ok,
  },
  /** The Electron app's native folder dialog; UNSUPPORTED in web mode. `path` is null when the user cancels. */
  'app.pickFolder': {
    input: z.object({ defaultPath: FolderPath.optional() }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  /** Web mode: a one-time download link for a whole-range log export (electron/contract/logs-export.ts). */
  'logs.downloadLink': { input: LogExportRequest, output: LogDownloadTicket },
  ...deployProcedures,
  ...filesProcedures,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const streams = {
  /** Engine connection changes and every engine event; one subscription feeds every list. */
  engine: {
    params: Empty,
    event: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('status'), status: EngineStatus }),
      z.object({ kind: z.literal('event'), event: EngineEvent }),
      /**
       * The event feed was down from `from` to `to` (engine restarted or unreachable). Events the engine
       * still had were replayed; any it lost (e.g. containers stopped during its shutdown) are not, so
       * lists should reload.
       */
      z.object({ kind: z.literal('gap'), from: Millis, to: Millis }),
    ]),
  },
  /** The whole build model, re-sent (throttled) as it changes; the first event is the current snapshot. */
  build: { params: z.object({ buildId: RunId }).strict(), event: BuildModel },
  /** Container logs: the last `tail` lines, then new ones as they come, in batches. */
  logs: {
    params: z
      .object({
        id: ContainerRef,
        /** 'all': the whole history (the view holds only its newest lines, so memory stays bounded). */
        tail: z.union([z.number().int().min(0).max(100_000), z.literal('all')]).default(1000),
        since: Millis.optional(),
        /** Only lines before this time (the engine's `until`); the read then ends there. */
        until: Millis.optional(),
        timestamps: z.boolean().default(false),
        follow: z.boolean().default(true),
      })
      .strict(),
    /** Lines come as batches of parallel arrays (electron/contract/log-batch.ts). */
    event: LogStreamEvent,
  },
  /** Several containers' logs interleaved by engine timestamp (electron/contract/logs-merged.ts). */
  'logs.merged': { params: MergedLogsParams, event: MergedLogStreamEvent },
  /**
   * A Swarm service's logs followed live, one source per task (electron/contract/service-logs.ts). A new
   * task (scale, update, restart) adds itself with a new `sources` event: the list grows, indices stay.
   */
  'services.logStream': { params: ServiceLogsParams, event: MergedLogStreamEvent },
  /** Desktop app: a whole-range export to a file picked in the save dialog, with progress; closing cancels it. */
  'logs.export': { params: LogExportRequest, event: LogExportEvent },
  /** One container's CPU, memory, network and block I/O, a sample a second, until it stops or the view leaves. */
  stats: { params: z.object({ id: ContainerRef }).strict(), event: StatsEvent },
  /** The whole push model, re-sent as it changes. */
  push: { params: z.object({ pushId: RunId }).strict(), event: PushModel },
  /** The whole pipeline model, re-sent as its stages change. */
  pipeline: { params: z.object({ pipelineId: RunId }).strict(), event: PipelineModel },
  /** The watch session, re-sent on every round change, until it stops. */
  watch: { params: z.object({ watchId: RunId }).strict(), event: WatchModel },
  /**
   * An interactive shell (exec into a container, or a debug shell before a failed build step): output down,
   * keystrokes and resizes up on the same subscription (`input`), so only whoever opened it can type in it.
   */
  ...deployStreams,
  terminal: { params: TerminalParams, event: TerminalEvent, input: TerminalInput },
} as const satisfies Record<string, { params: z.ZodType; event: z.ZodType; input?: z.ZodType }>;

export type ProcedureName = keyof typeof procedures;
export type StreamName = keyof typeof streams;

/**
 * Procedures that only read: asking twice does what asking once does. A transport may ask again when a request
 * got no answer at all. In web mode the browser aborts requests in flight when a network interface changes
 * (Chromium's net::ERR_NETWORK_CHANGED), and starting a container or making a docker network is such a change.
 * Nothing that changes state is listed: its request may have reached Berth before the answer was lost.
 */
export const READ_ONLY_PROCEDURES: ReadonlySet<ProcedureName> = new Set<ProcedureName>([
  'engine.status',
  'engine.contexts',
  'engine.portReachable',
  'project.default',
  'project.recent',
  'dockerfile.read',
  'images.list',
  'images.layers',
  'images.explore',
  'images.diff',
  'containers.list',
  'containers.editPreview',
  'compose.groups',
  'ports.suggest',
  'disk.usage',
  'disk.preview',
  'build.get',
  'build.records',
  'build.trace',
  'advice.check',
  'registry.saved',
  'registry.logins',
  'registry.namespace',
  'pipeline.get',
  'pipeline.history',
  'services.status',
  'services.list',
  'deploy.endpoints',
  'heroku.status',
  'heroku.apps',
  'heroku.checkYml',
  'azure.status',
  'azure.subscriptions',
  'azure.resources',
  'files.list',
]);
/** What a caller passes (defaults may be omitted). */
export type ProcedureInput<P extends ProcedureName> = z.input<(typeof procedures)[P]['input']>;
/** What a handler receives (defaults applied). */
export type ProcedureArgs<P extends ProcedureName> = z.output<(typeof procedures)[P]['input']>;
export type ProcedureOutput<P extends ProcedureName> = z.output<(typeof procedures)[P]['output']>;
export type StreamParamsInput<S extends StreamName> = z.input<(typeof streams)[S]['params']>;
export type StreamParams<S extends StreamName> = z.output<(typeof streams)[S]['params']>;
export type StreamEvent<S extends StreamName> = z.output<(typeof streams)[S]['event']>;
/** The streams that take messages from the subscriber (duplex streams). */
export type DuplexStreamName = {
  [S in StreamName]: (typeof streams)[S] extends { input: z.ZodType } ? S : never;
}[StreamName];
/** What a subscriber may send up a duplex stream. */
export type StreamInput<S extends StreamName> = (typeof streams)[S] extends { input: infer I extends z.ZodType }
  ? z.output<I>
  : never;

/** A subscription to a duplex stream: messages go up with `send`; `close` ends it. */
export interface DuplexSession<S extends DuplexStreamName> {
  send(message: StreamInput<S>): void;
  close(): void;
}

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
  /**
   * Subscribes to a duplex stream. A message the backend refuses (too big, malformed, the session not open
   * yet) is reported to `onRefused` and leaves the subscription open.
   */
  openSession<S extends DuplexStreamName>(
    name: S,
    params: StreamParamsInput<S>,
    listeners: {
      onEvent: (event: StreamEvent<S>) => void;
      onError?: (error: BerthError) => void;
      onEnd?: () => void;
      onRefused?: (error: BerthError) => void;
    },
  ): DuplexSession<S>;
}

export const isProcedureName = (name: unknown): name is ProcedureName =>
  typeof name === 'string' && Object.hasOwn(procedures, name);
export const isStreamName = (name: unknown): name is StreamName =>
  typeof name === 'string' && Object.hasOwn(streams, name);
/** The input schema of a duplex stream; undefined for a stream that takes no messages. */
export const streamInputSchema = (name: StreamName): z.ZodType | undefined =>
  (streams[name] as { input?: z.ZodType }).input;

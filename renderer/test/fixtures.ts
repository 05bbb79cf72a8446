import {
  type BuildModel,
  type BuildRecordSummary,
  type BuildStep,
  type ContainerSummary,
  type EngineStatus,
  type ImageLayer,
  type ImageSummary,
  type ParityResult,
  type PushModel,
  queuedStep,
} from '../../electron/contract';

export const connectedStatus: EngineStatus = {
  state: 'connected',
  endpoint: 'unix:///var/run/docker.sock',
  context: 'default',
  version: '27.3.1',
  apiVersion: '1.47',
  buildkit: true,
};

/** Podman's API service as the engine reports it: no BuildKit (with why), no Swarm. */
export const podmanStatus: EngineStatus = {
  ...connectedStatus,
  endpoint: 'unix:///run/podman/podman.sock',
  version: '4.3.1',
  apiVersion: '1.41',
  buildkit: false,
  podman: true,
  swarmManager: false,
  buildkitMissing: 'Podman has no BuildKit: builds use the legacy builder.',
};

export const downStatus: EngineStatus = {
  state: 'disconnected',
  endpoint: 'unix:///var/run/docker.sock',
  context: 'default',
  buildkit: null,
  error: {
    code: 'ENGINE_UNREACHABLE',
    message: 'The Docker engine at unix:///var/run/docker.sock does not answer (ECONNREFUSED).',
    fix: 'Start Docker (for example `sudo dockerd`), or set DOCKER_HOST to a running engine.',
  },
};

const HOUR = 3_600_000;
export const NOW = Date.now();

export const images: ImageSummary[] = [
  {
    id: `sha256:${'a1'.repeat(32)}`,
    tags: ['notas-iv:latest'],
    created: NOW - 2 * HOUR,
    size: 182_000_000,
    containers: 1,
    dangling: false,
  },
  {
    id: `sha256:${'b2'.repeat(32)}`,
    tags: ['node:22-alpine'],
    created: NOW - 72 * HOUR,
    size: 55_000_000,
    containers: 0,
    dangling: false,
  },
  {
    id: `sha256:${'c3'.repeat(32)}`,
    tags: [],
    created: NOW - 5 * HOUR,
    size: 9_000_000,
    containers: 0,
    dangling: true,
  },
];

export const layers: ImageLayer[] = [
  {
    index: 0,
    diffId: 'sha256:l0',
    createdBy: '/bin/sh -c #(nop) ADD file:abc in /',
    instruction: 'ADD alpine-minirootfs.tar.gz /',
    size: 8_000_000,
    empty: false,
    created: NOW - 100 * HOUR,
  },
  {
    index: 1,
    diffId: null,
    createdBy: 'ENV NODE_ENV=production',
    instruction: 'ENV NODE_ENV=production PORT=5000',
    size: 0,
    empty: true,
    created: NOW - HOUR,
  },
  {
    index: 2,
    diffId: 'sha256:l2',
    createdBy: 'COPY /app/node_modules ./node_modules',
    instruction: 'COPY --from=prod-deps /app/node_modules ./node_modules',
    size: 40_000_000,
    empty: false,
    created: NOW - HOUR,
  },
];

export const container = (over: Partial<ContainerSummary> = {}): ContainerSummary => ({
  id: 'c0ffee123456',
  name: 'notas',
  image: 'notas-iv:latest',
  imageId: images[0]!.id,
  state: 'running',
  status: 'Up 3 minutes (healthy)',
  health: 'healthy',
  created: NOW - 10 * 60_000,
  startedAt: NOW - 3 * 60_000,
  ports: [{ hostIp: '127.0.0.1', hostPort: 5550, containerPort: 5000, protocol: 'tcp' }],
  ...over,
});

export const step = (over: Partial<BuildStep> & Pick<BuildStep, 'id' | 'index' | 'instruction'>): BuildStep => ({
  ...queuedStep({ stage: null, line: null, ...over }),
  ...over,
});

/** A past build of /p, as build.records lists it. */
export const recordSummary = (over: Partial<BuildRecordSummary> & Pick<BuildRecordSummary, 'buildId' | 'at'>) => ({
  durationMs: 1000,
  builder: 'buildkit' as const,
  state: 'succeeded' as const,
  tags: [],
  contextDir: '/p',
  dockerfile: 'Dockerfile',
  target: null,
  imageId: null,
  cachedSteps: 1,
  totalSteps: 3,
  ...over,
});

export const buildModel = (over: Partial<BuildModel> = {}): BuildModel => ({
  buildId: 'b1',
  request: {
    contextDir: '/work/main',
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tags: ['notas-iv:latest'],
    noCache: false,
    builder: 'auto',
    secrets: [],
  },
  builder: 'buildkit',
  state: 'running',
  context: { bytes: 97_280, files: 12 },
  steps: [],
  warnings: [],
  startedAt: NOW - 5000,
  endedAt: null,
  imageId: null,
  failure: null,
  ...over,
});

export const pushModel = (over: Partial<PushModel> = {}): PushModel => ({
  pushId: 'p1',
  target: '127.0.0.1:5000/notas-iv:latest',
  state: 'pushing',
  layers: [],
  digest: null,
  size: null,
  failure: null,
  ...over,
});

export const projectDefaults = {
  contextDir: '/work/main',
  dockerfile: 'Dockerfile',
  buildArgs: { NODE_IMAGE: 'berth-node-base:test' },
  tags: ['notas-iv:latest'],
  folderPicker: false,
};

/** A multi-stage Dockerfile of some project (not the bundled one), as dockerfile.read answers it. */
export const multiStageText = [
  '# syntax of a small app',
  'ARG BASE=alpine:3.20',
  'FROM ${BASE} AS deps',
  'ARG GREETING=hello',
  'ARG TOKEN',
  'RUN echo "$GREETING" \\',
  '  > /greet',
  '',
  'FROM ${BASE} AS final',
  'COPY --from=deps /greet /greet',
  'CMD ["cat", "/greet"]',
  '',
].join('\n');

export const multiStageFile = {
  contextDir: '/home/me/app',
  dockerfile: 'Dockerfile',
  text: multiStageText,
  bytes: multiStageText.length,
  bundled: false,
  outline: {
    stages: [
      { index: 0, name: 'deps', base: '${BASE}', line: 3 },
      { index: 1, name: 'final', base: '${BASE}', line: 9 },
    ],
    args: [
      { name: 'BASE', defaultValue: 'alpine:3.20', line: 2, stage: null },
      { name: 'GREETING', defaultValue: 'hello', line: 4, stage: 0 },
      { name: 'TOKEN', defaultValue: null, line: 5, stage: 0 },
    ],
    instructions: [
      { keyword: 'ARG', line: 2, endLine: 2, stage: null },
      { keyword: 'FROM', line: 3, endLine: 3, stage: 0 },
      { keyword: 'ARG', line: 4, endLine: 4, stage: 0 },
      { keyword: 'ARG', line: 5, endLine: 5, stage: 0 },
      { keyword: 'RUN', line: 6, endLine: 7, stage: 0 },
      { keyword: 'FROM', line: 9, endLine: 9, stage: 1 },
      { keyword: 'COPY', line: 10, endLine: 10, stage: 1 },
      { keyword: 'CMD', line: 11, endLine: 11, stage: 1 },
    ],
  },
};

const bundledText = 'ARG NODE_IMAGE=node:22-alpine\nFROM ${NODE_IMAGE} AS build\nRUN npm ci\n';

/** The bundled notes service's Dockerfile (shortened), as dockerfile.read answers it. */
export const bundledFile = {
  contextDir: '/work/main',
  dockerfile: 'Dockerfile',
  text: bundledText,
  bytes: bundledText.length,
  bundled: true,
  outline: {
    stages: [{ index: 0, name: 'build', base: '${NODE_IMAGE}', line: 2 }],
    args: [{ name: 'NODE_IMAGE', defaultValue: 'node:22-alpine', line: 1, stage: null }],
    instructions: [
      { keyword: 'ARG', line: 1, endLine: 1, stage: null },
      { keyword: 'FROM', line: 2, endLine: 2, stage: 0 },
      { keyword: 'RUN', line: 3, endLine: 3, stage: 0 },
    ],
  },
};

/** A failed Heroku parity run of `image`: the app ignored $PORT (41234) and listened on 3000. */
export const parityFailed = (image: string, over: Partial<ParityResult> = {}): ParityResult => ({
  platform: 'heroku',
  image,
  passed: false,
  port: 41234,
  hostPort: 41234,
  env: { PORT: '41234' },
  command: `docker run --rm -p 41234:41234 -e PORT=41234 ${image}`,
  status: null,
  elapsedMs: 30_100,
  deadlineMs: 30_000,
  listening: [{ address: '0.0.0.0', port: 3000 }],
  problem: 'The app ignores $PORT (41234) and listens on 3000.',
  fix: 'Make the app listen on process.env.PORT.',
  at: 1_700_000_000_000,
  ...over,
});

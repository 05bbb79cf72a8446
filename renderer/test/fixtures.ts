import {
  type BuildModel,
  type BuildStep,
  type ContainerSummary,
  type EngineStatus,
  type ImageLayer,
  type ImageSummary,
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

export const buildModel = (over: Partial<BuildModel> = {}): BuildModel => ({
  buildId: 'b1',
  request: {
    contextDir: '/work/main',
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tags: ['notas-iv:latest'],
    noCache: false,
    builder: 'auto',
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
  buildArgs: {},
  tags: ['notas-iv:latest'],
};

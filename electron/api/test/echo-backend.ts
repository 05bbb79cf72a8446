/**
 * A small, fully in-memory backend for transport tests: a few procedures that echo or compute, a few
 * that fail in each interesting way, and streams that count, run until aborted, or fail.
 */
import { BerthError, type EngineStatus, type ProcedureName, packLines } from '../../contract';
import type { Handlers, StreamHandlers } from '../handler-types';
import { createRouter, type Router } from '../router';

export const DISCONNECTED: EngineStatus = {
  state: 'disconnected',
  endpoint: 'unix:///test.sock',
  context: 'default',
  buildkit: false,
};

export interface EchoBackend {
  router: Router;
  /** Resolves when the `engine` stream handler sees its signal abort. */
  engineStreamAborted: Promise<void>;
  engineStreamRunning(): boolean;
}

export function createEchoBackend(): EchoBackend {
  const unsupported = (): never => {
    throw new BerthError('UNSUPPORTED', 'not in this test');
  };
  const handlers = new Proxy({} as Handlers, {
    get: (_target, name: ProcedureName) => overrides[name as keyof typeof overrides] ?? unsupported,
  });
  const overrides: Partial<Handlers> = {
    'ports.suggest': async ({ preferred, hostIp }) => {
      if (hostIp !== '127.0.0.1') throw new Error('defaults were not applied');
      return { port: (preferred ?? 5000) + 1 };
    },
    'images.tag': async ({ source }) => {
      throw new BerthError('NOT_FOUND', `No such image: ${source}`, 'Build it first.');
    },
    'engine.status': async () => DISCONNECTED,
    // Breaks the output contract on purpose.
    'images.list': async () => [{ id: 42 }] as never,
    // An unexpected failure whose details must not cross a transport.
    'containers.list': async () => {
      throw new Error('secret internal detail at /home/user/berth/file.ts:12');
    },
  };

  let running = false;
  let markAborted: () => void = () => {};
  const engineStreamAborted = new Promise<void>((resolve) => {
    markAborted = resolve;
  });

  const streamHandlers: StreamHandlers = {
    logs: async ({ tail }, emit) => {
      for (let i = 0; i < (tail === 'all' ? 0 : tail); i++) emit(packLines([{ stream: 'stdout', text: `line ${i}` }]));
      emit({ kind: 'end', reason: 'done' });
    },
    engine: (_params, emit, signal) => {
      running = true;
      const timer = setInterval(() => emit({ kind: 'status', status: DISCONNECTED }), 5);
      signal.addEventListener('abort', () => {
        clearInterval(timer);
        running = false;
        markAborted();
      });
    },
    // A shell that echoes what is typed, and says its size when resized.
    terminal: (_params, emit, _signal, inbox) => {
      emit({ kind: 'opened', shell: 'sh', container: 'echo', debug: null });
      inbox.listen((message) => {
        if (message.kind === 'data') emit({ kind: 'output', data: message.data });
        else emit({ kind: 'output', data: `size ${message.cols}x${message.rows}` });
      });
    },
    build: async ({ buildId }) => {
      throw new BerthError('BUILD_FAILED', `Build ${buildId} failed at step 3`, 'Fix the RUN command.');
    },
    push: async (_params, emit) => {
      emit({ nonsense: true } as never);
    },
    pipeline: async () => undefined,
    watch: async () => undefined,
    'logs.merged': async () => {
      throw new BerthError('UNSUPPORTED', 'not in the echo backend', 'Use the real backend.');
    },
    'logs.export': async () => {
      throw new BerthError('UNSUPPORTED', 'not in the echo backend', 'Use the real backend.');
    },
    'services.logStream': async () => {
      throw new BerthError('UNSUPPORTED', 'not in the echo backend', 'Use the real backend.');
    },
    azureSignIn: async () => {},
    deploy: async () => {},
    stats: async (_params, emit) => {
      const sample = { cpuPercent: 0, memoryBytes: 1, memoryLimitBytes: 2, netRxBytes: 0, netTxBytes: 0 };
      emit({ kind: 'sample', sample: { ...sample, at: 1, cpuPercent: 150, blockReadBytes: 0, blockWriteBytes: 0 } });
      emit({ kind: 'stopped' });
    },
  };

  return {
    router: createRouter(handlers, streamHandlers),
    engineStreamAborted,
    engineStreamRunning: () => running,
  };
}

import { packLogEvent } from '../../contract';
import { followStats } from '../../core/containers';
import { followLogs } from '../../core/logs';
import type { StreamHandlers } from '../handler-types';
import type { Services } from '../services';
import type { AppOptions } from './app';
import { deployStreamHandlers } from './deploy';
import { followModel } from './follow-model';
import { logExportStreamHandlers } from './logs-export';
import { mergedLogHandlers } from './logs-merged';
import { serviceLogHandlers } from './service-logs';
import { terminalStreamHandlers } from './terminal';

export function streamHandlers(services: Services, options: Pick<AppOptions, 'pickSaveFile'> = {}): StreamHandlers {
  const { engine, events, builds, pushes, pipelines, watches } = services;
  return {
    ...deployStreamHandlers(services),
    ...terminalStreamHandlers(services),
    ...mergedLogHandlers(services),
    ...serviceLogHandlers(services),
    ...logExportStreamHandlers(services, options),
    engine: (_params, emit, signal) => {
      emit({ kind: 'status', status: engine.current() });
      const offStatus = engine.onStatus((status) => emit({ kind: 'status', status }));
      const offEvents = events.subscribe((event) => emit({ kind: 'event', event }));
      const offGaps = events.onGap(({ from, to }) => emit({ kind: 'gap', from, to }));
      signal.addEventListener(
        'abort',
        () => {
          offStatus();
          offEvents();
          offGaps();
        },
        { once: true },
      );
    },
    build: ({ buildId }, emit, signal) =>
      followModel(
        (listener) => builds.subscribe(buildId, listener),
        (m) => m.endedAt !== null,
        emit,
        signal,
      ),
    push: ({ pushId }, emit, signal) =>
      followModel(
        (listener) => pushes.subscribe(pushId, listener),
        (m) => m.state === 'succeeded' || m.state === 'failed',
        emit,
        signal,
      ),
    pipeline: ({ pipelineId }, emit, signal) =>
      followModel(
        (listener) => pipelines.subscribe(pipelineId, listener),
        (m) => m.endedAt !== null,
        emit,
        signal,
      ),
    watch: ({ watchId }, emit, signal) =>
      followModel(
        (listener) => watches.subscribe(watchId, listener),
        (m) => m.state === 'stopped',
        emit,
        signal,
      ),
    stats: ({ id }, emit, signal) => followStats(engine, id, (event) => void emit(event), signal),
    // The transport's readiness is the log sink's: while the subscriber is behind, the batcher holds the
    // next batch and the reader stops pulling from the engine, so the engine's socket fills and pauses.
    // A switch of engine ends the stream: the container belongs to the engine it was opened on.
    logs: async ({ id, tail, since, until, timestamps, follow }, emit, signal) => {
      const stop = new AbortController();
      const offSwitch = engine.onSwitch(() => stop.abort());
      const stopWith = () => stop.abort();
      signal.addEventListener('abort', stopWith, { once: true });
      try {
        await followLogs(
          engine,
          {
            id,
            tail,
            timestamps,
            follow: follow && until === undefined,
            ...(since !== undefined && { since }),
            ...(until !== undefined && { until }),
          },
          { deliver: (event) => emit(packLogEvent(event)) },
          { signal: stop.signal },
        );
      } finally {
        offSwitch();
        signal.removeEventListener('abort', stopWith);
      }
    },
  };
}

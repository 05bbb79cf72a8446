import { packMergedLogEvent } from '../../contract';
import { followLogs, readMergedLogs } from '../../core/logs';
import type { StreamHandlers } from '../handler-types';
import type { Services } from '../services';

/** The merged log stream: each container followed across engine restarts, lines merged by timestamp. */
export function mergedLogHandlers({ engine }: Services): Pick<StreamHandlers, 'logs.merged'> {
  return {
    'logs.merged': async ({ selection, tail, since, until, follow }, emit, signal) => {
      await readMergedLogs(
        engine,
        {
          selection,
          tail,
          follow,
          ...(since !== undefined && { since }),
          ...(until !== undefined && { until }),
        },
        { deliver: (event) => emit(packMergedLogEvent(event)) },
        { signal, readOne: (request, sink, options) => followLogs(engine, request, sink, options) },
      );
    },
  };
}

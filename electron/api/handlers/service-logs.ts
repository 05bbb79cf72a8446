import { packMergedLogEvent } from '../../contract';
import { followServiceLogs } from '../../core/deploy/service-logs';
import type { StreamHandlers } from '../handler-types';
import type { Services } from '../services';

/** A Swarm service's logs followed live, tagged by task, on the merged logs' wire (core/deploy/service-logs.ts). */
export function serviceLogHandlers({ engine }: Services): Pick<StreamHandlers, 'services.logStream'> {
  return {
    'services.logStream': async ({ ref, tail, follow }, emit, signal) => {
      await followServiceLogs(
        engine,
        ref,
        { deliver: (event) => emit(packMergedLogEvent(event)) },
        { tail, follow, signal },
      );
    },
  };
}

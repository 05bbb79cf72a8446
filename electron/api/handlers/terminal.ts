import { openRecord } from '../../core/build';
import { runTerminal } from '../../core/terminal';
import type { StreamHandlers } from '../handler-types';
import { engineNow, type Services } from '../services';

/** The terminal stream: exec shells and debug shells, each cleaned up when its subscriber leaves. */
export function terminalStreamHandlers({
  engine,
  builds,
  recordsDir,
  terminals,
  instance,
}: Services): Pick<StreamHandlers, 'terminal'> {
  return {
    terminal: (params, emit, signal, inbox) =>
      runTerminal(
        {
          engine: engineNow(engine),
          sessions: terminals,
          instance,
          // A build of this session, else a past one from its record.
          findBuild: async (buildId) => {
            try {
              return builds.get(buildId);
            } catch (error) {
              if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
              return openRecord(recordsDir, buildId);
            }
          },
        },
        params,
        emit,
        signal,
        inbox,
      ),
  };
}

import { checkAndStartBuild, listRecords, openRecord } from '../../core/build';
import type { Handlers } from '../handler-types';
import { engineNow, type Services } from '../services';

type BuildHandlers = Pick<Handlers, 'build.start' | 'build.cancel' | 'build.get' | 'build.records'>;

export function buildHandlers({ engine, builds, recordsDir }: Services): BuildHandlers {
  return {
    'build.start': async (request) => ({
      buildId: builds.add(await checkAndStartBuild(engineNow(engine), request, { recordsDir })),
    }),
    'build.cancel': async ({ buildId }) => {
      builds.cancel(buildId);
      return { ok: true as const };
    },
    // A build of this session, else a past one from its record (steps without their log tails).
    'build.get': async ({ buildId }) => {
      try {
        return builds.get(buildId);
      } catch (error) {
        if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
        return openRecord(recordsDir, buildId);
      }
    },
    'build.records': () => listRecords(recordsDir),
  };
}

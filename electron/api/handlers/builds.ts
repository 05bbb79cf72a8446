import type { BuildModel } from '../../contract';
import { checkAndStartBuild, listRecords, openRecord } from '../../core/build';
import type { Handlers } from '../handler-types';
import { engineNow, type Services } from '../services';

type BuildHandlers = Pick<Handlers, 'build.start' | 'build.cancel' | 'build.get' | 'build.records'>;

/** A build of this session, else a past one from its record (steps without their log tails). */
export async function buildOrRecord(
  { builds, recordsDir }: Pick<Services, 'builds' | 'recordsDir'>,
  buildId: string,
): Promise<BuildModel> {
  try {
    return builds.get(buildId);
  } catch (error) {
    if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
    return openRecord(recordsDir, buildId);
  }
}

export function buildHandlers({ engine, builds, recordsDir, recent }: Services): BuildHandlers {
  return {
    'build.start': async (input) => {
      const build = await checkAndStartBuild(engineNow(engine), input, { recordsDir });
      const buildId = builds.add(build);
      const { contextDir, dockerfile, target } = build.current().request;
      await recent.remember({ contextDir, dockerfile, target: target ?? null }).catch(() => {
        // the list of recent projects is a convenience: a data folder that cannot be written must not stop a build
      });
      return { buildId };
    },
    'build.cancel': async ({ buildId }) => {
      builds.cancel(buildId);
      return { ok: true as const };
    },
    'build.get': ({ buildId }) => buildOrRecord({ builds, recordsDir }, buildId),
    'build.records': () => listRecords(recordsDir),
  };
}

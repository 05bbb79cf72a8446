import { applyRetention } from '../../core/build/retention';
import { diskUsage, previewCleanup, runCleanup, systemDf } from '../../core/disk';
import type { Handlers } from '../handler-types';
import type { Services } from '../services';

type DiskHandlers = Pick<Handlers, 'disk.usage' | 'disk.preview' | 'disk.clean' | 'build.retain'>;

export function diskHandlers({ engine, recordsDir }: Services): DiskHandlers {
  return {
    'disk.usage': async () => diskUsage(await systemDf(engine)),
    'disk.preview': (scope) => previewCleanup(engine, scope),
    'disk.clean': (request) => runCleanup(engine, request),
    'build.retain': ({ keepPerProject }) => applyRetention(recordsDir, keepPerProject),
  };
}

/** Every procedure and stream of the contract, mapped to the core service that answers it. */
import type { Handlers } from '../handler-types';
import type { Services } from '../services';
import { adviceHandlers } from './advice';
import { type AppOptions, appHandlers } from './app';
import { buildTraceHandlers } from './build-trace';
import { buildHandlers } from './builds';
import { containerEditHandlers } from './container-edit';
import { containerHandlers } from './containers';
import { credentialHandlers } from './credentials';
import { deployHandlers } from './deploy';
import { diskHandlers } from './disk';
import { engineHandlers } from './engine';
import { fileHandlers } from './files';
import { imageHandlers } from './images';
import { layerExplorerHandlers } from './layer-explorer';
import { logExportHandlers } from './logs-export';
import { pipelineHandlers } from './pipeline';
import { registryHandlers } from './registry';
import { serviceHandlers } from './services';

export type { AppOptions } from './app';
export { streamHandlers } from './streams';

export function createHandlers(services: Services, options: AppOptions): Handlers {
  return {
    ...engineHandlers(services),
    ...imageHandlers(services),
    ...layerExplorerHandlers(services),
    ...containerHandlers(services),
    ...containerEditHandlers(services),
    ...buildHandlers(services),
    ...buildTraceHandlers(services),
    ...adviceHandlers(services),
    ...registryHandlers(services),
    ...credentialHandlers(services),
    ...pipelineHandlers(services),
    ...diskHandlers(services),
    ...serviceHandlers(services),
    ...logExportHandlers(services),
    ...appHandlers(services, options),
    ...deployHandlers(services, options),
    ...fileHandlers(services, options),
  } satisfies Handlers;
}

/** The engine room: connection and contexts (Engine), and the shared event feed (EngineEvents). */

export {
  type Capabilities,
  engineCapabilities,
  engineCapabilitiesOf,
  engineSupportsBuildkit,
  isPodman,
  supportsBuildkit,
} from './builder-support';
export {
  capabilitiesOf,
  currentCapabilities,
  type EngineCapabilities,
  engineIsPodman,
  isSwarmManager,
} from './capabilities';
export { dockerConfigDir } from './context-store';
export { type EngineEndpoint, listContexts, resolveEndpoint } from './endpoint';
export { Engine, type EngineOptions, type StatusListener } from './engine';
export { EngineChoice } from './engine-choice';
export { normaliseEvent } from './engine-event';
export { type EngineHandle, engineIsLocal } from './engine-handle';
export { EngineEvents, type EventListener } from './events';

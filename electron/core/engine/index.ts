/** The engine room: connection and contexts (Engine), and the shared event feed (EngineEvents). */
export { dockerConfigDir } from './context-store';
export { type EngineEndpoint, listContexts, resolveEndpoint } from './endpoint';
export { Engine, type EngineHandle, type EngineOptions, type StatusListener, supportsBuildkit } from './engine';
export { normaliseEvent } from './engine-event';
export { EngineEvents, type EventListener } from './events';

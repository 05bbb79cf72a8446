/**
 * The one contract between Berth's UI and everything else, as a folder of pure modules.
 *
 * Every procedure the renderer may call and every event stream it may subscribe to is declared in
 * procedures.ts, with zod schemas by noun (engine, images, containers, logs, builds, registry), the typed
 * error that crosses the boundary (errors), and the small pure pieces every layer shares: image references,
 * field messages from zod issues, JSON lines, the web wire format and the preload bridge. Both transports
 * carry exactly this and validate inputs on the backend side. Nothing that is not declared here is reachable.
 *
 * The renderer imports this folder, so every module in it must stay free of Node and Electron imports.
 * (Strict id and name patterns belong in ids.ts beside these.)
 */
export * from './advice';
export * from './bridge';
export * from './build-timeline';
export * from './builds';
export * from './cache-causes';
export * from './compose-groups';
export * from './container-edit';
export * from './containers';
export * from './credentials';
export * from './deploy';
export * from './disk';
export * from './engine';
export * from './engine-contexts';
export * from './errors';
export * from './fields';
export * from './files';
export * from './ids';
export * from './image-reference';
export * from './images';
export * from './json-lines';
export * from './layer-explorer';
export * from './log-batch';
export * from './logs';
export * from './logs-export';
export * from './logs-merged';
export * from './otlp-trace';
export * from './pipeline';
export * from './procedures';
export * from './projects';
export * from './registry';
export * from './service-logs';
export * from './services';
export * from './shapes';
export * from './stats';
export * from './terminal';
export * from './wire';

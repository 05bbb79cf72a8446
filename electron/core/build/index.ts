/** Builds: pack the context, run it with BuildKit or the legacy builder, fold the stream into one step model, record it. */
export { type Build, type BuildOptions, checkAndStartBuild, parseBuildRequest, startBuild } from './build';
export { checkContext } from './context';
export { chooseBuilder } from './engine-build';
export { listRecords, openRecord } from './records';

/** The ship pipeline (build → parity run → tag → push → deploy), platform-parity runs and watch mode. */
export { parseListeningSockets } from './listening-sockets';
export { ParityPasses } from './parity-passes';
export { PARITY_LABEL, runParity } from './parity-run';
export { Pipeline, type PipelineOptions, parsePipelineRequest, resumePipeline, startPipeline } from './pipeline';
export { listPipelineRecords, readPipelineRecord } from './pipeline-records';
export type { Deployer, DeployInput, Stage, StageContext, StageResult } from './stage';
export { STAGES } from './stages';
export { type WatchOptions, WatchSession } from './watch';

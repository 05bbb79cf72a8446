export { changedFiles, copySources, filesMatching, type SnapshotFile, sourceMatcher } from './copy-sources';
export { type ExplainedBuild, explainMisses } from './explain';
export { baseRefs, type RecordedVariable, type StepInput, stepInputs, withDigests } from './step-inputs';

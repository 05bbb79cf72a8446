/** Containers: list, inspect, lifecycle, run from a RunSpec, recreate, and free host ports. */

export { composeGroupAction, composeGroups, listComposeGroups } from './compose-groups';
export { removeContainer, restartContainer, startContainer, stopContainer } from './container-actions';
export { BERTH_LABEL, SPEC_LABEL } from './container-config';
export { containerSummary, inspectContainer, listContainers } from './container-list';
export { cpuPercent, followStats, openStatsStreams, statsSample } from './container-stats';
export { editContainer, editedSpec, previewEdit, settingsDiff } from './edit-container';
export { suggestFreePort } from './host-ports';
export { recreateContainer } from './recreate-container';
export { runContainer } from './run-container';
export { checkRunSpec } from './run-spec-check';

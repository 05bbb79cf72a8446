/** Disk: usage from the engine's `system/df`, and clean-ups that remove exactly what they previewed. */
export { BUILD_CACHE_NOTE, cleanupCandidates, previewCleanup, runCleanup } from './cleanup';
export { diskUsage, systemDf } from './system-df';
